import type { DeliveryRecorder } from '../common/load/deliveryRecorder';
import type { LatencyStats } from '../fanout/plan';
import { round, summariseLatencies, type LatencySummary } from '../common/stats';
import type { ActionOutcome } from './actionSender';
import type { EventFanout } from './plan';
import type { ActionKind, Schedule, ScheduledAction } from './schedule';

export function roundedStats(summary: LatencySummary): LatencyStats {
  return { p50: round(summary.p50), p90: round(summary.p90), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) };
}

/** The schedule's actions of one family (comments, or locks and unlocks), indexed by their ordinal. */
export function actionsByOrdinal(schedule: Schedule, family: 'comment' | 'lockEvent'): ScheduledAction[] {
  const mine = schedule.actions.filter((a) => (family === 'comment' ? a.kind === 'comment' : a.kind !== 'comment'));
  return mine.sort((a, b) => a.ordinal - b.ordinal);
}

/** Deliveries of one family of events: every reader, same vs cross node, first and last reader per event, and the requests behind them. */
export function eventFanout(args: { recorder: DeliveryRecorder; actions: ScheduledAction[]; outcomes: ActionOutcome[]; readers: number; nodes: number }): EventFanout {
  const { recorder, actions } = args;
  const nodeOf = (ordinal: number) => (actions[ordinal] as ScheduledAction).node;
  const extremes = recorder.perCommentExtremes();
  const sent = actions.filter((a) => !a.warmup);
  const outcomes = sent.map((a) => args.outcomes[a.slot]);
  const failed = outcomes.filter((o) => !o || o.error !== null);
  return {
    measuredEvents: sent.length,
    latencyMs: roundedStats(recorder.measuredLatency()),
    latencyByPathMs: {
      sameNode: roundedStats(recorder.measuredLatency((reader, ordinal) => reader % args.nodes === nodeOf(ordinal))),
      crossNode: roundedStats(recorder.measuredLatency((reader, ordinal) => reader % args.nodes !== nodeOf(ordinal))),
    },
    perEventMs: { firstDelivery: roundedStats(extremes.first), lastDelivery: roundedStats(extremes.last) },
    expectedDeliveries: recorder.expected,
    receivedDeliveries: recorder.received,
    lostDeliveries: recorder.expected - recorder.received,
    duplicateDeliveries: recorder.duplicates,
    requests: {
      sent: sent.length,
      failed: failed.length,
      firstError: failed.map((o) => o?.error ?? 'no response').at(0) ?? null,
      responseMs: roundedStats(summariseLatencies(Float64Array.from(outcomes.filter((o) => o !== undefined).map((o) => o.responseMs)))),
    },
  };
}

/** Latency and last delivery of only the locks, or only the unlocks. */
export function kindOnly(args: { recorder: DeliveryRecorder; actions: ScheduledAction[]; kind: ActionKind; warmup: number }): { latencyMs: LatencyStats; lastDeliveryMs: LatencyStats } {
  const { actions, kind } = args;
  const isKind = (ordinal: number) => actions[ordinal]?.kind === kind;
  const last = Array.from(args.recorder.perCommentExtremes().lastSeries).filter((v, i) => isKind(args.warmup + i) && !Number.isNaN(v));
  return {
    latencyMs: roundedStats(args.recorder.measuredLatency((_reader, ordinal) => isKind(ordinal))),
    lastDeliveryMs: roundedStats(summariseLatencies(Float64Array.from(last))),
  };
}
