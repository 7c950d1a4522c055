/**
 * bench/startup: how long a start command takes to answer `/`, and how much
 * memory its whole process tree holds once idle. Meant for `npm start`
 * (docs/benchmarks.md, "Start-up and idle memory").
 *
 *   npx tsx bench/startup/run.ts [--runs 5] [--settle-ms 5000] [-- COMMAND ARGS…]
 *
 * The command (default `npm start`) runs in this folder with PORT=0, HOST=127.0.0.1,
 * NODE_ENV=production and a DATA_DIR of its own. A first, uncounted start seeds that
 * DATA_DIR and makes any missing build, so the counted runs measure a routine start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processTree, type TreeProcess } from './processTree';

const ROOT = path.resolve(__dirname, '..', '..');

interface Options {
  runs: number;
  settleMs: number;
  command: string[];
}

interface Run {
  listeningMs: number;
  firstPageMs: number;
  rssMiB: number;
  pssMiB: number;
  processes: TreeProcess[];
}

function parseArgs(argv: string[]): Options {
  const dashes = argv.indexOf('--');
  const flags = dashes === -1 ? argv : argv.slice(0, dashes);
  const command = dashes === -1 ? ['npm', 'start'] : argv.slice(dashes + 1);
  const value = (name: string, fallback: number) => {
    const at = flags.indexOf(name);
    if (at === -1) return fallback;
    const n = Number(flags[at + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a whole number, got ${flags[at + 1]}`);
    return n;
  };
  if (command.length === 0) throw new Error('no command after --');
  return { runs: value('--runs', 5), settleMs: value('--settle-ms', 5000), command };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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

async function oneStart(options: Options, dataDir: string): Promise<Run> {
  const started = performance.now();
  // Its own process group, so that the whole tree (npm, launchers, node) is stopped together.
  const child = spawn(options.command[0]!, options.command.slice(1), {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const processes = processTree(child.pid!);
    const sum = (key: 'rssKiB' | 'pssKiB') => processes.reduce((t, p) => t + p[key], 0) / 1024;
    return { listeningMs, firstPageMs, rssMiB: sum('rssKiB'), pssMiB: sum('pssKiB'), processes };
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-startup-'));
  const say = (m: string) => process.stderr.write(`[startup] ${m}\n`);
  try {
    say(`\`${options.command.join(' ')}\`: one uncounted start (seeds, builds if needed), then ${options.runs} counted; load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    await oneStart({ ...options, settleMs: 0 }, dataDir);
    const runs: Run[] = [];
    for (let n = 1; n <= options.runs; n += 1) {
      const run = await oneStart(options, dataDir);
      say(`run ${n}: listening ${(run.listeningMs / 1000).toFixed(2)} s, / ${(run.firstPageMs / 1000).toFixed(2)} s, RSS ${run.rssMiB.toFixed(0)} MiB (PSS ${run.pssMiB.toFixed(0)}) in ${run.processes.length} processes`);
      runs.push(run);
    }
    const last = runs.at(-1)!;
    console.log(`command: ${options.command.join(' ')}   runs: ${runs.length}   load average at end: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    console.log(`median: listening ${(median(runs.map((r) => r.listeningMs)) / 1000).toFixed(2)} s, first page ${(median(runs.map((r) => r.firstPageMs)) / 1000).toFixed(2)} s, ` + `idle RSS ${median(runs.map((r) => r.rssMiB)).toFixed(0)} MiB, PSS ${median(runs.map((r) => r.pssMiB)).toFixed(0)} MiB`);
    console.log('processes of the last run (RSS / PSS MiB):');
    for (const p of last.processes) console.log(`  ${(p.rssKiB / 1024).toFixed(0).padStart(4)} / ${(p.pssKiB / 1024).toFixed(0).padStart(4)}  ${p.command.slice(0, 110)}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
