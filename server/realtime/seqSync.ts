import { EVENTS, threadRoom } from '../../lib/contract/socket';
import type { Store } from '../../lib/store';
import type { Logger } from '../log';
import type { IoServer } from './types';

const ROOM_PREFIX = threadRoom('');
/** The heartbeat: how often every room is told its thread's seq when nothing else told it. */
export const SEQ_SYNC_INTERVAL_MS = 10_000;
/**
 * Between two rounds run for changes (not the heartbeat): a long import commits batch after batch, and
 * each round sends every reader of the thread to fetch what it missed. A quiet thread's first change goes at once.
 */
export const SEQ_SYNC_GAP_MS = 200;

export interface SeqSync {
  stop(): void;
  /** Tells every room now (the heartbeat's round, run at once: when the Redis connection comes back). */
  now(): Promise<void>;
  /** These threads changed where this node could not see it (another process); null: any thread may have. */
  threadsChanged(slugs: readonly string[] | null): void;
}

/**
 * Tells each thread's readers on this node the thread's latest seq. A reader behind it (a message lost
 * by Redis, say, or comments another process imported, which no event carried) fetches what it missed.
 * Runs now and then (the heartbeat), at once when the Redis connection comes back, and for the threads
 * the store reports changed by another process (docs/decisions.md, "Changes made by another process").
 * Every node tells only its own sockets (`io.local`): with several nodes, each reader hears it once.
 */
export function startSeqSync(options: { io: IoServer; store: Store; log: Logger; intervalMs?: number; gapMs?: number }): SeqSync {
  const { io, store, log } = options;
  const gapMs = options.gapMs ?? SEQ_SYNC_GAP_MS;
  // The seq each room was last told: a thread nobody has posted to since is not re-announced.
  const told = new Map<string, number>();
  // What waits for the next round: every room, or these.
  let everyRoom = false;
  const waiting = new Set<string>();
  let round: Promise<void> | undefined;
  let stopped = false;

  async function tell(room: string): Promise<void> {
    const slug = room.slice(ROOM_PREFIX.length);
    const thread = await store.findThreadRowBySlug(slug);
    // Readers who joined since were given this seq by their subscribe ack.
    if (!thread || told.get(room) === thread.seq) return;
    told.set(room, thread.seq);
    io.local.to(room).emit(EVENTS.sync, { slug, seq: thread.seq });
  }

  async function runRound(): Promise<void> {
    const rooms = io.of('/').adapter.rooms;
    const all = everyRoom;
    const named = [...waiting];
    everyRoom = false;
    waiting.clear();
    if (all) {
      for (const room of told.keys()) if (!rooms.get(room)?.size) told.delete(room);
    }
    const chosen = all ? [...rooms.keys()] : named.map((slug) => threadRoom(slug));
    for (const room of chosen) {
      // Only rooms this node has readers in: another node's readers are that node's to tell.
      if (!room.startsWith(ROOM_PREFIX) || !rooms.get(room)?.size) continue;
      try {
        await tell(room);
      } catch (err) {
        log.warn(`seq sync skipped: ${(err as Error).message}`);
        return;
      }
    }
  }

  /** Rounds one after another while changes keep coming, at most one per `gapMs` after the first. */
  function kick(): Promise<void> {
    round ??= (async () => {
      try {
        await runRound();
        while (!stopped && (everyRoom || waiting.size > 0)) {
          await new Promise((resolve) => setTimeout(resolve, gapMs).unref());
          await runRound();
        }
      } finally {
        round = undefined;
      }
    })();
    return round;
  }

  function threadsChanged(slugs: readonly string[] | null): void {
    if (stopped) return;
    if (slugs === null) everyRoom = true;
    else for (const slug of slugs) if (io.of('/').adapter.rooms.get(threadRoom(slug))?.size) waiting.add(slug);
    // A node with no reader of these threads has nothing to read or send.
    if (everyRoom || waiting.size > 0) void kick();
  }

  const timer = setInterval(() => threadsChanged(null), options.intervalMs ?? SEQ_SYNC_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    now() {
      everyRoom = true;
      return kick();
    },
    threadsChanged,
  };
}
