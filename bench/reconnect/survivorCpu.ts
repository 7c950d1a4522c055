import { nowMs } from '../common/clock';
import { processCpuSeconds } from '../common/processCpu';

/** /proc counts CPU in 10 ms ticks: sampling more often than this adds nothing. */
const SAMPLE_EVERY_MS = 20;

/**
 * The surviving node's CPU over the storm, the measure that does not depend on
 * how fast the load generator (one core, a thousand clients reconnecting at
 * once) happens to be: CPU seconds (user + system, /proc) sampled every 20 ms,
 * so the span from the kill until the last moved reader caught up can be read
 * afterwards, when the generator has reported that moment.
 */
export function watchSurvivorCpu(pid: number): { stop(): void; cpuMsBetween(fromMs: number, toMs: number): number | null } {
  const samples: { atMs: number; cpuSeconds: number }[] = [];
  const sample = () => {
    const cpuSeconds = processCpuSeconds(pid);
    if (cpuSeconds !== null) samples.push({ atMs: nowMs(), cpuSeconds });
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  timer.unref();
  const at = (ms: number): number | null => {
    // The last sample at or before the moment, and the first after it: interpolated between them.
    const after = samples.findIndex((s) => s.atMs >= ms);
    if (after <= 0) return null;
    const a = samples[after - 1] as (typeof samples)[number];
    const b = samples[after] as (typeof samples)[number];
    return a.cpuSeconds + ((b.cpuSeconds - a.cpuSeconds) * (ms - a.atMs)) / (b.atMs - a.atMs);
  };
  return {
    stop: () => clearInterval(timer),
    cpuMsBetween(fromMs, toMs) {
      const from = at(fromMs);
      const to = at(toMs);
      return from === null || to === null ? null : Math.round((to - from) * 1000);
    },
  };
}
