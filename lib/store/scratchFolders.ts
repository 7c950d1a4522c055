import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Scratch folders in the system's temp folder named by the process that made them
 * (`<prefix><pid>-<random>`), so that one left behind by a run killed outright (SIGKILL, a crash:
 * no `finally` ran) is found and deleted by the next run: its process is gone.
 */
export function makeScratchFolder(prefix: string, options: { tmpDir?: string; pid?: number } = {}): string {
  const tmp = options.tmpDir ?? os.tmpdir();
  sweepAbandoned(prefix, tmp);
  return fs.mkdtempSync(path.join(tmp, `${prefix}${options.pid ?? process.pid}-`));
}

/** Deletes this prefix's folders whose process no longer runs; answers their names. */
export function sweepAbandoned(prefix: string, tmpDir: string = os.tmpdir()): string[] {
  const swept: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return swept;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    // A folder named otherwise (an older version's, without a pid) is left alone: nothing says it is abandoned.
    if (!Number.isInteger(pid) || pid <= 0 || processRuns(pid)) continue;
    fs.rmSync(path.join(tmpDir, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
