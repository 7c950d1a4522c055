import os from 'node:os';
import type { ImportRun, ImportStore } from '../store/importStore';

/**
 * A run not heard from for this long is taken for dead. A live run touches its row after every
 * batch (seconds apart); this bound matters only for a run on another host, whose pid says nothing here.
 */
export const STALE_RUN_MS = 10 * 60_000;

/** Whether the run's process is gone: it was on this host and its pid is no more, or it has been silent too long. */
export function isDeadRun(run: ImportRun, now: Date, host = os.hostname()): boolean {
  if (now.getTime() - Date.parse(run.heartbeatAt) > STALE_RUN_MS) return true;
  return run.host === host && !processAlive(run.pid);
}

function processAlive(pid: number): boolean {
  try {
    // Signal 0 only asks whether the process exists.
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what runs killed earlier left behind (their staging and their row), and says for each
 * what became of it: one killed while reading wrote nothing; one killed while writing left part
 * of its file in the store, which running the same file again completes (docs/import.md).
 */
export async function sweepDeadRuns(options: { imports: ImportStore; now: Date; file: string | null }): Promise<string[]> {
  const warnings: string[] = [];
  for (const run of await options.imports.listRuns()) {
    if (!isDeadRun(run, options.now)) continue;
    await options.imports.endRun(run.id);
    warnings.push(describeDeadRun(run, options.file));
  }
  return warnings;
}

function describeDeadRun(run: ImportRun, file: string | null): string {
  const what = `an earlier import of ${run.file ?? run.source} (started ${run.startedAt}, process ${run.pid} on ${run.host})`;
  if (run.phase === 'reading') return `${what} stopped while reading its file and wrote nothing; what it had read is cleared away`;
  const through = run.line === null ? 'before its first batch' : `after writing through line ${run.line}`;
  const next = run.file !== null && run.file === file ? 'this run of the same file writes the rest' : 'run that file again to write the rest';
  return `${what} stopped while writing, ${through}: ${next}`;
}
