import fs from 'node:fs';

/** USER_HZ: 100 on every mainstream Linux build (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; null where that is unreadable. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing paren are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Samples several processes at once; `percentOfCore` then gives each one's share of a core since the sample. */
export function sampleCpu(pids: number[]): { pids: number[]; cpuSeconds: (number | null)[]; atMs: number } {
  return { pids, cpuSeconds: pids.map(processCpuSeconds), atMs: Date.now() };
}

export function percentOfCore(start: ReturnType<typeof sampleCpu>, end: ReturnType<typeof sampleCpu>): (number | null)[] {
  const seconds = (end.atMs - start.atMs) / 1000;
  return start.cpuSeconds.map((before, i) => {
    const after = end.cpuSeconds[i];
    if (before === null || after === null || after === undefined || seconds <= 0) return null;
    return Math.round(((after - before) / seconds) * 1000) / 10;
  });
}
