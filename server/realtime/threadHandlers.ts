import { SocketCreateCommentSchema } from '../../lib/contract/api';
import { EVENTS, isThreadRoom, LikeRequestSchema, SubscribeRequestSchema, threadRoom, TypingSignalSchema, UnsubscribeRequestSchema } from '../../lib/contract/socket';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { authorOf } from '../../lib/services/author';
import { clientInfo } from '../http/clientInfo';
import type { Logger } from '../log';
import type { SocketRouter } from './socketRouter';
import type { IoSocket } from './types';

/** One page follows a handful of threads at most; more is a misbehaving client. */
const MAX_SUBSCRIPTIONS = 20;

/**
 * The thread events of the protocol (docs/protocol.md). Each handler
 * validates, calls a service and acknowledges; fan-out of committed changes is
 * the bus listener's job (fanout.ts), not the handlers'.
 */
export function registerThreadHandlers(deps: { router: SocketRouter; services: Services; log: Logger }): void {
  const { router, services, log } = deps;
  // "Someone is replying…" is a courtesy: one signal per connection per RATE_LIMIT_TYPING window (2 s) is plenty.
  const typingLimiter = services.limiters.typing;

  const subscribedCount = (socket: IoSocket) => {
    let n = 0;
    for (const room of socket.rooms) if (isThreadRoom(room)) n++;
    return n;
  };

  router.answer(EVENTS.subscribe, async (socket, raw) => {
    const request = parseOrThrow(SubscribeRequestSchema, raw);
    const room = threadRoom(request.slug);
    if (!socket.rooms.has(room) && subscribedCount(socket) >= MAX_SUBSCRIPTIONS) {
      throw new AppError('invalid_request', { message: `A connection can follow at most ${MAX_SUBSCRIPTIONS} threads.` });
    }
    // Join first, then read: an event committed in between arrives live and also in `missed`; the client drops the copy.
    await socket.join(room);
    try {
      // A hidden thread is followed by staff alone; for anyone else it is not found, and the socket leaves its room.
      const seesHidden = async () => (await services.auth.authenticate(socket.data.staffToken)) !== null;
      return await services.threads.catchUp({ slug: request.slug, afterSeq: request.afterSeq ?? null, seesHidden });
    } catch (err) {
      await socket.leave(room);
      throw err;
    }
  });

  router.answer(EVENTS.unsubscribe, async (socket, raw) => {
    const { slug } = parseOrThrow(UnsubscribeRequestSchema, raw);
    await socket.leave(threadRoom(slug));
    return {};
  });

  router.answer(EVENTS.commentCreate, async (socket, raw) => {
    const { slug, ...input } = parseOrThrow(SocketCreateCommentSchema, raw);
    // The handshake's request: its headers are the browser's, and the edge judged its address and site (server/http/clientInfo.ts).
    // The session is checked on every post: one revoked on any node stops posting as the account at once.
    const author = await authorOf(services.auth, socket.data.staffToken, () => socket.data.guestId);
    const { comment } = await services.comments.create({ slug, input, guestId: author.personId, account: author.account, address: socket.data.address, client: clientInfo(socket.request) });
    return { comment };
  });

  router.answer(EVENTS.commentLike, async (socket, raw) => {
    const { commentId, liked } = parseOrThrow(LikeRequestSchema, raw);
    const { personId } = await authorOf(services.auth, socket.data.staffToken, () => socket.data.guestId);
    return services.comments.like({ commentId, liked, guestId: personId, address: socket.data.address });
  });

  // Not acknowledged: a courtesy signal, dropped when malformed, limited or from a reader not on the thread.
  router.on(EVENTS.typing, (socket, raw) => {
    const parsed = TypingSignalSchema.safeParse(raw);
    if (!parsed.success) return;
    const room = threadRoom(parsed.data.slug);
    if (!socket.rooms.has(room)) return;
    typingLimiter.consume(`typing:${socket.id}`).then(
      (limit) => {
        // Never stored; sent to the others on the thread only.
        if (limit.allowed) socket.to(room).emit(EVENTS.typingNotice, parsed.data);
      },
      (err: unknown) => log.error(`${EVENTS.typing} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  });
}
