import { EVENTS, staffRoom, userRoom } from '../../lib/contract/socket';
import type { ErrorLog } from '../../lib/domain/errorLog';
import type { EventBus, NoticeDelivery, QueueChange } from '../../lib/services';
import type { IoServer } from './types';

/** How often, at most, this node tells the staff's bells the queue's count. */
export const QUEUE_COUNT_THROTTLE_MS = 1000;

/**
 * The bell, live (docs/protocol.md, `notifications:changed`, `moderation:count`): a person's notices go
 * to their account's room, which every signed-in socket of theirs joined (moderationHandlers.ts), on
 * every node through the adapter. The queue's count goes to the staff's room, at most once a second
 * per node however fast the desk changes, counted after the burst (the last change is always told).
 */
export function fanOutNotices(deps: {
  io: IoServer;
  deliveries: EventBus<NoticeDelivery>;
  queueBus: EventBus<QueueChange>;
  queueCount: () => Promise<number>;
  log: ErrorLog;
  /** Several nodes share the rooms through Redis: a person's sockets may be on another node. */
  clustered: boolean;
  throttleMs?: number;
}): () => void {
  const { io } = deps;
  const throttleMs = deps.throttleMs ?? QUEUE_COUNT_THROTTLE_MS;
  const stopDeliveries = deps.deliveries.subscribe(({ recipientId, ...change }) => {
    const room = userRoom(recipientId);
    // Most people told are not on the page right now: on one node, a room with no socket here has nobody
    // anywhere, and the adapter would encode the notice before finding that out (bench/notifications).
    if (!deps.clustered && !io.of('/').adapter.rooms.has(room)) return;
    io.to(room).emit(EVENTS.notificationsChanged, change);
  });

  let timer: NodeJS.Timeout | undefined;
  let lastSent = 0;
  const send = () => {
    timer = undefined;
    lastSent = Date.now();
    deps.queueCount().then(
      (queue) => io.to(staffRoom()).emit(EVENTS.queueCount, { queue }),
      (err: unknown) => deps.log.error('could not count the moderators’ queue', err),
    );
  };
  const stopQueue = deps.queueBus.subscribe(() => {
    if (timer) return;
    timer = setTimeout(send, Math.max(0, lastSent + throttleMs - Date.now()));
    timer.unref();
  });
  return () => {
    stopDeliveries();
    stopQueue();
    if (timer) clearTimeout(timer);
  };
}
