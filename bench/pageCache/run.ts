/**
 * bench/pageCache: cached anonymous page views — Threadline's GET /articles/<slug> served from its
 * page cache (server/pageCache) vs a bare node:http server sending the same bytes from memory, and,
 * for scale, ours with the cache off (PAGE_HTML_CACHE_MB=0: a render per view). Closed loop on
 * keep-alive sockets, alternating rounds, medians. `npm run bench:pageCache -- --help`; docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIfMain, type OptionsOf, type Report, type RunContext } from '../common/harness/scenario';
import { times, type SummaryCells } from '../common/harness/summary';
import { closedLoopPageFlags, closedLoopPageScenario, getPage, pageLoadRounds, pageLoadSummaryCells, pageLoadVerdict, tableCell as fmt, type HttpLoadRound } from '../common/httpLoadRound';
import { npmScriptLastLine } from '../common/npmScript';
import { startServerProcess } from '../common/serverProcess';
import { median, round } from '../common/stats';

const FLAGS = closedLoopPageFlags('rounds, alternating ours cached / baseline / ours with the cache off');

export type PageCacheOptions = OptionsOf<typeof FLAGS>;
/** Issue 15, target 3: ours' cached page views at least this share of the bare server's (reported, not asserted). */
export const TARGET_THROUGHPUT_RATIO = 0.5;
const SCRIPT_TIMEOUT_MS = 120_000;

type Variant = 'ours-cached' | 'baseline-bytes' | 'ours-uncached';

interface Measurement extends HttpLoadRound {
  round: number;
  variant: Variant;
}

interface VariantSummary {
  variant: Variant;
  responseBytes: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuPercent: number;
  serverCpuUsPerPage: number;
  errors: number;
}

export interface PageCacheBody {
  thread: { slug: string; comments: number };
  measurements: Measurement[];
  summary: VariantSummary[];
  comparison: {
    throughputRatio: number;
    /** Baseline CPU µs per page ÷ ours (cached): the throughput ratio two servers with a core each would show. */
    cpuCostRatio: number;
    /** Ours cached ÷ ours rendering per view: what the cache buys. */
    cacheSpeedup: number;
    target: number;
    meetsTarget: boolean;
    trustworthy: boolean;
  };
}

export type PageCacheReport = Report<Omit<PageCacheOptions, 'quick' | 'smoke'>, PageCacheBody>;

async function runPageCache(options: PageCacheOptions, run: RunContext): Promise<PageCacheBody> {
  const { registerCleanup } = run;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-pagecache-'));
  registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  const oursEnv: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMITS: 'off', SPAM_CHECKS: 'off', SESSION_SECRET: randomBytes(32).toString('hex') };

  const seedArgs = ['seed:synthetic', '--', '--comments', String(options.comments), '--depth', String(options.depth)];
  const slug = await npmScriptLastLine({ supervisor: run.supervisor, root: run.root, env: oursEnv, args: seedArgs, timeoutMs: SCRIPT_TIMEOUT_MS });
  const timeoutMs = options.startTimeoutSeconds * 1000;
  const ours = await startServerProcess(run, { name: 'ours', script: path.join('server', 'main.ts'), env: oursEnv, timeoutMs });
  const oursUncached = await startServerProcess(run, { name: 'ours-uncached', script: path.join('server', 'main.ts'), env: { ...oursEnv, PAGE_HTML_CACHE_MB: '0' }, timeoutMs });
  const page = await getPage(`${ours.url}/articles/${slug}`);
  if (page.status !== 200) throw new Error(`GET /articles/${slug}: HTTP ${page.status}`);
  if ((await getPage(`${ours.url}/articles/${slug}`)).headers['x-page-cache'] !== 'hit') throw new Error('the second view of the page did not come from the page cache');
  const pageFile = path.join(dataDir, 'page.html');
  fs.writeFileSync(pageFile, page.body);
  const baseline = await startServerProcess(run, { name: 'baseline', script: path.join('bench', 'pageCache', 'bytesServer.ts'), env: { ...inherited, NODE_ENV: 'production', PORT: '0', BENCH_PAGE_FILE: pageFile, BENCH_EXIT_WITH_PARENT: '1' }, timeoutMs: 60_000 });
  run.log(`thread ${slug}: ${options.comments} comments, page ${(page.body.length / 1024).toFixed(0)} KiB; ours ${ours.url}, ours uncached ${oursUncached.url}, baseline ${baseline.url}`);

  const variants: { variant: Variant; url: string; pid: number }[] = [
    { variant: 'ours-cached', url: `${ours.url}/articles/${slug}`, pid: ours.proc.pid },
    { variant: 'baseline-bytes', url: `${baseline.url}/articles/${slug}`, pid: baseline.proc.pid },
    { variant: 'ours-uncached', url: `${oursUncached.url}/articles/${slug}`, pid: oursUncached.proc.pid },
  ];

  const measurements: Measurement[] = await pageLoadRounds({
    sides: variants,
    servers: [ours.proc, oursUncached.proc, baseline.proc],
    options,
    line: (m) =>
      `round ${m.round} ${m.variant.padEnd(14)} ${m.requestsPerSecond} pages/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  ${(m.responseBytes / 1024).toFixed(0)} KiB  server ${m.serverCpuPercent ?? '?'}% (${m.serverCpuUsPerRequest ?? '?'} µs CPU/page)  foreign ${m.foreignCpuPercent ?? '?'}%${m.errors > 0 ? `  ⚠ ${m.errors} errors: ${m.firstError}` : ''}`,
    log: run.log,
  });

  const summary = variants.map((v): VariantSummary => {
    const mine = measurements.filter((m) => m.variant === v.variant);
    const m = (pick: (x: Measurement) => number | null) => round(median(mine.map((x) => pick(x) ?? Number.NaN)), 2);
    return { variant: v.variant, responseBytes: mine.at(-1)?.responseBytes ?? 0, requestsPerSecond: m((x) => x.requestsPerSecond), p50Ms: m((x) => x.latencyMs.p50), p99Ms: m((x) => x.latencyMs.p99), serverCpuPercent: m((x) => x.serverCpuPercent), serverCpuUsPerPage: m((x) => x.serverCpuUsPerRequest), errors: mine.reduce((a, x) => a + x.errors, 0) };
  });
  const of = (variant: Variant) => summary.find((s) => s.variant === variant)!;
  const throughputRatio = round(of('ours-cached').requestsPerSecond / of('baseline-bytes').requestsPerSecond, 2);
  return {
    thread: { slug, comments: options.comments },
    measurements,
    summary,
    comparison: {
      throughputRatio,
      cpuCostRatio: round(of('baseline-bytes').serverCpuUsPerPage / of('ours-cached').serverCpuUsPerPage, 2),
      cacheSpeedup: round(of('ours-cached').requestsPerSecond / of('ours-uncached').requestsPerSecond, 1),
      ...pageLoadVerdict(throughputRatio, TARGET_THROUGHPUT_RATIO, measurements),
    },
  };
}

export function markdownSummary(report: PageCacheReport): string {
  const o = report.options;
  const c = report.comparison;
  return [
    `Page cache: anonymous views of the article page of a ${report.thread.comments}-comment thread; closed loop, ${o.concurrency} in flight on keep-alive sockets, ` +
      `${o.seconds} s (+${o.warmupSeconds} s warm-up), ${o.rounds} round(s), medians over rounds${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| target | KiB | pages/s | p50 ms | p99 ms | server CPU | CPU µs / page | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.summary.map((s) => `| ${s.variant} | ${(s.responseBytes / 1024).toFixed(0)} | ${fmt(s.requestsPerSecond)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${fmt(s.serverCpuPercent, 0)}% | ${fmt(s.serverCpuUsPerPage)} | ${s.errors} |`),
    '',
    `ours cached / node:http with the bytes in memory: ${fmt(c.throughputRatio, 2)} (target ≥ ${c.target}: ${c.meetsTarget ? 'met' : 'NOT met'}); CPU cost ratio (baseline µs/page ÷ ours): ${fmt(c.cpuCostRatio, 2)}; cached ÷ rendered per view: ${fmt(c.cacheSpeedup, 1)}×; trustworthy: ${c.trustworthy ? 'yes' : 'no (errors or foreign load, see JSON)'}`,
  ].join('\n');
}

/** The run's line in bench/results/pageCache.md. */
export function pageCacheSummaryCells(report: PageCacheReport): SummaryCells {
  const c = report.comparison;
  const rps = (variant: Variant) => report.summary.find((s) => s.variant === variant)?.requestsPerSecond ?? '–';
  return pageLoadSummaryCells(
    {
      medians: `pages/s: ours cached ${rps('ours-cached')}, node:http bytes ${rps('baseline-bytes')}, ours uncached ${rps('ours-uncached')}`,
      ratios: `cached vs bytes ${times(c.throughputRatio)}, CPU cost ${times(c.cpuCostRatio)}, cached vs uncached ${times(c.cacheSpeedup)}`,
    },
    c,
  );
}

export const pageCacheScenario = closedLoopPageScenario({ name: 'pageCache', flags: FLAGS, thread: { comments: 200, depth: 6, concurrency: 16, smokeComments: 50 }, run: runPageCache, markdown: markdownSummary, summarise: pageCacheSummaryCells });

runIfMain(pageCacheScenario, module);
