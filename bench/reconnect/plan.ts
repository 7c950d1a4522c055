/** What bench/reconnect/run.ts hands its load generator ($RECONNECT_PLAN) and gets back (one stdout line). */
import { generatorChannel } from '../common/generatorProcess';
import type { TargetWritePlan } from '../common/load/plans';
import type { TargetName } from '../common/targets/target';

/** nodeUrls[0] survives and takes every POST; nodeUrls[1] is killed. Reader i starts on nodeUrls[i % 2]. The rate holds before, during and after the storm. */
export interface ReconnectPlan extends TargetWritePlan {
  /** Seconds of writing before the generator asks for the kill. */
  preKillSeconds: number;
  /** Seconds of writing after it. */
  postKillSeconds: number;
  /** Give up waiting for every reader to catch up after this long. */
  catchUpTimeoutSeconds: number;
  /** Ours has GET /api/threads/<slug>/events: readers fill seq gaps from it and the result is checked against it. */
  hasEventLog: boolean;
}

export interface ReconnectResult {
  target: TargetName;
  readers: number;
  /** Readers that were on the killed node. */
  movedReaders: number;
  /** Absolute times (ms, clock.ts): each moved reader's first disconnect and its catch-up (null: never). */
  firstDisconnectAtMs: number | null;
  caughtUpAtMs: (number | null)[];
  /** Moved readers that never caught up within the timeout. */
  stuckReaders: number;
  reconnectAttempts: number;
  /** Subscribe acks that said resync (too much missed to replay). */
  resyncs: number;
  /** Seq gaps a reader filled from GET /events (ours only). */
  gapFills: number;
  /** Comments the writer posted successfully / that failed. */
  posted: number;
  postFailures: number;
  /** Ours: bench comments in the thread's event log (the database). Baseline: comments posted. */
  expectedComments: number;
  /** Summed over readers: comments expected but never applied, and comments applied twice (by index). */
  lostComments: number;
  duplicateComments: number;
  /** Readers missing at least one comment. */
  readersWithLoss: number;
  generatorCpuPercent: number;
}

export const { planEnv: PLAN_ENV, resultPrefix: RESULT_PREFIX } = generatorChannel('reconnect');
/** The generator asks for the kill on stdout; the orchestrator kills the node and notes the time. */
export const KILL_NOW_LINE = 'RECONNECT_KILL_NOW';
