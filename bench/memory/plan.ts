/** What bench/memory/run.ts hands each reader generator process (JSON in $MEMORY_PLAN), and the lines it prints back. */
export interface ReaderPlan {
  /** The one node every reader connects to. */
  url: string;
  slug: string;
  afterSeq: number;
  readers: number;
  /** Readers opened at a time; the next batch starts once this one has subscribed. */
  connectBatch: number;
  connectTimeoutMs: number;
}

export const PLAN_ENV = 'MEMORY_PLAN';
/** Printed once every reader of the process is connected and subscribed. */
export const READY_LINE = 'MEMORY_READERS_READY';
/** Printed for each reader that drops while idling (the round then does not count). */
export const DROPPED_PREFIX = 'MEMORY_READER_DROPPED ';
/** The heap probe's line (heapProbe.cjs). */
export const PROBE_LINE = /^BENCH_MEMORY (\{.*\})$/;
