/** What the counts benchmark's processes say to each other: plans, result lines and their prefixes. */
import { generatorChannel } from '../common/generatorProcess';

/** The readers' generator (bench/counts/readerGenerator.ts). */
export interface ReaderPlan {
  baseUrl: string;
  mode: 'live' | 'poll';
  readers: number;
  slugs: string[];
  connectBatch: number;
  warmupSeconds: number;
  seconds: number;
  pollMinMs: number;
  pollMaxMs: number;
}

export interface ReaderResult {
  connected: number;
  disconnects: number;
  messages: number;
  requests: number;
  bytes: number;
  windowSeconds: number;
  connectSeconds: number;
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  errors: number;
  firstError: string | null;
}

export const READERS_CHANNEL = generatorChannel('counts');

/** The writer (bench/counts/writer.ts). */
export interface WriterPlan {
  /**
   * `store`: real comments, committed as a post commits them. `counter`: the very change a visible comment
   * makes to its thread's count (the triggers' UPDATE of migration 0008), alone: what the counts read, at the
   * issue's rate, which real comments cannot reach on a shared 2-core machine. `baseline`: a line per comment.
   */
  mode: 'store' | 'counter' | 'baseline';
  /** The busy threads (slug and, for the store, id). */
  threads: Array<{ slug: string; id: string }>;
  perThreadPerSecond: number;
  dataDir?: string;
  ingestPort?: number;
}

export const WRITER_PLAN_ENV = 'COUNTS_WRITER_PLAN';
export const WRITER_READY_LINE = 'COUNTS_WRITER_READY';
/** Every second: the comments written so far, the ticks it was late, and since when (the orchestrator keeps the last). */
export const WRITTEN_PREFIX = 'COUNTS_WRITTEN ';

/** Printed by the baseline (bench/counts/baselineServer.ts) once its ingest socket listens: the writer connects to it. */
export const INGEST_LINE = /ingest on (\d+)/;
