import type { Report } from '../common/harness/scenario';
import type { SummaryCells } from '../common/harness/summary';
import { median, round } from '../common/stats';
import type { LadderResult } from './ladder';
import type { PostingOptions } from './run';
import type { TargetName } from '../common/targets/target';
import type { StoreKind } from './targets';

/** Ours should sustain at least this share of the baseline's comments/s within the p99 bound (reported, not asserted). */
export const TARGET_RATE_RATIO = 0.8;

export interface LadderRecord extends LadderResult {
  round: number;
  target: TargetName;
  store: StoreKind;
}

export interface StoreSummary {
  store: StoreKind;
  /** Median over rounds of each ladder's highest sustained rate. */
  oursSustainedRate: number;
  baselineSustainedRate: number;
  ratio: number | null;
  meetsTarget: boolean | null;
  /** At the ladder's first rate (light load): median p50 / p99 over rounds. */
  lightLoad: { rate: number; oursP50Ms: number; oursP99Ms: number; baselineP50Ms: number; baselineP99Ms: number; oursCpuMsPerComment: number; baselineCpuMsPerComment: number };
  /** Whether any step below a ladder's stopping point saturated the generator or ran beside foreign load. */
  trustworthy: boolean;
}

/** What the posting run adds to the harness's report. */
export interface PostingBody {
  ladders: LadderRecord[];
  summary: StoreSummary[];
}

export type PostingReport = Report<Omit<PostingOptions, 'quick' | 'smoke'>, PostingBody>;

const NOISY_FOREIGN_CPU_PERCENT = 20;

export function summariseStore(store: StoreKind, ladders: LadderRecord[]): StoreSummary {
  const of = (target: TargetName) => ladders.filter((l) => l.store === store && l.target === target);
  const ours = of('ours');
  const base = of('baseline');
  const sustained = (ls: LadderRecord[]) => (ls.length === 0 ? Number.NaN : median(ls.map((l) => l.sustainedRate)));
  const first = (ls: LadderRecord[], pick: 'p50' | 'p99') => round(median(ls.map((l) => l.steps[0]?.latencyMs[pick] ?? Number.NaN)), 2);
  const cpu = (ls: LadderRecord[]) => round(median(ls.map((l) => l.steps[0]?.cpuMsPerComment ?? Number.NaN)), 3);
  const o = sustained(ours);
  const b = sustained(base);
  const ratio = Number.isFinite(o) && Number.isFinite(b) && b > 0 ? round(o / b, 2) : null;
  return {
    store,
    oursSustainedRate: o,
    baselineSustainedRate: b,
    ratio,
    meetsTarget: ratio === null ? null : ratio >= TARGET_RATE_RATIO,
    lightLoad: { rate: ours[0]?.steps[0]?.rate ?? base[0]?.steps[0]?.rate ?? Number.NaN, oursP50Ms: first(ours, 'p50'), oursP99Ms: first(ours, 'p99'), baselineP50Ms: first(base, 'p50'), baselineP99Ms: first(base, 'p99'), oursCpuMsPerComment: cpu(ours), baselineCpuMsPerComment: cpu(base) },
    trustworthy: [...ours, ...base].every((l) => l.steps.every((s) => !s.generatorSaturated && (s.foreignCpuPercent ?? 0) <= NOISY_FOREIGN_CPU_PERCENT)),
  };
}

const fmt = (v: number | null, decimals = 1) => (v !== null && Number.isFinite(v) ? v.toFixed(decimals) : '–');

export function markdownSummary(report: PostingReport): string {
  const o = report.options;
  const lines = [
    `Posting: POST → commit → first receiver, one reader, open loop; ladder ${o.rates.join(', ')} comments/s, ${o.seconds} s per step (+${o.warmupSeconds} s warm-up); ` +
      `sustained = p99 ≤ ${o.p99LimitMs} ms, nothing lost or failed; ${o.rounds} round(s), medians over rounds${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
    `| store | ours sustained /s | baseline sustained /s | ratio (target ≥ ${TARGET_RATE_RATIO}) | at ${report.summary[0]?.lightLoad.rate ?? '?'}/s: ours p50 / p99 ms | baseline p50 / p99 ms | CPU ms / comment ours / baseline | trustworthy |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of report.summary) {
    lines.push(
      `| ${s.store} | ${fmt(s.oursSustainedRate, 0)} | ${fmt(s.baselineSustainedRate, 0)} | ${fmt(s.ratio, 2)}${s.meetsTarget === null ? '' : s.meetsTarget ? ' ✓' : ' ✗'} | ` +
        `${fmt(s.lightLoad.oursP50Ms)} / ${fmt(s.lightLoad.oursP99Ms)} | ${fmt(s.lightLoad.baselineP50Ms)} / ${fmt(s.lightLoad.baselineP99Ms)} | ${fmt(s.lightLoad.oursCpuMsPerComment, 2)} / ${fmt(s.lightLoad.baselineCpuMsPerComment, 2)} | ${s.trustworthy ? 'yes' : 'no (see JSON)'} |`,
    );
  }
  return lines.join('\n');
}

/** The run's line in bench/results/posting.md: one clause per store. */
export function postingSummaryCells(report: PostingReport): SummaryCells {
  const per = (text: (s: StoreSummary) => string) => report.summary.map((s) => `${s.store} ${text(s)}`).join('; ');
  const verdicts = report.summary.map((s) => s.meetsTarget).filter((v): v is boolean => v !== null);
  return {
    medians: per((s) => `sustained ours ${fmt(s.oursSustainedRate, 0)} / baseline ${fmt(s.baselineSustainedRate, 0)} comments/s`),
    ratios: per((s) => `${fmt(s.ratio, 2)}×`),
    target: `sustained ≥ ${TARGET_RATE_RATIO}× at p99 ≤ ${report.options.p99LimitMs} ms`,
    meetsTarget: verdicts.length === 0 ? null : verdicts.every(Boolean),
    caveat: report.summary.some((s) => !s.trustworthy) ? 'a saturated generator or foreign load below the stopping step' : undefined,
  };
}
