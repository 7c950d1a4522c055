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

/** Busy CPU seconds of the whole machine (all cores, everything but idle and iowait), from /proc/stat; null off Linux. */
export function machineBusySeconds(): number | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, v) => a + (v ?? 0), 0);
    return Number.isFinite(busy) ? busy / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL processes working for one database: its backends (`postgres: user db 127.0.0.1(port) …`)
 * and the shared auxiliary ones (checkpointer, WAL writer…), which write its WAL too. Other databases'
 * backends are left out, so another user's queries count as foreign load, not as ours.
 */
export function postgresPids(database: string | undefined): number[] {
  if (!database) return [];
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const isBackend = /\(\d+\)|\[local\]/.test(cmdline);
      if (!isBackend || cmdline.includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

export interface CpuSample {
  atMs: number;
  machine: number | null;
  byPid: Map<number, number | null>;
}

export function sampleCpu(pids: number[]): CpuSample {
  return { atMs: Date.now(), machine: machineBusySeconds(), byPid: new Map(pids.map((pid) => [pid, processCpuSeconds(pid)])) };
}

/** % of one core used between two samples: by one process, or by the whole machine (`pid` omitted; up to cores × 100). */
export function percentOfCore(start: CpuSample, end: CpuSample, pid?: number): number | null {
  const seconds = (end.atMs - start.atMs) / 1000;
  const before = pid === undefined ? start.machine : start.byPid.get(pid);
  const after = pid === undefined ? end.machine : end.byPid.get(pid);
  if (before === null || before === undefined || after === null || after === undefined || seconds <= 0) return null;
  return Math.round(((after - before) / seconds) * 1000) / 10;
}
