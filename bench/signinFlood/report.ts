import { times, type SummaryCells } from '../common/harness/summary';
import { round, sideRounds } from '../common/stats';
import type { TargetName } from '../common/targets/target';
import type { RoundResult, SigninFloodReport } from './run';

/** Page latency while the flood runs, over without it: at most this, for ours (p50 and p99). */
export const TARGET_P50_RATIO = 1.2;
export const TARGET_P99_RATIO = 1.5;

/** One side's medians over its rounds. */
export interface SideSummary {
  target: TargetName;
  rounds: number;
  quietP50Ms: number;
  quietP99Ms: number;
  floodP50Ms: number;
  floodP99Ms: number;
  /** Flood ÷ quiet, the median of the rounds' own ratios: 1 is "unchanged". */
  p50Ratio: number;
  p99Ratio: number;
  pageErrors: number;
  /** Every round's attempts by status, added up. */
  attempts: Record<string, number>;
  floodLastAnswerS: number;
  ownerKnownS: number;
  ownerNewS: number;
  /** Rounds where the owner never got in (gave up or refused for good). */
  ownerFailures: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  /** Rounds with foreign load over the noise threshold in a window. */
  noisyRounds: number;
}

export function summariseSides(rounds: readonly RoundResult[]): SideSummary[] {
  const targets = [...new Set(rounds.map((r) => r.target))];
  return targets.map((target) => {
    const { rounds: mine, median: m, total } = sideRounds(rounds, target);
    const attempts: Record<string, number> = {};
    for (const r of mine) for (const [status, n] of Object.entries(r.attempts.statuses)) attempts[status] = (attempts[status] ?? 0) + n;
    const summary = {
      target,
      rounds: mine.length,
      quietP50Ms: m((r) => r.quiet.latencyMs.p50, 1),
      quietP99Ms: m((r) => r.quiet.latencyMs.p99, 1),
      floodP50Ms: m((r) => r.flood.latencyMs.p50, 1),
      floodP99Ms: m((r) => r.flood.latencyMs.p99, 1),
      pageErrors: total((r) => r.quiet.errors + r.flood.errors),
      attempts,
      floodLastAnswerS: m((r) => r.attempts.lastAnswerS, 1),
      ownerKnownS: m((r) => r.ownerKnown.seconds, 1),
      ownerNewS: m((r) => r.ownerNew.seconds, 1),
      ownerFailures: total((r) => (r.ownerKnown.status !== 200 || r.ownerNew.status !== 200 ? 1 : 0)),
      rssBeforeMiB: m((r) => r.rssBeforeMiB, 0),
      rssPeakMiB: m((r) => r.rssPeakMiB, 0),
    };
    return { ...summary, p50Ratio: m((r) => r.p50Ratio), p99Ratio: m((r) => r.p99Ratio), noisyRounds: total((r) => (r.noisy ? 1 : 0)) };
  });
}

const side = (report: SigninFloodReport, target: TargetName) => report.summary.find((s) => s.target === target);
const meets = (s: SideSummary) => s.p50Ratio <= TARGET_P50_RATIO && s.p99Ratio <= TARGET_P99_RATIO && s.pageErrors === 0 && s.ownerFailures === 0;

export function markdown(report: SigninFloodReport): string {
  const o = report.options;
  const preset = o.smoke ? ' — SMOKE PRESET' : o.quick ? ' — QUICK PRESET' : '';
  const ours = side(report, 'ours');
  return [
    `Sign-in flood: \`GET ${report.page}\` with Accept-Encoding: gzip, ${o.pageRate}/s (open loop), ${o.seconds} s quiet then ${o.seconds} s under ${o.rate} sign-ins/s from as many addresses; ` +
      `the owner signs in ${o.ownerAfterSeconds} s into the flood; medians of ${o.rounds} round(s)${preset}. Baseline: ${report.baseline ? report.baseline.commit.slice(0, 12) : 'not run'}`,
    '',
    '| side | page p50 quiet → flood ms | p99 quiet → flood ms | flood ÷ quiet p50 / p99 (median of rounds) | attempts (by status) | last attempt answered | owner, known browser | owner, new browser | RSS before → peak MiB |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...report.summary.map(
      (s) =>
        `| ${s.target} | ${s.quietP50Ms} → ${s.floodP50Ms} | ${s.quietP99Ms} → ${s.floodP99Ms} | ${s.p50Ratio}× / ${s.p99Ratio}× | ${Object.entries(s.attempts)
          .map(([status, n]) => `${n}× ${status}`)
          .join(', ')} | ${s.floodLastAnswerS} s | ${s.ownerKnownS} s | ${s.ownerNewS} s${s.ownerFailures > 0 ? ` (${s.ownerFailures} round(s) not in)` : ''} | ${s.rssBeforeMiB} → ${s.rssPeakMiB} |`,
    ),
    '',
    ours ? `Target (ours): page latency during the flood ≤ ${TARGET_P50_RATIO}× (p50) and ≤ ${TARGET_P99_RATIO}× (p99) of without it, no page error, the owner signed in: ${meets(ours) ? 'met' : 'NOT met'}.` : 'Ours did not run.',
  ].join('\n');
}

/** The run's line in bench/results/signinFlood.md. */
export function summarise(report: SigninFloodReport): SummaryCells {
  const [ours, baseline] = [side(report, 'ours'), side(report, 'baseline')];
  const describe = (s: SideSummary | undefined) =>
    s ? `${s.target}: p50 ${s.quietP50Ms} → ${s.floodP50Ms} ms, p99 ${s.quietP99Ms} → ${s.floodP99Ms} ms, owner in after ${s.ownerKnownS} s (known browser) / ${s.ownerNewS} s (new), RSS peak ${s.rssPeakMiB} MiB` : '';
  return {
    medians: [describe(ours), describe(baseline)].filter(Boolean).join('; '),
    ratios: `flood ÷ quiet p50 / p99: ours ${times(ours?.p50Ratio)} / ${times(ours?.p99Ratio)}, baseline ${times(baseline?.p50Ratio)} / ${times(baseline?.p99Ratio)}; during the flood, baseline ÷ ours p50 ${times(ours && baseline ? round(baseline.floodP50Ms / ours.floodP50Ms, 0) : null)}, p99 ${times(ours && baseline ? round(baseline.floodP99Ms / ours.floodP99Ms, 0) : null)}`,
    target: `ours: flood ÷ quiet p50 ≤ ${TARGET_P50_RATIO}×, p99 ≤ ${TARGET_P99_RATIO}×`,
    meetsTarget: ours ? meets(ours) : null,
    caveat: ours && ours.pageErrors > 0 ? 'page errors' : report.summary.some((s) => s.noisyRounds > 0) ? 'foreign load in some rounds' : undefined,
  };
}
