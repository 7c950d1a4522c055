/**
 * What the orchestrator (run.ts) hands the load generator, and what it gets
 * back. The generator runs in its own process (pinned to its own core), so both
 * travel as JSON: the plan in an environment variable, the result on one
 * stdout line.
 */

import type { TargetName } from '../common/targets/target';
import { generatorChannel, type GeneratorReport } from '../common/generatorProcess';
import type { TargetWritePlan } from '../common/load/plans';
import type { LatencyStats } from '../common/stats';

export type { LatencyStats } from '../common/stats';
/** Readers are split over the nodes; the writer alternates between them. */
export interface LoadPlan extends TargetWritePlan {
  /** Measured seconds of sending. */
  seconds: number;
  /** Seconds sent before the measured part, excluded from latency (JIT, buffers, first allocations). */
  warmupSeconds: number;
  /** How long after the last intended send to keep waiting for deliveries. */
  drainSeconds: number;
}

/** A `thread:event` that is not a bench comment counts as "thread:event" among the other events. */
export interface LoadResult extends GeneratorReport {
  target: TargetName;
  runId: string;
  readers: number;
  rate: number;
  measuredComments: number;
  warmupComments: number;
  /** Publish-to-receive latency over the measured comments, ms. */
  latencyMs: LatencyStats;
  /** The same, split by whether the reader is on the node that took the POST or on the other one (through Redis). */
  latencyByPathMs: { sameNode: LatencyStats; crossNode: LatencyStats };
  /** Per comment: its first delivery (≈ the server's publish path) and its last (every reader has it). */
  perCommentMs: { firstDelivery: LatencyStats; lastDelivery: LatencyStats };
  /**
   * Per measured comment, in order (one every 1/rate s; null: never delivered / failed), ms rounded to
   * 0.1: to see when a stall happened, e.g. every 10 s or after a burst.
   */
  series: { firstDeliveryMs: (number | null)[]; lastDeliveryMs: (number | null)[]; postResponseMs: (number | null)[] };
  /** Deliveries of measured comments per second of the measured window. */
  deliveriesPerSecond: number;
  /** readers × rate: what a server keeping up delivers. */
  offeredDeliveriesPerSecond: number;
  expectedDeliveries: number;
  receivedDeliveries: number;
  lostDeliveries: number;
  duplicateDeliveries: number;
  /** Events other than bench `comment.created` (presence, typing, other comments) while measuring. */
  posts: { sent: number; failed: number; firstError: string | null; responseMs: LatencyStats };
}

export const { planEnv: PLAN_ENV, resultPrefix: RESULT_PREFIX } = generatorChannel('fanout');
