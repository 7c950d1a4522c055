import { spawn, type ChildProcess } from 'node:child_process';
import { processTree, type TreeProcess } from './processTree';

export interface StartResult {
  listeningMs: number;
  firstPageMs: number;
  rssMiB: number;
  pssMiB: number;
  processes: TreeProcess[];
}

function waitForListening(child: ChildProcess, output: () => string, exited: Promise<number | null>): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output());
      if (match) {
        child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`the command exited (${code}) before listening:\n${output()}`)));
  });
}

/**
 * One start of `command` in `cwd` with NODE_ENV=production, PORT=0, SQLite in
 * `dataDir` and no Redis: time to `listening on`, to `GET /` answered 200, and
 * after `settleMs` without a request, the RSS and PSS of its whole process
 * tree. `onChild` gets the started process (the caller stops its group on Ctrl-C).
 */
export async function oneStart(args: { cwd: string; command: string[]; dataDir: string; settleMs: number; onChild?(child: ChildProcess): void }): Promise<StartResult> {
  const started = performance.now();
  // Its own process group, so that the whole tree (npm, launchers, node) is stopped together.
  const child = spawn(args.command[0]!, args.command.slice(1), {
    cwd: args.cwd,
    detached: true,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: args.dataDir, DATABASE_URL: '', REDIS_URL: '', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  args.onChild?.(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const baseUrl = await waitForListening(child, () => output, exited);
    const listeningMs = performance.now() - started;
    const page = await fetch(`${baseUrl}/`);
    await page.arrayBuffer();
    if (page.status !== 200) throw new Error(`GET / answered ${page.status}`);
    const firstPageMs = performance.now() - started;
    // Idle: no request for a while, so start-up garbage can be collected and timers settle.
    await new Promise((resolve) => setTimeout(resolve, args.settleMs));
    const processes = processTree(child.pid!);
    const sum = (key: 'rssKiB' | 'pssKiB') => processes.reduce((t, p) => t + p[key], 0) / 1024;
    return { listeningMs, firstPageMs, rssMiB: sum('rssKiB'), pssMiB: sum('pssKiB'), processes };
  } finally {
    stopGroup(child);
    await exited;
  }
}

/** SIGTERM to the child's whole process group, when it still runs. */
export function stopGroup(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
}
