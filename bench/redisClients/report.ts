/** The comparison's medians, ratios (node-redis ÷ ioredis), markdown table and summary line. */
import type { SummaryCells } from '../common/harness/summary';
import { median } from '../common/stats';
import type { Case, Metrics } from './cases';
import { CLIENT_KINDS, type ClientKind } from './clients';

export type Samples = Record<string, Record<ClientKind, Metrics[]>>;

export interface CaseSummary {
  case: string;
  headline: string;
  medians: Record<ClientKind, Metrics>;
  /** node-redis / ioredis, for every metric. */
  ratio: Metrics;
  better: ClientKind | 'tie';
}

/** Within 5 % is noise on a shared two-core machine. */
const TIE = 0.05;

export function summariseCases(cases: Case[], samples: Samples): CaseSummary[] {
  return cases.map((c) => {
    const byKind = samples[c.name]!;
    const medians = Object.fromEntries(
      CLIENT_KINDS.map((kind) => {
        const rounds = byKind[kind];
        const names = Object.keys(rounds[0] ?? {});
        return [kind, Object.fromEntries(names.map((n) => [n, median(rounds.map((r) => r[n]!))]))];
      }),
    ) as Record<ClientKind, Metrics>;
    const ratio = Object.fromEntries(Object.keys(medians.ioredis).map((n) => [n, medians['node-redis'][n]! / medians.ioredis[n]!]));
    const r = ratio[c.headline.metric]!;
    const better = Math.abs(r - 1) < TIE ? 'tie' : r < 1 === c.headline.lowerIsBetter ? 'node-redis' : 'ioredis';
    return { case: c.name, headline: c.headline.metric, medians, ratio, better };
  });
}

export function formatMetrics(metrics: Metrics): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(' ');
}

export function markdownTable(summary: CaseSummary[]): string {
  const lines = ['| case | metric | ioredis | node-redis | node-redis / ioredis | better |', '|---|---|---|---|---|---|'];
  for (const s of summary) {
    for (const metric of Object.keys(s.medians.ioredis)) {
      const mark = metric === s.headline ? s.better : '';
      lines.push(`| ${s.case} | ${metric} | ${s.medians.ioredis[metric]!.toFixed(2)} | ${s.medians['node-redis'][metric]!.toFixed(2)} | ${s.ratio[metric]!.toFixed(2)} | ${mark} |`);
    }
  }
  return lines.join('\n');
}

const figure = (v: number) => (v >= 100 ? v.toFixed(0) : Number.isInteger(v) ? String(v) : v.toFixed(2));

/** A fan-out that lost messages or a limiter that fell back to its in-memory insurance makes the run suspect. */
function caveat(summary: CaseSummary[]): string | undefined {
  const suspect = summary.filter((s) =>
    CLIENT_KINDS.some((kind) => {
      const m = s.medians[kind];
      return (m.expected !== undefined && m.delivered !== undefined && m.delivered < m.expected) || (m.insured ?? 0) > 0;
    }),
  );
  return suspect.length > 0 ? `lost messages or limiter insurance in ${suspect.map((s) => s.case).join(', ')}` : undefined;
}

/**
 * The run's line in bench/results/redisClients.md: each case's deciding metric. ioredis is the client in use
 * ("ours"), node-redis the one it is compared with; this bench decides, it has no target to meet.
 */
export function redisClientsCells(summary: CaseSummary[]): SummaryCells {
  return {
    medians: `ioredis / node-redis: ${summary.map((s) => `${s.case} ${s.headline} ${figure(s.medians.ioredis[s.headline]!)} / ${figure(s.medians['node-redis'][s.headline]!)}`).join('; ')}`,
    ratios: `node-redis ÷ ioredis: ${summary.map((s) => `${s.case} ${s.ratio[s.headline]!.toFixed(2)}× (${s.better})`).join('; ')}`,
    target: `none: decides the client (within ${TIE * 100} % a tie)`,
    meetsTarget: null,
    caveat: caveat(summary),
  };
}
