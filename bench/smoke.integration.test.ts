/**
 * A smoke run of every benchmark scenario (issue 6): each bench's CLI with
 * `--smoke`, as a child process, exactly as `npm run bench:<name>` runs it.
 * It proves the benchmark still runs end to end and its baseline is live —
 * both targets produce results, ours loses nothing, the JSON is written — and
 * judges no time (CI machines are shared and noisy).
 *
 * Everything lives on the test run's services: databases are created from the
 * run's PostgreSQL server (and dropped by each bench), Redis keys go under
 * TEST_REDIS_PREFIX (deleted by each bench and again by `npm test`), results go
 * to a temp folder, never bench/results.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requirePostgresUrl } from '../lib/store/testDatabases';
import { ensureNextBuild } from '../server/nextBuild';

const ROOT = path.resolve(__dirname, '..');
/** A smoke bench takes seconds; this only stops a hung one from holding CI for its 90 minutes. */
const BENCH_TIMEOUT_MS = 180_000;

let resultsRoot: string;

/** The run's PostgreSQL server as an admin URL (benches create a database of their own per target). */
function pgAdminUrl(): string {
  if (process.env.TEST_PG_ADMIN_URL) return process.env.TEST_PG_ADMIN_URL;
  const url = new URL(requirePostgresUrl());
  url.pathname = '/postgres';
  return url.toString();
}

function benchEnv(): NodeJS.ProcessEnv {
  const redisUrl = process.env.TEST_REDIS_URL;
  const redisPrefix = process.env.TEST_REDIS_PREFIX;
  if (!redisUrl || !redisPrefix) throw new Error('TEST_REDIS_URL and TEST_REDIS_PREFIX are not set: run the tests with `npm test` (it prepares Redis for the run).');
  // Nothing of the caller's store settings leaks into the servers the benches start.
  const { DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  return { ...inherited, REDIS_URL: redisUrl, BENCH_REDIS_KEY_PREFIX: `${redisPrefix}-`, BENCH_PG_ADMIN_URL: pgAdminUrl(), NEXT_TELEMETRY_DISABLED: '1' };
}

/** Runs one bench's CLI with --smoke into a fresh results folder; returns the one JSON report it wrote (and checks its summary line). */
async function runSmoke(name: string, script: string, extraArgs: string[] = []): Promise<Record<string, unknown>> {
  const resultsDir = fs.mkdtempSync(path.join(resultsRoot, `${name}-`));
  const args = ['--import', 'tsx', script, '--smoke', '--no-pin', `--results-dir=${resultsDir}`, ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    // The tail is what explains a failure; a smoke run prints little anyway.
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // SIGINT lets the bench's session clean up its servers, databases and keys before it exits.
  const timer = setTimeout(() => child.kill('SIGINT'), BENCH_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  assert.equal(code, 0, `${name} --smoke exited with ${code}:\n${output}`);
  const files = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `${name}: expected one JSON report in the results folder, found ${files.join(', ') || 'none'}\n${output}`);
  // The harness's summary of a smoke run goes beside its JSON: one line naming that JSON, with no verdict.
  const summaries = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.md'));
  assert.deepEqual(summaries, [`${name}.md`], `${name}: expected its summary beside the JSON\n${output}`);
  const rows = fs.readFileSync(path.join(resultsDir, `${name}.md`), 'utf8').split('\n').filter((line) => line.includes(files[0] as string));
  assert.equal(rows.length, 1, `${name}: the summary has the run's line`);
  assert.match(rows[0] as string, /none \(smoke\)/);
  return JSON.parse(fs.readFileSync(path.join(resultsDir, files[0] as string), 'utf8')) as Record<string, unknown>;
}

type Row = Record<string, number | string | null>;
const byTarget = (rows: Row[], target: string): Row => {
  const row = rows.find((r) => r.target === target);
  assert.ok(row, `no summary for ${target}`);
  return row;
};

function assertFanout(report: Record<string, unknown>, nodes: 1 | 2): void {
  assert.equal(report.benchmark, 'fanout');
  assert.deepEqual(report.skipped, {}, 'no target may be skipped');
  assert.equal((report.options as { nodes: number }).nodes, nodes);
  const summary = report.summary as Row[];
  for (const target of ['ours', 'baseline']) {
    const row = byTarget(summary, target);
    assert.ok((row.expectedDeliveries as number) > 0, `${target}: expected deliveries`);
    assert.ok((row.deliveriesPerSecond as number) > 0, `${target}: deliveries`);
    assert.equal(row.postFailures, 0, `${target}: failed POSTs`);
  }
  assert.equal(byTarget(summary, 'ours').lostDeliveries, 0, 'ours lost deliveries');
}

describe('benchmark smoke runs (--smoke: they run, the baseline is live; no time is judged)', () => {
  before(() => {
    resultsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-smoke-'));
    // Once, up front: Threadline's node builds its pages when there is no current build, and every bench starts one.
    ensureNextBuild({ dir: ROOT, log: (m) => console.log(m) });
  });
  after(() => fs.rmSync(resultsRoot, { recursive: true, force: true }));

  test('fan-out, two nodes + Redis', async () => {
    assertFanout(await runSmoke('fanout', 'bench/fanout/run.ts'), 2);
  });

  test('fan-out, one node', async () => {
    assertFanout(await runSmoke('fanout1', 'bench/fanout/run.ts', ['--nodes=1']), 1);
  });

  test('lock', async () => {
    const report = await runSmoke('lock', 'bench/lock/run.ts');
    assert.equal(report.benchmark, 'lock');
    const summary = report.summary as { lockEvents: Row; comments: Row; wrongLockState: number };
    // The lock bench's baseline is a comment's fan-out in the same rounds.
    for (const [kind, row] of [['lock events', summary.lockEvents], ['comments', summary.comments]] as const) {
      assert.ok((row.expectedDeliveries as number) > 0, `${kind}: expected deliveries`);
      assert.equal(row.lostDeliveries, 0, `${kind}: lost deliveries`);
      assert.equal(row.failedRequests, 0, `${kind}: failed requests`);
    }
    assert.equal(summary.wrongLockState, 0);
  });

  test('memory', async () => {
    const report = await runSmoke('memory', 'bench/memory/run.ts');
    assert.equal(report.benchmark, 'memory');
    const summary = report.summary as Row[];
    for (const target of ['ours', 'baseline']) {
      const row = byTarget(summary, target);
      assert.equal(row.rounds, 1, `${target}: rounds`);
      assert.equal(row.dropped, 0, `${target}: dropped readers`);
      assert.ok((row.rssAfterMiB as number) > 0, `${target}: a heap sample`);
      assert.ok(Number.isFinite(row.heapUsedPerConnection), `${target}: heap per connection`);
    }
  });

  test('reconnect storm', async () => {
    const report = await runSmoke('reconnect', 'bench/reconnect/run.ts');
    assert.equal(report.benchmark, 'reconnect');
    const summary = report.summary as Row[];
    for (const target of ['ours', 'baseline']) {
      const row = byTarget(summary, target);
      assert.ok((row.movedReaders as number) > 0, `${target}: readers moved off the killed node`);
      assert.equal(row.stuckReaders, 0, `${target}: stuck readers`);
    }
    // The baseline may lose comments (that is the point of the comparison); ours may not.
    const ours = byTarget(summary, 'ours');
    assert.equal(ours.lostComments, 0, 'ours lost comments');
    assert.equal(ours.duplicateComments, 0, 'ours duplicated comments');
  });

  test('posting (SQLite and PostgreSQL)', async () => {
    const report = await runSmoke('posting', 'bench/posting/run.ts');
    assert.equal(report.benchmark, 'posting');
    const ladders = report.ladders as { target: string; store: string; steps: Row[] }[];
    for (const store of ['sqlite', 'postgres']) {
      for (const target of ['ours', 'baseline']) {
        const ladder = ladders.find((l) => l.store === store && l.target === target);
        assert.ok(ladder, `no ladder for ${target} on ${store}`);
        const step = ladder.steps[0];
        assert.ok(step, `${target} on ${store}: no step`);
        assert.ok((step.measuredComments as number) > 0, `${target} on ${store}: comments measured`);
        assert.equal(step.failedPosts, 0, `${target} on ${store}: failed POSTs`);
        if (target === 'ours') assert.equal(step.lost, 0, `ours on ${store}: lost comments`);
      }
    }
  });

  test('notifications (with and without, SQLite and PostgreSQL, mail through a real SMTP server)', async () => {
    const report = await runSmoke('notifications', 'bench/notifications/run.ts');
    assert.equal(report.benchmark, 'notifications');
    const rounds = report.rounds as (Row & { mail: Row | null })[];
    for (const store of ['sqlite', 'postgres']) {
      for (const side of ['with', 'without']) {
        const r = rounds.find((x) => x.store === store && x.side === side);
        assert.ok(r, `no ${side} round on ${store}`);
        assert.equal(r.failedPosts, 0, `${side} on ${store}: failed posts (${r.firstFailure})`);
        assert.equal(r.delivered, r.comments, `${side} on ${store}: comments delivered to the reader`);
        assert.ok((r.cpuMsPerComment as number) > 0, `${side} on ${store}: CPU read`);
        // Without notices none is made; with, every expected one (the ratio itself is judged by no test).
        assert.equal(r.notices, r.expectedNotices, `${side} on ${store}: notices`);
        if (side === 'with') {
          assert.ok((r.expectedNotices as number) > 0, `${store}: notices expected`);
          assert.ok(r.mail, `${store}: the mail counted`);
          assert.equal(r.mail.missing, 0, `${store}: every recipient mailed`);
          assert.equal(r.mail.maxPerPersonPerWindow, 1, `${store}: one mail per person per batch window`);
          // The warm-up's people are told (in the warm-up thread) but mail nobody: nothing mailed but the round's.
          assert.equal(r.mail.others, 0, `${store}: no mail to anyone but the round's recipients`);
        }
      }
    }
  });

  test('render', async () => {
    const report = await runSmoke('render', 'bench/render/run.ts');
    assert.equal(report.benchmark, 'render');
    const summary = report.summary as Row[];
    const measurements = report.measurements as Row[];
    for (const variant of ['ours', 'ours-api', 'baseline-first-page', 'baseline-all']) {
      const row = summary.find((r) => r.variant === variant);
      assert.ok(row, `no summary for ${variant}`);
      // Pages served, counted whenever they finished: on a loaded machine a page can outlast the 1 s window
      // (then pages/s reads 0), and this smoke judges no time.
      const served = measurements.filter((m) => m.variant === variant).reduce((sum, m) => sum + (m.allRequests as number), 0);
      assert.ok(served > 0, `${variant}: pages served`);
      assert.ok((row.commentsOnPage as number) > 0, `${variant}: comments on the page`);
      assert.equal(row.errors, 0, `${variant}: errors`);
    }
  });

  test('page cache', async () => {
    const report = await runSmoke('pageCache', 'bench/pageCache/run.ts');
    assert.equal(report.benchmark, 'pageCache');
    const summary = report.summary as Row[];
    const measurements = report.measurements as Row[];
    for (const variant of ['ours-cached', 'baseline-bytes', 'ours-uncached']) {
      const row = summary.find((r) => r.variant === variant);
      assert.ok(row, `no summary for ${variant}`);
      const served = measurements.filter((m) => m.variant === variant).reduce((sum, m) => sum + (m.allRequests as number), 0);
      assert.ok(served > 0, `${variant}: pages served`);
      assert.ok((row.responseBytes as number) > 0, `${variant}: page bytes`);
      assert.equal(row.errors, 0, `${variant}: errors`);
    }
  });

  test('counts on front pages (ours live, ours polled, every change to every reader)', async () => {
    const report = await runSmoke('counts', 'bench/counts/run.ts');
    assert.equal(report.benchmark, 'counts');
    const measurements = report.measurements as Row[];
    for (const side of ['ours-live', 'ours-poll', 'baseline']) {
      const mine = measurements.filter((m) => m.side === side);
      assert.ok(mine.length > 0, `no round of ${side}`);
      for (const m of mine) assert.equal(m.errors, 0, `${side}: errors (${m.firstError})`);
    }
    // Live readers hear of the busy threads; the baseline sends each comment to each of them.
    assert.ok(measurements.filter((m) => m.side !== 'ours-poll').every((m) => (m.messagesPerReaderPerMinute as number) > 0), JSON.stringify(measurements));
  });

  test('Lighthouse (one run of the long thread page, scores and metrics read)', async () => {
    const report = await runSmoke('lighthouse', 'bench/lighthouse/run.ts');
    assert.equal(report.benchmark, 'lighthouse');
    const [page] = report.summary as (Row & { medians: Row })[];
    assert.ok(page, 'no page summary');
    assert.equal(page.page, 'long');
    for (const key of ['performance', 'accessibility', 'bestPractices', 'seo']) assert.ok((page.medians[key] as number) > 0 && (page.medians[key] as number) <= 100, `${key}: ${page.medians[key]}`);
    assert.ok(Number.isFinite(page.medians.tbtMs) && (page.medians.lcpMs as number) > 0, `metrics: ${JSON.stringify(page.medians)}`);
  });

  test('Redis clients (ioredis and node-redis on the adapter, the limiter and the faults)', async () => {
    const report = await runSmoke('redisClients', 'bench/redisClients/run.ts');
    assert.equal(report.benchmark, 'redisClients');
    const samples = report.samples as Record<string, Record<string, Row[]>>;
    assert.equal(Object.keys(samples).length, 9, `every case ran: ${Object.keys(samples).join(', ')}`);
    assert.deepEqual((report.summary as { case: string }[]).map((s) => s.case), Object.keys(samples), 'every case has its medians');
    for (const [name, byClient] of Object.entries(samples)) {
      for (const client of ['ioredis', 'node-redis']) {
        const row = byClient[client]?.[0];
        assert.ok(row, `${name}: no ${client} round`);
        if (name.startsWith('fanout')) assert.equal(row.delivered, row.expected, `${name} ${client}: every message reached every reader`);
        if (name.startsWith('limiter')) assert.ok((row.opsPerSecond as number) > 0 && row.insured === 0, `${name} ${client}: answered by Redis`);
        if ('recoverMs' in row) assert.ok(Number.isFinite(row.recoverMs), `${name} ${client}: recovered`);
      }
    }
  });

  test('start-up (npm start against the old tsx start)', async () => {
    const report = await runSmoke('startup', 'bench/startup/run.ts');
    assert.equal(report.benchmark, 'startup');
    const summary = report.summary as (Row & { lastProcesses: { command: string }[] })[];
    for (const target of ['ours', 'baseline']) {
      const row = byTarget(summary, target) as (typeof summary)[number];
      assert.equal(row.starts, 1, `${target}: one counted start`);
      assert.ok((row.firstPageS as number) > 0 && (row.rssMiB as number) > 0, `${target}: answered / and was measured idle`);
      // The comparison is with and without the tsx launcher: each side must be the start it claims to be.
      const underTsx = row.lastProcesses.some((p) => /\btsx\b/.test(p.command));
      assert.equal(underTsx, target === 'baseline', `${target}: ${row.lastProcesses.map((p) => p.command).join(' | ')}`);
    }
  });

  test('huge threads (first page of a small and a larger thread, heap after opening several)', async () => {
    const report = await runSmoke('huge', 'bench/hugeThread/run.ts');
    assert.equal(report.benchmark, 'huge');
    const firstPage = report.firstPage as Row[];
    for (const store of ['sqlite', 'postgres']) {
      const mine = firstPage.filter((r) => r.store === store);
      assert.equal(mine.length, 2, `${store}: both sizes measured`);
      for (const r of mine) assert.ok((r.commentsOnPage as number) > 0 && (r.cpuMsPerCall as number) > 0, `${store} ${r.threadComments}: a first page`);
    }
    const heap = report.heap as Row;
    assert.ok((heap.htmlCacheUsedChars as number) <= (heap.htmlCacheBudgetChars as number), 'the HTML cache within its budget');
  });
});
