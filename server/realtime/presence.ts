import { EVENTS, threadRoom } from '../../lib/contract/socket';
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
}

/**
 * "N reading now": each node counts the sockets in its own thread rooms, tells
 * the other nodes its count, and tells its own readers the sum. Nodes that stop
 * reporting drop out after three heartbeats. Counts go out at most once per
 * flush per thread, however many readers come and go.
 */
export function startPresence(options: PresenceOptions): () => void {
  const { io, nodeId, clustered } = options;
  const flushMs = options.flushMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
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
      if (!entries) remote.set(slug, (entries = new Map()));
      entries.set(node, { count, at: Date.now() });
      changed.add(slug);
    });
  }

  const flush = setInterval(() => {
    for (const slug of announce) if (clustered) io.serverSideEmit('presence:count', { node: nodeId, slug, count: localCount(slug) });
    announce.clear();
    for (const slug of changed) {
      if (localCount(slug) === 0) {
        told.delete(slug);
        continue;
      }
      const reading = total(slug);
      if (told.get(slug) === reading) {
        // Each socket is in a room named by its id: one message, encoded once, to just the newcomers.
        const newcomers = joined.get(slug);
        if (newcomers) io.local.to(newcomers).emit(EVENTS.presence, { slug, reading });
        continue;
      }
      told.set(slug, reading);
      io.local.to(threadRoom(slug)).emit(EVENTS.presence, { slug, reading });
    }
    changed.clear();
    joined.clear();
  }, flushMs);

  const heartbeat = setInterval(() => {
    for (const room of adapter.rooms.keys()) onRoomChange(room);
  }, heartbeatMs);
  flush.unref();
  heartbeat.unref();

  return () => {
    clearInterval(flush);
    clearInterval(heartbeat);
    adapter.off('join-room', onRoomChange);
    adapter.off('join-room', onJoin);
    adapter.off('leave-room', onRoomChange);
  };
}
