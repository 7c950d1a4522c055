/**
 * What the orchestrator (run.ts) hands the lock generator, and what it gets
 * back, as JSON (the plan in an environment variable, the result on one stdout
 * line). The generator prints the fan-out's WINDOW_START/WINDOW_END lines, so
 * bench/common/generatorProcess.ts samples CPU over the same window.
 */
import type { LatencyStats } from '../fanout/plan';
import { generatorChannel, type GeneratorReport } from '../common/generatorProcess';
import type { CommentingPlan } from '../common/load/plans';
import type { Schedule } from './schedule';

/** Action requests go to nodeUrls[action.node]. */
export interface LockPlan extends CommentingPlan {
  /** The moderator's `Cookie` header (a `tl_session`), valid on every node: they share PostgreSQL. */
  moderatorCookie: string;
  commentPath: string;
  lockPath: string;
  unlockPath: string;
  /** Fields sent with every comment besides `body` and `clientId`. */
  commentFields: Record<string, unknown>;
  schedule: Schedule;
  intervalMs: number;
  /** How long after the last intended send to keep waiting for deliveries. */
  drainSeconds: number;
}

/** Deliveries of one kind of event (lock/unlock, or comment) to every reader, over the measured actions. */
export interface EventFanout {
  measuredEvents: number;
  /** Intended send time → a reader has it, over every delivery. */
  latencyMs: LatencyStats;
  /** The same, for readers on the node that took the request vs on the other node (through Redis). */
  latencyByPathMs: { sameNode: LatencyStats; crossNode: LatencyStats };
  /** Per event: its fastest reader (≈ the server's publish path) and its slowest (every reader has it). */
  perEventMs: { firstDelivery: LatencyStats; lastDelivery: LatencyStats };
  expectedDeliveries: number;
  receivedDeliveries: number;
  lostDeliveries: number;
  duplicateDeliveries: number;
  requests: { sent: number; failed: number; firstError: string | null; responseMs: LatencyStats };
}

/** One action in schedule order, for a timeline (ms from its intended send time, rounded to 0.1; null: none or warm-up). */
export interface ActionTrace {
  kind: 'comment' | 'lock' | 'unlock';
  ordinal: number;
  node: number;
  warmup: boolean;
  /** The seq the server gave the event (from the lock response; null for comments or when the request failed). */
  seq: number | null;
  responseMs: number | null;
  status: number | null;
  firstDeliveryMs: number | null;
  lastDeliveryMs: number | null;
}

/** Other events are those besides this round's lock/unlock and bench comments; the generator's window runs from the first action to the last delivery. */
export interface LockResult extends GeneratorReport {
  runId: string;
  readers: number;
  /** Lock and unlock events together (both are one `thread.updated` each). */
  lockEvents: EventFanout;
  /** Only the locks (`thread.locked: true`), and only the unlocks. */
  lockOnly: { latencyMs: LatencyStats; lastDeliveryMs: LatencyStats };
  unlockOnly: { latencyMs: LatencyStats; lastDeliveryMs: LatencyStats };
  comments: EventFanout;
  /** `thread.updated` deliveries whose `locked` was not what the request asked for. */
  wrongLockState: number;
  trace: ActionTrace[];
  /**
   * µs/delivery × readers: how long the generator alone needs to take in one event's burst of deliveries.
   * The last reader of every event waits about this long behind the others, whatever the server does.
   */
  generatorBurstMs: number;
}

export const { planEnv: LOCK_PLAN_ENV, resultPrefix: LOCK_RESULT_PREFIX } = generatorChannel('lock');
