import type { TargetName } from '../common/targets/target';
import type { Report } from '../common/harness/scenario';
import { oursSlashBaseline, type SummaryCells } from '../common/harness/summary';
import { round, sideRounds } from '../common/stats';
import type { MemoryOptions } from './run';
import type { MemoryRound } from './runRound';

/** Ours' RSS per connection should stay within this multiple of the baseline's (issue 6; reported, not asserted). */
export const TARGET_RSS_RATIO = 1.1;

export interface MemorySummary {
  target: TargetName;
  rounds: number;
  /** Medians over rounds, bytes per connection. */
  rssPerConnection: number;
  heapUsedPerConnection: number;
  externalPerConnection: number;
  /** Medians over rounds, MiB, after GC: the idle node, and the node holding every reader. */
  rssBeforeMiB: number;
  rssAfterMiB: number;
  heapUsedAfterMiB: number;
  connectSeconds: number;
  dropped: number;
}

/** What the memory run adds to the harness's report. */
export interface MemoryBody {
  rounds: MemoryRound[];
  summary: MemorySummary[];
  comparison: { rssRatio: number; heapUsedRatio: number; targetRssRatio: number; meetsTarget: boolean; trustworthy: boolean } | null;
}

export type MemoryReport = Report<Omit<MemoryOptions, 'quick' | 'smoke'>, MemoryBody>;

const MiB = 1024 * 1024;

export function summariseMemory(target: TargetName, rounds: MemoryRound[]): MemorySummary {
  const { rounds: mine, median: m, total } = sideRounds(rounds, target);
  return {
    target,
    rounds: mine.length,
    rssPerConnection: m((r) => r.perConnection.rss, 0),
    heapUsedPerConnection: m((r) => r.perConnection.heapUsed, 0),
    externalPerConnection: m((r) => r.perConnection.external, 0),
    rssBeforeMiB: m((r) => r.before.rss / MiB, 1),
    rssAfterMiB: m((r) => r.after.rss / MiB, 1),
    heapUsedAfterMiB: m((r) => r.after.heapUsed / MiB, 1),
    connectSeconds: m((r) => r.connectSeconds, 1),
    dropped: total((r) => r.dropped),
  };
}

export function compareMemory(summary: MemorySummary[], rounds: MemoryRound[]): MemoryBody['comparison'] {
  const ours = summary.find((s) => s.target === 'ours');
  const base = summary.find((s) => s.target === 'baseline');
  if (!ours || !base || ours.rounds === 0 || base.rounds === 0) return null;
  const rssRatio = round(ours.rssPerConnection / base.rssPerConnection, 2);
  return {
    rssRatio,
    heapUsedRatio: round(ours.heapUsedPerConnection / base.heapUsedPerConnection, 2),
    targetRssRatio: TARGET_RSS_RATIO,
    meetsTarget: rssRatio <= TARGET_RSS_RATIO,
    trustworthy: rounds.every((r) => r.dropped === 0 && (r.quietWait?.quiet ?? true)),
  };
}

const kb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : '–');

export function memoryRoundLine(r: MemoryRound): string {
  return `  ${r.target}: RSS ${(r.before.rss / MiB).toFixed(1)} → ${(r.after.rss / MiB).toFixed(1)} MiB, ${kb(r.perConnection.rss)} KiB/connection (heap ${kb(r.perConnection.heapUsed)} KiB)${r.dropped > 0 ? `, ⚠ ${r.dropped} dropped` : ''}`;
}

export function memoryMarkdown(report: MemoryReport): string {
  const lines = [
    `### Idle memory: ${report.options.readers} idle subscribed readers on one node, ${report.options.rounds} round(s) per target on fresh nodes (medians)${report.options.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| target | rounds | RSS / connection | heap used / connection | external / connection | RSS idle → loaded (MiB) | heap used loaded (MiB) | connect s | dropped |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of report.summary) {
    lines.push(
      `| ${s.target} | ${s.rounds} | ${kb(s.rssPerConnection)} KiB | ${kb(s.heapUsedPerConnection)} KiB | ${kb(s.externalPerConnection)} KiB | ` +
        `${s.rssBeforeMiB} → ${s.rssAfterMiB} | ${s.heapUsedAfterMiB} | ${s.connectSeconds} | ${s.dropped} |`,
    );
  }
  lines.push('');
  const c = report.comparison;
  lines.push(
    c
      ? `ours / baseline: RSS per connection **${c.rssRatio}×**, heap per connection ${c.heapUsedRatio}× — target ≤ ${c.targetRssRatio}×: ${c.meetsTarget ? 'met' : '**missed**'}` +
          `${c.trustworthy ? '' : ' (⚠ readers dropped or the machine was busy: read with care)'}`
      : 'No ours/baseline ratio: only one target ran.',
  );
  return lines.join('\n');
}

/** The run's line in bench/results/memory.md. */
export function memorySummaryCells(report: MemoryReport): SummaryCells {
  const both = (pick: (s: MemorySummary) => number) => oursSlashBaseline(report.summary, pick, kb);
  const c = report.comparison;
  return {
    medians: `ours / baseline per connection: RSS ${both((s) => s.rssPerConnection)} KiB, heap ${both((s) => s.heapUsedPerConnection)} KiB`,
    ratios: c ? `RSS per connection ${c.rssRatio}×, heap ${c.heapUsedRatio}×` : '–',
    target: `RSS per connection ≤ ${TARGET_RSS_RATIO}×`,
    meetsTarget: c ? c.meetsTarget : null,
    caveat: c && c.trustworthy === false ? 'readers dropped or the machine was busy' : undefined,
  };
}
