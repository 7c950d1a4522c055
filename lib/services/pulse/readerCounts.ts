/**
 * "N reading now" as the realtime layer counts it (server/realtime/presence.ts): the sockets in a thread's
 * room on this node plus what the other nodes last reported. The services only read it.
 */
export interface ReaderCounts {
  /** Open pages of one thread, on every node. */
  reading(slug: string): number;
  /** Open pages of every thread, on every node. */
  readingEverywhere(): number;
}

/** Until the realtime layer starts (and in a process without one: a script, a test of the store) nobody reads. */
export const NO_READERS: ReaderCounts = { reading: () => 0, readingEverywhere: () => 0 };
