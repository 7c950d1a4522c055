import { EVENTS, threadRoom } from '../../lib/contract/socket';
import type { ReaderCounts } from '../../lib/services/pulse/readerCounts';
import type { IoServer } from './types';

const ROOM_PREFIX = threadRoom('');

export interface PresenceOptions {
  io: IoServer;
  /** This node's id in reports to the others. */
  nodeId: string;
  /** Whether other nodes exist to report to (the Redis adapter is on). */
  clustered: boolean;
  /** How often changed counts are sent out. */
  flushMs?: number;
  /** How often every count is re-sent, so a node that joins (or missed a report) catches up. */
  heartbeatMs?: number;
  /** A room is sent its count at most once per flush per this many local readers (tests lower it). */
  readersPerFlush?: number;
}

const READERS_PER_FLUSH = 1000;

/**
 * A newcomer to a room whose count changed waits this long at most for the
 * room's own turn rather than being sent the count alone: in a reconnect storm
 * every flush brings hundreds of newcomers, and a message each, on top of the
 * room's, was a write per reader that the room's turn a moment later repeats.
 */
const NEWCOMER_WAIT_MS = 2000;

/**
 * Sending a room its count costs a write per reader: while thousands (re)join
 * a thread — a node's readers moving after it died — a count sent every flush
 * would cost more than the joins. A room of 5,000 here hears its count every
 * 5 flushes at most; "5,000 reading" a few seconds late is still right enough.
 */
function roomWideEveryMs(flushMs: number, localReaders: number, readersPerFlush: number): number {
  return flushMs * Math.max(1, Math.ceil(localReaders / readersPerFlush));
}

/**
 * "N reading now": each node counts the sockets in its own thread rooms, tells
 * the other nodes its count, and tells its own readers the sum. Nodes that stop
 * reporting drop out after three heartbeats. Counts go out at most once per
 * flush per thread, however many readers come and go (less often to big rooms, see roomWideEveryMs).
 */
export function startPresence(options: PresenceOptions): (() => void) & ReaderCounts {
  const { io, nodeId, clustered } = options;
  const flushMs = options.flushMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const readersPerFlush = options.readersPerFlush ?? READERS_PER_FLUSH;
  const adapter = io.of('/').adapter;
  const remote = new Map<string, Map<string, { count: number; at: number }>>();
  const changed = new Set<string>();
  const announce = new Set<string>();
  // What each thread's readers were last told: a count that did not change is not sent again.
  const told = new Map<string, number>();
  // Who joined each thread since the last flush: a newcomer must hear the count even if it is unchanged,
  // and then only the newcomers are told (a whole room of thousands is not re-sent what it knows).
  const joined = new Map<string, string[]>();

  const localCount = (slug: string) => adapter.rooms.get(threadRoom(slug))?.size ?? 0;
  const total = (slug: string) => {
    let sum = localCount(slug);
    const now = Date.now();
    for (const [node, entry] of remote.get(slug) ?? []) {
      if (now - entry.at > 3 * heartbeatMs) remote.get(slug)!.delete(node);
      else sum += entry.count;
    }
    return sum;
  };
  // The moderators' pulse (lib/services/pulse) reads the same sums the readers are told, so its
  // "reading now" is theirs and not a second count that could disagree.
  const readingEverywhere = () => {
    let sum = 0;
    for (const [room, sockets] of adapter.rooms) if (room.startsWith(ROOM_PREFIX)) sum += sockets.size;
    const now = Date.now();
    for (const entries of remote.values()) for (const entry of entries.values()) if (now - entry.at <= 3 * heartbeatMs) sum += entry.count;
    return sum;
  };

  const onRoomChange = (room: string) => {
    if (!room.startsWith(ROOM_PREFIX)) return;
    const slug = room.slice(ROOM_PREFIX.length);
    changed.add(slug);
    announce.add(slug);
  };
  adapter.on('join-room', onRoomChange);
  const onJoin = (room: string, socketId: string) => {
    if (!room.startsWith(ROOM_PREFIX)) return;
    const slug = room.slice(ROOM_PREFIX.length);
    const newcomers = joined.get(slug);
    if (newcomers) newcomers.push(socketId);
    else joined.set(slug, [socketId]);
  };
  adapter.on('join-room', onJoin);
  adapter.on('leave-room', onRoomChange);

  if (clustered) {
    io.on('presence:count', ({ node, slug, count }) => {
      if (node === nodeId) return;
      let entries = remote.get(slug);
      // Bound: a node's count of 0 is forgotten, not kept, so `remote` holds only threads someone reads
      // now on another node — not every thread ever opened anywhere in the cluster.
      if (count === 0) {
        entries?.delete(node);
        if (entries?.size === 0) remote.delete(slug);
      } else {
        if (!entries) remote.set(slug, (entries = new Map()));
        entries.set(node, { count, at: Date.now() });
      }
      changed.add(slug);
    });
  }

  // When each thread's whole room was last sent a count.
  const sentAt = new Map<string, number>();
  const flush = setInterval(() => {
    for (const slug of announce) if (clustered) io.serverSideEmit('presence:count', { node: nodeId, slug, count: localCount(slug) });
    announce.clear();
    const now = Date.now();
    const later: string[] = [];
    for (const slug of changed) {
      const local = localCount(slug);
      if (local === 0) {
        told.delete(slug);
        sentAt.delete(slug);
        joined.delete(slug);
        continue;
      }
      const reading = total(slug);
      const stale = told.get(slug) !== reading;
      const turnAt = (sentAt.get(slug) ?? 0) + roomWideEveryMs(flushMs, local, readersPerFlush);
      if (stale && now >= turnAt) {
        told.set(slug, reading);
        sentAt.set(slug, now);
        io.local.to(threadRoom(slug)).emit(EVENTS.presence, { slug, reading });
        // The newcomers were in the room.
        joined.delete(slug);
        continue;
      }
      // The room hears the new count at its next turn; newcomers wait for it when it comes soon.
      if (stale) later.push(slug);
      if (stale && turnAt - now <= NEWCOMER_WAIT_MS) continue;
      // Each socket is in a room named by its id: one message, encoded once, to just the newcomers.
      const newcomers = joined.get(slug);
      if (newcomers) io.local.to(newcomers).emit(EVENTS.presence, { slug, reading });
      joined.delete(slug);
    }
    changed.clear();
    for (const slug of later) changed.add(slug);
  }, flushMs);

  const heartbeat = setInterval(() => {
    for (const room of adapter.rooms.keys()) onRoomChange(room);
    // A node that died without saying 0 drops out here, even for threads nobody on this node reads.
    const now = Date.now();
    for (const [slug, entries] of remote) {
      for (const [node, entry] of entries) if (now - entry.at > 3 * heartbeatMs) entries.delete(node);
      if (entries.size === 0) remote.delete(slug);
    }
  }, heartbeatMs);
  flush.unref();
  heartbeat.unref();

  const stop = () => {
    clearInterval(flush);
    clearInterval(heartbeat);
    adapter.off('join-room', onRoomChange);
    adapter.off('join-room', onJoin);
    adapter.off('leave-room', onRoomChange);
  };
  return Object.assign(stop, { reading: total, readingEverywhere });
}
