/**
 * bench/signinFlood (issue 14, point 2): the latency of gzipped pages with and
 * without a sign-in flood running, on this code ("ours") and on the code before
 * the change ("baseline": a commit unpacked beside it, `--baseline-commit`).
 * Per round and side: a fresh server (SQLite, the seeded thread, production
 * limits), the article page fetched with `Accept-Encoding: gzip` at a steady
 * rate for a window (quiet), then again for a window while sign-ins arrive
 * from a new address each (flood); during the flood the owner signs in twice, from a browser it
 * signed in from before and from a new one, as the login page does (again
 * after `Retry-After`). `npm run bench:signinFlood -- --help`; docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numeric, text, type Values } from '../common/harness/flags';
import { alternateRounds, oursFirst } from '../common/harness/rounds';
import { defineScenario, runIfMain, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { sleep } from '../common/clock';
import { NOISY_FOREIGN_CPU_PERCENT } from '../common/generatorProcess';
import { percentOfCore, sampleCpu } from '../common/processCpu';
import { quietBeforeRound } from '../common/quietMachine';
import { round } from '../common/stats';
import { startServerProcess } from '../common/serverProcess';
import type { TargetName } from '../common/targets/target';
import { baselineCheckout } from './baselineCheckout';
import { peakRss, runFlood, signInAsPerson, type FloodResult, type SignInOutcome } from './flood';
import { fetchPages, type PageFetches } from './pages';
import { markdown, summarise, summariseSides, type SideSummary } from './report';

const FLAGS = {
  targets: standard.targets(),
  rounds: standard.rounds('rounds, alternating ours, baseline (a fresh server each)'),
  seconds: standard.seconds('seconds of page fetches in each window (quiet, then flood)'),
  warmupSeconds: standard.warmupSeconds('seconds of page fetches before the quiet window'),
  pageRate: numeric('page fetches a second, open loop (each timed to its last byte, however late)'),
  rate: numeric('sign-in attempts a second during the flood window, each from an address of its own'),
  ownerAfterSeconds: numeric('seconds into the flood when the owner signs in', { min: 0, name: 'owner-after' }),
  retryNoisy: standard.retryNoisy(),
  baselineCommit: text('the code before the change, run as the baseline (unpacked once into the temp dir)', 'REV'),
  ...standard.serverRunFlags(),
};
export type SigninFloodOptions = Values<typeof FLAGS>;

/** How long the owner keeps trying (as a person at the login page might), s after the first try. */
const OWNER_PATIENCE_MS = 180_000;
const SCRIPT_TIMEOUT_MS = 120_000;
const OWNER = 'bench-owner';

interface Side {
  name: TargetName;
  /** The checkout it runs from. */
  dir: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  password: string;
}

/** A person's sign-in as the report keeps it (the cookies it got stay out of the JSON). */
type SignInRecord = Omit<SignInOutcome, 'keptCookie'>;

export interface RoundResult {
  round: number;
  target: TargetName;
  quiet: PageFetches;
  flood: PageFetches;
  /** Flood ÷ quiet within the round (its two windows are minutes apart at most, on the same machine state). */
  p50Ratio: number;
  p99Ratio: number;
  attempts: FloodResult;
  /** The owner, from a browser that signed in before the flood (ours gave it a device cookie), and from a new one. */
  ownerKnown: SignInRecord;
  ownerNew: SignInRecord;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  /** Other processes' CPU during each window, % of a core; `noisy` when either is over NOISY_FOREIGN_CPU_PERCENT. */
  foreignCpuPercent: { quiet: number | null; flood: number | null };
  noisy: boolean;
}

export interface SigninFloodBody {
  baseline: { commit: string; dir: string } | null;
  page: string;
  rounds: RoundResult[];
  summary: SideSummary[];
}

export type SigninFloodReport = Report<SigninFloodOptions, SigninFloodBody>;

/** `during`, with the CPU other processes than the server and this one used meanwhile (% of a core). */
async function withForeignCpu<T>(serverPid: number, during: () => Promise<T>): Promise<{ value: T; foreign: number | null }> {
  const pids = [serverPid, process.pid];
  const start = sampleCpu(pids);
  const value = await during();
  const end = sampleCpu(pids);
  const machine = percentOfCore(start, end);
  const ours = (percentOfCore(start, end, serverPid) ?? 0) + (percentOfCore(start, end, process.pid) ?? 0);
  return { value, foreign: machine === null ? null : Math.max(0, round(machine - ours, 1)) };
}

const record = ({ keptCookie: _cookie, ...kept }: SignInOutcome): SignInRecord => kept;

const rssMiB = (pid: number) => Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/** A side's folder of its own: its store seeded by its first start, and the owner's account made by the checkout's own script. */
async function prepareSide(run: RunContext, name: TargetName, dir: string): Promise<Side> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `threadline-bench-signin-${name}-`));
  run.registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(REDIS_|DATABASE_URL$|DATA_DIR$|RATE_LIMIT|SIGNIN_)/.test(k)));
  const env: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SESSION_SECRET: randomBytes(32).toString('hex'), NEXT_TELEMETRY_DISABLED: '1' };
  const password = randomBytes(18).toString('base64url');
  const script = run.supervisor.spawn({ name: `${name} user:create`, command: process.execPath, args: ['--import', 'tsx', path.join('scripts', 'userCreate.ts'), '--username', OWNER, '--role', 'admin'], cwd: dir, env, input: `${password}\n` });
  const timer = setTimeout(() => void script.stop(), SCRIPT_TIMEOUT_MS);
  const code = await script.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name}: scripts/userCreate.ts failed (exit ${code}):\n${script.tail()}`);
  return { name, dir, dataDir, env, password };
}

/** The first article the home page links to (the seeded thread, on a fresh store). */
async function articlePath(baseUrl: string): Promise<string> {
  const home = await fetch(`${baseUrl}/`);
  const match = /href="(\/articles\/[a-z0-9-]+)"/.exec(await home.text());
  if (!match) throw new Error(`GET ${baseUrl}/: HTTP ${home.status}, no link to an article`);
  return match[1] as string;
}

async function runRound(run: RunContext, options: SigninFloodOptions, side: Side, roundNo: number, page: { path?: string }): Promise<RoundResult> {
  await quietBeforeRound(options.quietWaitSeconds);
  const server = await startServerProcess(run, { name: side.name, script: path.join('server', 'main.ts'), env: side.env, cwd: side.dir, timeoutMs: options.startTimeoutSeconds * 1000 });
  try {
    page.path ??= await articlePath(server.url);
    const url = `${server.url}${page.path}`;
    const load = (seconds: number) => fetchPages({ url, rate: options.pageRate, seconds, headers: { 'accept-encoding': 'gzip' } });
    // Addresses of this round's own (the server is fresh, but the names in the log stay apart).
    const block = 10 + ((roundNo * 2 + (side.name === 'ours' ? 0 : 1)) % 200);
    const person = { baseUrl: server.url, username: OWNER, password: side.password, patienceMs: OWNER_PATIENCE_MS };
    const before = await signInAsPerson({ ...person, address: `127.${block}.250.1` });
    if (before.status !== 200) throw new Error(`${side.name}: the owner's sign-in before the flood answered ${before.status}`);

    if (options.warmupSeconds > 0) await load(options.warmupSeconds);
    const quiet = await withForeignCpu(server.proc.pid, () => load(options.seconds));
    if (quiet.value.contentEncoding !== 'gzip') throw new Error(`${side.name}: ${page.path} was not gzipped (Content-Encoding ${quiet.value.contentEncoding}): nothing to measure`);
    const rssBeforeMiB = rssMiB(server.proc.pid);
    const owner = (async () => {
      await sleep(options.ownerAfterSeconds * 1000);
      return Promise.all([
        signInAsPerson({ ...person, address: `127.${block}.250.2`, cookie: before.keptCookie }),
        signInAsPerson({ ...person, address: `127.${block}.250.3` }),
      ]);
    })();
    const during = Promise.all([load(options.seconds), runFlood({ baseUrl: server.url, rate: options.rate, seconds: options.seconds, block }), owner]);
    const flood = await withForeignCpu(server.proc.pid, () => peakRss(server.proc.pid, during));
    const [pages, attempts, [ownerKnown, ownerNew]] = flood.value.value;
    const foreignCpuPercent = { quiet: quiet.foreign, flood: flood.foreign };
    return {
      round: roundNo,
      target: side.name,
      quiet: quiet.value,
      flood: pages,
      p50Ratio: round(pages.latencyMs.p50 / quiet.value.latencyMs.p50, 2),
      p99Ratio: round(pages.latencyMs.p99 / quiet.value.latencyMs.p99, 2),
      attempts,
      ownerKnown: record(ownerKnown),
      ownerNew: record(ownerNew),
      rssBeforeMiB,
      rssPeakMiB: flood.value.peakMiB,
      foreignCpuPercent,
      noisy: Object.values(foreignCpuPercent).some((f) => (f ?? 0) > NOISY_FOREIGN_CPU_PERCENT),
    };
  } finally {
    await server.proc.stop();
  }
}

const outcome = (o: SignInRecord) => `${o.status === 200 ? 'in' : `HTTP ${o.status}`} after ${o.seconds} s (${o.tries} tr${o.tries === 1 ? 'y' : 'ies'})`;

async function runSigninFlood(options: SigninFloodOptions, run: RunContext): Promise<SigninFloodBody> {
  const baseline = options.targets.includes('baseline') ? baselineCheckout({ root: run.root, commit: options.baselineCommit, log: run.log }) : null;
  const sides: Side[] = [];
  for (const name of oursFirst(options.targets.map((n) => ({ name: n })))) sides.push(await prepareSide(run, name.name, name.name === 'ours' ? run.root : (baseline?.dir as string)));
  const page: { path?: string } = {};
  const { rounds } = await alternateRounds<Side, RoundResult>({
    rounds: options.rounds,
    sides,
    label: (s) => s.name,
    run: (round, side) => runRound(run, options, side, round, page),
    line: (r) =>
      `${r.target.padEnd(8)} page p50/p99 quiet ${r.quiet.latencyMs.p50}/${r.quiet.latencyMs.p99} ms, flood ${r.flood.latencyMs.p50}/${r.flood.latencyMs.p99} ms` +
      ` (${r.flood.sent} pages${r.flood.errors > 0 ? `, ${r.flood.errors} errors: ${r.flood.firstError}` : ''}); attempts ${JSON.stringify(r.attempts.statuses)}, last answered at ${r.attempts.lastAnswerS} s;` +
      ` owner known browser ${outcome(r.ownerKnown)}, new browser ${outcome(r.ownerNew)}; RSS ${r.rssBeforeMiB} → peak ${r.rssPeakMiB} MiB;` +
      ` foreign CPU ${r.foreignCpuPercent.quiet ?? '?'}% / ${r.foreignCpuPercent.flood ?? '?'}%${r.noisy ? ' (noisy)' : ''}`,
    log: run.log,
    retryNoisy: options.retryNoisy,
  });
  return { baseline: baseline && { commit: baseline.commit, dir: baseline.dir }, page: page.path ?? '', rounds, summary: summariseSides(rounds) };
}

export const signinFloodScenario = defineScenario<SigninFloodOptions, SigninFloodBody>({
  name: 'signinFlood',
  flags: FLAGS,
  defaults: {
    ...standard.STANDARD_DEFAULTS,
    rounds: 3,
    seconds: 10,
    warmupSeconds: 3,
    pageRate: 10,
    rate: 20,
    ownerAfterSeconds: 2,
    // The main branch's head when the change was made (issue 14, point 2).
    baselineCommit: '3ae6a9f',
    quietWaitSeconds: 10,
  },
  presets: {
    quick: { rounds: 1, seconds: 5, warmupSeconds: 1, quietWaitSeconds: 3 },
    smoke: { rounds: 1, seconds: 1, warmupSeconds: 0.3, rate: 10, ownerAfterSeconds: 0.2, quietWaitSeconds: 0 },
  },
  services: [],
  // The orchestrator is the load generator (pages and flood): core 1; the servers core 0.
  pinning: 'self',
  describe: (o) => `${o.rate} sign-ins/s for ${o.seconds} s against ${o.pageRate} page fetches/s; ${o.rounds} round(s); baseline ${o.baselineCommit}`,
  run: runSigninFlood,
  markdown,
  summarise,
});

runIfMain(signinFloodScenario, module);
