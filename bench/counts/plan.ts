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
  mode: 'store' | 'baseline';
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
