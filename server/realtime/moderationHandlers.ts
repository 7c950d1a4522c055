import { isStaffRole } from '../../lib/domain/identity';
import { EVENTS, ModerationActSchema, moderationRoom, sessionRoom, staffRoom, userRoom } from '../../lib/contract/socket';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import type { SocketRouter } from './socketRouter';
import type { IoServer, IoSocket } from './types';

/** setTimeout's longest delay; a longer session is simply checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Moderators on the socket: the desk's live queue and actions. Rights are
 * checked against the store on every event, so a revoked session is refused
 * at once even before its sockets are disconnected.
 */
export function registerModerationHandlers(deps: { io: IoServer; router: SocketRouter; services: Services }): () => void {
  const { io, router, services } = deps;

  async function staff(socket: IoSocket) {
    const session = await services.auth.authenticate(socket.data.staffToken);
    if (!session) throw new AppError('not_signed_in');
    return session;
  }

  // A signed-in connection is put in its account's and session's rooms before any of its events
  // is handled, so a revocation's disconnect reaches it; it is then checked once more, in case
  // the revocation landed between the handshake's check and the join.
  io.use((socket, next) => {
    const token = socket.data.staffToken;
    if (!token) return next();
    // Any signed-in person's connection (a commenter's too): signing out their other devices reaches it at once.
    services.auth.person(token).then(
      (session) => {
        socket.data.staffRooms = session ? [userRoom(session.user.id), sessionRoom(session.sessionId), ...(isStaffRole(session.user.role) ? [staffRoom()] : [])] : [];
        next();
      },
      () => next(),
    );
  });

  router.answer(EVENTS.moderationSubscribe, async (socket) => {
    const session = await staff(socket);
    // Join first, then read, as with threads: a change in between arrives live too.
    await socket.join(moderationRoom());
    disconnectWhenExpired(socket, session.expiresAt);
    return { items: await services.moderation.queue({}) };
  });

  router.answer(EVENTS.moderationAct, async (socket, raw) => {
    const { user } = await staff(socket);
    const request = parseOrThrow(ModerationActSchema, raw);
    if ('slug' in request) {
      return { thread: await services.moderation.setThreadLock({ slug: request.slug, locked: request.action === 'lock', actor: user, reason: request.reason }) };
    }
    return services.moderation.actOnComment({ commentId: request.commentId, action: request.action, actor: user, reason: request.reason, note: request.note });
  });

  io.on('connection', (socket: IoSocket) => {
    const rooms = socket.data.staffRooms ?? [];
    if (rooms.length > 0) {
      void socket.join(rooms);
      void services.auth.person(socket.data.staffToken).then((session) => {
        if (!session) socket.disconnect(true);
      });
    }
  });

  // An expired session must stop hearing the queue too, not only stop acting on it.
  const expiryTimers = new WeakMap<IoSocket, NodeJS.Timeout>();
  function disconnectWhenExpired(socket: IoSocket, expiresAt: string) {
    if (expiryTimers.has(socket)) return;
    const delay = Math.min(Math.max(Date.parse(expiresAt) - Date.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      expiryTimers.delete(socket);
      void services.auth.authenticate(socket.data.staffToken).then(
        (session) => (session ? disconnectWhenExpired(socket, session.expiresAt) : socket.disconnect(true)),
        () => socket.disconnect(true),
      );
    }, delay);
    timer.unref();
    expiryTimers.set(socket, timer);
    socket.once('disconnect', () => clearTimeout(timer));
  }

  const stopQueue = services.queueBus.subscribe((change) => {
    io.to(moderationRoom()).emit(EVENTS.moderationQueue, change);
  });
  // Through the adapter, so a sign-out or a removed account takes effect on every node.
  const stopAccounts = services.accountBus.subscribe((change) => {
    const room = change.type === 'session.revoked' ? sessionRoom(change.sessionId) : userRoom(change.userId);
    io.in(room).disconnectSockets(true);
  });
  return () => {
    stopQueue();
    stopAccounts();
  };
}
