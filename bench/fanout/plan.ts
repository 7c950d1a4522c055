/**
 * What the orchestrator (run.ts) hands the load generator, and what it gets
 * back. The generator runs in its own process (pinned to its own core), so both
 * travel as JSON: the plan in an environment variable, the result on one
 * stdout line.
 */

import type { TargetName } from '../common/targets/target';
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

export interface LoadResult {
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
  otherEvents: number;
  /** The same, by event name (a `thread:event` that is not a bench comment counts as "thread:event"). */
  otherEventsByName: Record<string, number>;
  /** Readers that dropped before the round ended (their missing deliveries count as lost). */
  disconnects: number;
  posts: { sent: number; failed: number; firstError: string | null; responseMs: LatencyStats };
  /** How late the writer sent compared with its schedule: large values mean the generator stalled. */
  sendLagMs: { p99: number; max: number };
  connectSeconds: number;
  /** Generator CPU over the measured window, % of one core. */
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  /** Generator CPU time per delivery in the window, µs: its cost model, robust to time spent waiting for a core. */
  generatorCpuMicrosPerDelivery: number;
  windowSeconds: number;
}

export const PLAN_ENV = 'FANOUT_PLAN';
export const RESULT_PREFIX = 'FANOUT_RESULT ';
