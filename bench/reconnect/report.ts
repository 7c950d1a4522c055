import type { TargetName } from '../common/targets/target';
import type { Report } from '../common/harness/scenario';
import { oursSlashBaseline, type SummaryCells } from '../common/harness/summary';
import { round, sideRounds } from '../common/stats';
import type { ReconnectOptions } from './run';
import type { ReconnectRound } from './runRound';

/** Ours' time until every moved reader has caught up, within this multiple of the baseline's (issue 15, target 5; issue 6 had 1.1). */
export const TARGET_CATCH_UP_RATIO = 1.3;

export interface ReconnectSummary {
  target: TargetName;
  rounds: number;
  /** Medians over rounds, ms from the SIGKILL. */
  catchUpAllMs: number;
  catchUpMedianMs: number;
  detectMs: number;
  /** The surviving node's CPU from the kill until every moved reader caught up (runRound.ts). */
  survivorCpuMs: number;
  /** Totals over rounds. */
  stuckReaders: number;
  lostComments: number;
  duplicateComments: number;
  readersWithLoss: number;
  resyncs: number;
  gapFills: number;
  postFailures: number;
  reconnectAttempts: number;
  movedReaders: number;
}

/** What the reconnect run adds to the harness's report. */
export interface ReconnectBody {
  rounds: ReconnectRound[];
  summary: ReconnectSummary[];
  comparison: {
    catchUpAllRatio: number;
    catchUpMedianRatio: number;
    /** The survivor's CPU over the storm, ours ÷ baseline: what the load generator's own speed cannot hide. */
    survivorCpuRatio: number;
    targetRatio: number;
    meetsTarget: boolean;
    /** Ours lost or duplicated nothing, compared with its database's event log. */
    oursExact: boolean;
  } | null;
}

export type ReconnectReport = Report<Omit<ReconnectOptions, 'quick' | 'smoke'>, ReconnectBody>;

export function summariseReconnect(target: TargetName, rounds: ReconnectRound[]): ReconnectSummary {
  const { rounds: mine, median, total: sum } = sideRounds(rounds, target);
  return {
    target,
    rounds: mine.length,
    catchUpAllMs: median((r) => r.catchUpAllMs, 1),
    catchUpMedianMs: median((r) => r.catchUpMedianMs, 1),
    detectMs: median((r) => r.detectMs, 1),
    survivorCpuMs: median((r) => r.survivorCpuMs, 0),
    stuckReaders: sum((r) => r.result.stuckReaders),
    lostComments: sum((r) => r.result.lostComments),
    duplicateComments: sum((r) => r.result.duplicateComments),
    readersWithLoss: sum((r) => r.result.readersWithLoss),
    resyncs: sum((r) => r.result.resyncs),
    gapFills: sum((r) => r.result.gapFills),
    postFailures: sum((r) => r.result.postFailures),
    reconnectAttempts: sum((r) => r.result.reconnectAttempts),
    movedReaders: sum((r) => r.result.movedReaders),
  };
}

export function compareReconnect(summary: ReconnectSummary[]): ReconnectBody['comparison'] {
  const ours = summary.find((s) => s.target === 'ours');
  const base = summary.find((s) => s.target === 'baseline');
  if (!ours || !base || ours.rounds === 0 || base.rounds === 0) return null;
  const catchUpAllRatio = round(ours.catchUpAllMs / base.catchUpAllMs, 2);
  return {
    catchUpAllRatio,
    catchUpMedianRatio: round(ours.catchUpMedianMs / base.catchUpMedianMs, 2),
    survivorCpuRatio: round(ours.survivorCpuMs / base.survivorCpuMs, 2),
    targetRatio: TARGET_CATCH_UP_RATIO,
    meetsTarget: catchUpAllRatio <= TARGET_CATCH_UP_RATIO,
    oursExact: ours.lostComments === 0 && ours.duplicateComments === 0 && ours.stuckReaders === 0,
  };
}

export function reconnectRoundLine(r: ReconnectRound): string {
  const res = r.result;
  return (
    `  ${r.target}: ${res.movedReaders} readers moved; all caught up ${r.catchUpAllMs ?? '–'} ms after the kill (median ${r.catchUpMedianMs}, first drop seen at ${r.detectMs ?? '–'} ms; survivor CPU ${r.survivorCpuMs ?? '–'} ms); ` +
    `${res.expectedComments} comments, lost ${res.lostComments} (${res.readersWithLoss} readers), duplicated ${res.duplicateComments}; ` +
    `${res.reconnectAttempts} connects, ${res.resyncs} resyncs, ${res.gapFills} gap fills${res.stuckReaders > 0 ? `, ⚠ ${res.stuckReaders} stuck` : ''}${res.postFailures > 0 ? `, ⚠ ${res.postFailures} failed POSTs` : ''}`
  );
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');

export function reconnectMarkdown(report: ReconnectReport): string {
  const o = report.options;
  const lines = [
    `### Reconnect storm: ${o.readers} readers on two nodes + Redis, one SIGKILLed, ${o.rate} comments/s, ${o.rounds} round(s) per target (medians)${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| target | rounds | moved readers | all caught up (ms after kill) | median reader (ms) | first drop seen (ms) | survivor CPU until all caught up (ms) | stuck | lost comments (readers) | duplicated | resyncs | gap fills |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of report.summary) {
    lines.push(
      `| ${s.target} | ${s.rounds} | ${s.movedReaders} | ${fmt(s.catchUpAllMs)} | ${fmt(s.catchUpMedianMs)} | ${fmt(s.detectMs)} | ${fmt(s.survivorCpuMs)} | ${s.stuckReaders} | ` +
        `${s.lostComments} (${s.readersWithLoss}) | ${s.duplicateComments} | ${s.resyncs} | ${s.gapFills} |`,
    );
  }
  lines.push('');
  const c = report.comparison;
  lines.push(
    c
      ? `ours / baseline: time until every reader caught up **${c.catchUpAllRatio}×** (median reader ${c.catchUpMedianRatio}×; the surviving node's CPU until then ${c.survivorCpuRatio}×) — target ≤ ${c.targetRatio}×: ${c.meetsTarget ? 'met' : '**missed**'}; ` +
          `ours ${c.oursExact ? 'lost and duplicated nothing (checked against its event log)' : '**lost, duplicated or stranded comments/readers**'}. The baseline has no catch-up: its lost comments are what a bare room join misses.`
      : 'No ours/baseline ratio: only one target ran.',
  );
  return lines.join('\n');
}

/** The run's line in bench/results/reconnect.md. */
export function reconnectSummaryCells(report: ReconnectReport): SummaryCells {
  const both = (pick: (s: ReconnectSummary) => number) => oursSlashBaseline(report.summary, pick, fmt);
  const c = report.comparison;
  return {
    medians: `ours / baseline: every reader caught up ${both((s) => s.catchUpAllMs)} ms after the kill (median reader ${both((s) => s.catchUpMedianMs)} ms); survivor CPU meanwhile ${both((s) => s.survivorCpuMs)} ms; lost comments ${both((s) => s.lostComments)}`,
    ratios: c ? `all caught up ${c.catchUpAllRatio}×, median reader ${c.catchUpMedianRatio}×, survivor CPU ${c.survivorCpuRatio}×` : '–',
    target: `all caught up ≤ ${TARGET_CATCH_UP_RATIO}×, ours loses nothing`,
    meetsTarget: c ? c.meetsTarget : null,
    caveat: c && !c.oursExact ? 'ours lost, duplicated or stranded comments/readers' : undefined,
  };
}
