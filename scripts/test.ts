/**
 * `npm test`: the one test command. First brings up what the tests need when
 * it can (scripts/prerequisites: PostgreSQL, Redis, Chromium, nginx), then
 * type-checks everything (tests included), lints, runs the unit and integration
 * tests (node:test) against real SQLite and a real PostgreSQL database made for
 * this run, then the Playwright e2e suite in Debian's Chromium and the reader pages' JavaScript budget (scripts/jsBudget).
 * Every step runs even when an earlier one fails; the last line is the summary.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ensureIslands } from '../server/build/islands';
import { ensureNextBuild } from '../server/nextBuild';
import type { PageVerdict } from './jsBudget/verdict';
import { provisionTestPrerequisites } from './prerequisites/provision';
import { tapFailures, type TapFailure } from './tapFailures';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'test-results');
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** `npm run test:faults`: only the fault tests (`*.faults.test.ts`), with the same database and Redis set-up. */
const FAULTS_ONLY = process.argv.includes('--faults');

interface StepResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

const results: StepResult[] = [];
/** The node tests that failed, repeated under the summary (scripts/tapFailures.ts). */
let nodeFailures: TapFailure[] = [];

function bin(name: string): string {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      console.error(`cannot run ${command}: ${err.message}`);
      resolve(127);
    });
  });
}

function heading(text: string): void {
  console.log(`\n━━ ${text} ━━`);
}

/** Test files by tier, found by name: x.test.ts (pure), x.integration.test.ts (real services). */
function findTests(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || ['node_modules', 'e2e', 'test-results', 'data'].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) found.push(path.relative(ROOT, full));
    }
  };
  walk(ROOT);
  return found.sort();
}

async function checkStep(name: string, command: string, args: string[]): Promise<void> {
  heading(name);
  const code = await run(command, args);
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });
}

/** A database of this run's own, dropped at the end. */
async function createRunDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `threadline_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(err as Error).message}). ` +
        'The integration tests need it: start PostgreSQL or set TEST_PG_ADMIN_URL.',
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Redis for the run: reachable, with a key prefix of its own whose keys are deleted at the end. */
async function prepareRedis(): Promise<{ prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `threadline-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(err as Error).message}). The fan-out tests need it: start Redis or set TEST_REDIS_URL.`);
  }
  return {
    prefix,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

function tapCounts(file: string): { passed: number; failed: number; skipped: number } {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const count = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

async function nodeTests(env: NodeJS.ProcessEnv): Promise<void> {
  heading('unit and integration tests (node:test; SQLite and PostgreSQL)');
  const files = findTests().filter((f) => !FAULTS_ONLY || f.endsWith('.faults.test.ts'));
  const tap = path.join(RESULTS, 'node-tests.tap');
  fs.rmSync(tap, { force: true });
  const code = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    env,
  );
  const counts = tapCounts(tap);
  nodeFailures = fs.existsSync(tap) ? tapFailures(fs.readFileSync(tap, 'utf8')) : [];
  // A crash before any report must still count as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name: 'unit and integration tests', ...counts });
}

interface PlaywrightStats {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
}

/** What the browser steps need before they start: Chromium, and the pages built (once for the run: the e2e tests and the JavaScript budget share it). */
let pagesBuilt: string | null | undefined;
async function browserStepProblem(): Promise<string | null> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install chromium), or set CHROMIUM_PATH.`);
    return 'no Chromium';
  }
  if (pagesBuilt === undefined) {
    try {
      ensureNextBuild({ dir: ROOT, log: (m) => console.log(m) });
      await ensureIslands({ dir: ROOT, log: (m) => console.log(m) });
      pagesBuilt = null;
    } catch (err) {
      console.error((err as Error).message);
      pagesBuilt = 'the page build failed';
    }
  }
  return pagesBuilt;
}

async function e2eTests(env: NodeJS.ProcessEnv): Promise<void> {
  heading('end-to-end tests (Playwright, Debian Chromium)');
  const problem = await browserStepProblem();
  if (problem) {
    results.push({ name: 'e2e tests', passed: 0, failed: 1, skipped: 0, note: problem });
    return;
  }
  const report = path.join(RESULTS, 'e2e-results.json');
  fs.rmSync(report, { force: true });
  const code = await run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], env);
  let stats: PlaywrightStats['stats'] = {};
  try {
    stats = (JSON.parse(fs.readFileSync(report, 'utf8')) as PlaywrightStats).stats ?? {};
  } catch {
    // No report: counted as a failure below.
  }
  const failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  results.push({
    name: 'e2e tests',
    passed: stats.expected ?? 0,
    failed: code !== 0 && failed === 0 ? 1 : failed,
    skipped: stats.skipped ?? 0,
  });
}

/**
 * The script a first-time reader downloads on the article and embed pages, measured in Chromium
 * against the budgets of scripts/jsBudget/budgets.ts (issue 15): a page over its budget fails the
 * run, named with its size, the budget and its biggest files. A size, not a timing.
 */
async function jsBudget(): Promise<void> {
  heading('JavaScript budget (article and embed pages, first view, gzipped)');
  const name = 'JavaScript budget';
  const problem = await browserStepProblem();
  if (problem) {
    results.push({ name, passed: 0, failed: 1, skipped: 0, note: problem });
    return;
  }
  const report = path.join(RESULTS, 'js-budget.json');
  fs.rmSync(report, { force: true });
  const code = await run(process.execPath, ['--import', 'tsx', path.join('scripts', 'jsBudget', 'run.ts'), '--report', report]);
  let verdicts: Omit<PageVerdict, 'lines'>[] = [];
  try {
    verdicts = JSON.parse(fs.readFileSync(report, 'utf8')) as typeof verdicts;
  } catch {
    // No report: the measure itself failed, counted below.
  }
  const over = verdicts.filter((v) => !v.withinBudget).length;
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  results.push({
    name,
    passed: verdicts.length - over,
    failed: code !== 0 && over === 0 ? 1 : over,
    skipped: 0,
    note: verdicts.length > 0 ? verdicts.map((v) => `${v.name} ${kb(v.gzipBytes)} of ${kb(v.budgetBytes)}`).join(', ') : 'not measured',
  });
}

/** Starts or installs what is missing when it may; what it cannot do fails the run here, by name, and again in the tests that need it. */
async function prerequisites(): Promise<void> {
  heading('test prerequisites (PostgreSQL, Redis' + (FAULTS_ONLY ? ')' : ', Chromium, nginx)'));
  const problems = await provisionTestPrerequisites({
    pgAdminUrl: PG_ADMIN_URL,
    redisUrl: REDIS_URL,
    chromiumPath: FAULTS_ONLY ? undefined : CHROMIUM,
    nginx: !FAULTS_ONLY,
    log: (m) => console.log(`prerequisites: ${m}`),
  }).catch((err: Error) => [`could not check them: ${err.message}`]);
  for (const problem of problems) console.error(`prerequisites: ✗ ${problem}`);
  if (problems.length) results.push({ name: 'test prerequisites', passed: 0, failed: problems.length, skipped: 0, note: 'what to do is printed under "test prerequisites"' });
}

async function main(): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  await prerequisites();
  if (!FAULTS_ONLY) {
    await checkStep('type-check (tsc --noEmit, tests included)', bin('tsc'), ['--noEmit', '-p', '.']);
    await checkStep('lint (eslint)', bin('eslint'), ['.']);
  }

  let database: Awaited<ReturnType<typeof createRunDatabase>> | undefined;
  try {
    database = await createRunDatabase();
    console.log(`\nPostgreSQL: this run's database is ${new URL(database.url).pathname.slice(1)}`);
  } catch (err) {
    console.error(`\n${(err as Error).message}`);
    results.push({ name: 'PostgreSQL for the run', passed: 0, failed: 1, skipped: 0 });
  }

  let redis: Awaited<ReturnType<typeof prepareRedis>> | undefined;
  try {
    redis = await prepareRedis();
    console.log(`Redis: this run's key prefix is ${redis.prefix}`);
  } catch (err) {
    console.error(`\n${(err as Error).message}`);
    results.push({ name: 'Redis for the run', passed: 0, failed: 1, skipped: 0 });
  }

  try {
    // Without a run database or Redis the tests that need them fail with a clear message, never skip.
    const env = {
      ...process.env,
      TEST_PG_URL: database?.url ?? '',
      TEST_REDIS_URL: redis ? REDIS_URL : '',
      TEST_REDIS_PREFIX: redis?.prefix ?? '',
    };
    await nodeTests(env);
    if (!FAULTS_ONLY) {
      await e2eTests(env);
      await jsBudget();
    }
  } finally {
    await database?.drop().catch((err: Error) => console.error(`could not drop the run database: ${err.message}`));
    await redis?.cleanup().catch((err: Error) => console.error(`could not clean the run's Redis keys: ${err.message}`));
  }

  heading('summary');
  for (const r of results) {
    console.log(`${r.failed ? '✗' : '✓'} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${r.note ? ` (${r.note})` : ''}`);
  }
  if (nodeFailures.length) {
    console.log('\nfailed node tests:');
    for (const f of nodeFailures.slice(0, 20)) {
      console.log(`✗ ${f.name}${f.location ? ` (${path.relative(ROOT, f.location)})` : ''}`);
      for (const line of f.error) console.log(`    ${line}`);
    }
    if (nodeFailures.length > 20) console.log(`… and ${nodeFailures.length - 20} more, in ${path.relative(ROOT, path.join(RESULTS, 'node-tests.tap'))}`);
  }
  const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  console.log(`\ntotal: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

void main();
