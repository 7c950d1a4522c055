import { EVENTS, threadRoom } from '../../lib/contract/socket';
import type { Store } from '../../lib/store';
import type { Logger } from '../log';
import type { IoServer } from './types';

const ROOM_PREFIX = threadRoom('');

/**
 * Now and then, tell each thread's readers on this node the thread's latest
 * seq. A reader behind it (a message lost by Redis, say, with nothing posted
 * since to reveal the gap) fetches what it missed. Also run at once when the
 * Redis connection comes back.
 */
export function startSeqSync(options: { io: IoServer; store: Store; log: Logger; intervalMs?: number }): { stop(): void; now(): Promise<void> } {
  const { io, store, log } = options;
  let running = false;
  // The seq each room was last told: a thread nobody has posted to since is not re-announced.
  const told = new Map<string, number>();

  async function syncAll(): Promise<void> {
    if (running) return;
    running = true;
    try {
      const rooms = io.of('/').adapter.rooms;
      for (const room of told.keys()) if (!rooms.get(room)?.size) told.delete(room);
      for (const [room, sockets] of rooms) {
        if (!room.startsWith(ROOM_PREFIX) || sockets.size === 0) continue;
        const slug = room.slice(ROOM_PREFIX.length);
        const thread = await store.findThreadRowBySlug(slug);
        // Readers who joined since were given this seq by their subscribe ack.
        if (!thread || told.get(room) === thread.seq) continue;
        told.set(room, thread.seq);
        io.local.to(room).emit(EVENTS.sync, { slug, seq: thread.seq });
      }
    } catch (err) {
      log.warn(`seq sync skipped: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void syncAll(), options.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer), now: syncAll };
}
