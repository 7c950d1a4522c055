/** Small, dependency-free statistics for latency samples. */

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100); NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank: the smallest value such that at least p% of samples are <= it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Median of numbers, ignoring NaN; NaN when nothing is left. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? (finite[mid] as number) : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
}

/** A latency distribution as reports keep it, ms. */
export interface LatencyStats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarises samples in place (the array is sorted). */
export function summariseLatencies(samples: Float64Array): LatencySummary {
  samples.sort();
  let sum = 0;
  for (const v of samples) sum += v;
  return {
    count: samples.length,
    p50: percentileOfSorted(samples, 50),
    p90: percentileOfSorted(samples, 90),
    p99: percentileOfSorted(samples, 99),
    max: samples.length > 0 ? (samples[samples.length - 1] as number) : Number.NaN,
    mean: samples.length > 0 ? sum / samples.length : Number.NaN,
  };
}

/** Rounds to a fixed number of decimals for reports (JSON keeps numbers, not strings). */
export function round(value: number, decimals = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** One side's rounds of a run and the two ways a summary folds them: the median of a per-round figure, the total of a count. */
export function sideRounds<R extends { target: string }>(rounds: readonly R[], target: string) {
  const mine = rounds.filter((r) => r.target === target);
  return {
    rounds: mine,
    median: (pick: (r: R) => number | null, decimals = 2) => round(median(mine.map((r) => pick(r) ?? Number.NaN)), decimals),
    total: (pick: (r: R) => number) => mine.reduce((sum, r) => sum + pick(r), 0),
  };
}

/** Medians over rounds of a fan-out's delivery latency, ms (bench/fanout per target, bench/lock per kind of event). */
export interface DeliveryMedians {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Readers on the node that took the request vs on the other node (through Redis). */
  sameNodeP99Ms: number;
  crossNodeP99Ms: number;
  /** Per event, its fastest reader: ≈ the server's publish path. */
  firstDeliveryP50Ms: number;
}
