import type { RedisAdapterMode } from '../../../server/redisEndpoint';
import type { ManagedProcess, ProcessSupervisor } from '../processSupervisor';

/** What every target gets to start its nodes. */
export interface TargetContext {
  /** The repository root, where node_modules and server/ are. */
  root: string;
  redisUrl: string;
  /** The Redis adapter every node of either target uses. */
  redisAdapter: RedisAdapterMode;
  /** How many nodes to start: 1 runs without Redis (no adapter at all), 2 joins them through Redis. */
  nodes: 1 | 2;
  /** Extra Node.js flags for the server processes (bench/memory loads its heap probe this way). */
  nodeArgs: string[];
  /** PostgreSQL admin URL; targets that need a database create their own from it. */
  pgAdminUrl: string;
  supervisor: ProcessSupervisor;
  /** CPU the server nodes are pinned to (undefined: not pinned). */
  serverCpu: number | undefined;
  /** Unique per benchmark run: goes into Redis prefixes and database names. */
  runTag: string;
  /** How long a node may take to print its "listening" line (Threadline may build its pages first). */
  startTimeoutMs: number;
  log(message: string): void;
  /**
   * Runs `cleanup` when the benchmark ends, however it ends (Ctrl-C during a
   * slow start included). Targets register as soon as they create anything;
   * cleanups must be safe to run twice.
   */
  registerCleanup(cleanup: () => Promise<void>): void;
}

export interface RoundThread {
  slug: string;
  /** Readers subscribe after this seq, so the catch-up they get is empty. */
  afterSeq: number;
}

/** The running nodes of one target (two are joined by Redis). */
export interface RunningTarget {
  name: TargetName;
  nodeUrls: string[];
  /** Server processes, to sample their CPU over the measured window. */
  nodePids: number[];
  /** The same processes, to signal one (bench/memory's heap probe, bench/reconnect's kill) or read its output. */
  nodeProcesses: ManagedProcess[];
  /** The PostgreSQL database the nodes use, if any, to count its backends' CPU as part of the target. */
  databaseName?: string;
  /**
   * The environment under which the repository's command-line scripts (`scripts/userCreate.ts`…) reach
   * the nodes' store; undefined for a target without one.
   */
  storeEnv?: NodeJS.ProcessEnv;
  /** A thread for one round, fresh so rounds do not inherit each other's comments. */
  prepareThread(round: number): Promise<RoundThread>;
  /** How the writer creates a comment on this target: an HTTP POST path and the JSON fields besides `body`. */
  postRequest(thread: RoundThread): { path: string; fields: Record<string, unknown> };
  /** Throws, naming the node and quoting its last output, if a node has died. */
  assertHealthy(): void;
  /** Stops the nodes and removes what the target created (database, Redis keys). */
  stop(): Promise<void>;
}

/** Every comparing scenario's two sides: Threadline and the bare baseline it is measured against. */
export const TARGET_NAMES = ['ours', 'baseline'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface FanoutTarget {
  name: TargetName;
  description: string;
  /** Null when the target can run here, or why it cannot (e.g. a server feature is missing). */
  unavailableReason(root: string): string | null;
  start(context: TargetContext): Promise<RunningTarget>;
}

/** The URL a node prints when it is ready: `listening on http://127.0.0.1:PORT …`. */
export const LISTENING_LINE = /listening on (http:\/\/[^\s]+)/;

/** Both node URLs must be loopback: this benchmark never targets another machine. */
export function requireLoopback(url: string): string {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`node announced ${url}; the benchmark only targets 127.0.0.1`);
  return url.replace(/\/$/, '');
}

/**
 * BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to Threadline's server nodes only,
 * to profile them under a benchmark's own load (NODE_OPTIONS does not take --cpu-prof).
 */
export function benchNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}
