/**
 * bench/render: server-rendering throughput of the article page of a
 * 2,000-comment thread — Threadline's GET /articles/<slug> (its first page of
 * branches) vs a bare node:http server rendering the same comments with
 * React's renderToString, and, for scale, the baseline with every comment on
 * one page. `npm run bench:render -- --help`; docs/benchmarks.md for the method.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { CommentView, ThreadResponse } from '../../lib/contract/api';
import { runIfMain, type OptionsOf, type Report, type RunContext } from '../common/harness/scenario';
import { times, type SummaryCells } from '../common/harness/summary';
import { startServerProcess } from '../common/serverProcess';
import { npmScriptLastLine } from '../common/npmScript';
import { median, round } from '../common/stats';
import type { RenderData } from './baselineServer';
import type { HttpLoadResult } from './httpLoad';
import { closedLoopPageFlags, closedLoopPageScenario, pageLoadRounds, pageLoadSummaryCells, pageLoadVerdict, tableCell as fmt } from '../common/httpLoadRound';

const FLAGS = closedLoopPageFlags('rounds, alternating ours page / ours page with its cache off / ours API JSON / baseline first page / baseline all');

export type RenderOptions = OptionsOf<typeof FLAGS>;
/** Threadline's page cuts replies at this level (app/components/clientComments.ts MAX_VISIBLE_DEPTH); the baseline's first page does the same. */
const CUT_AT_LEVEL = 6;
/** Ours should serve at least this share of the baseline's pages/s (reported, not asserted). */
export const TARGET_THROUGHPUT_RATIO = 0.5;
const SCRIPT_TIMEOUT_MS = 120_000;

/**
 * `ours-api`: the same first page as JSON (GET /api/threads/<slug>): how much of ours' cost is loading the data, not rendering it.
 * `ours-uncached`: the same page from a second server with its page cache off (PAGE_CACHE_COMMENTS=0): what every
 * read costs when the thread changes between reads, so the cached figure is never read alone.
 * Both render every view: the cache of whole pages (PAGE_HTML_CACHE_MB) is off here, and measured by bench/pageCache.
 */
type Variant = 'ours' | 'ours-uncached' | 'ours-api' | 'baseline-first-page' | 'baseline-all';

interface Measurement extends HttpLoadResult {
  round: number;
  variant: Variant;
  serverCpuPercent: number | null;
  /** Server CPU time per page served, ms: its cost, robust to waiting for a core on a busy machine. */
  serverCpuMsPerPage: number | null;
  foreignCpuPercent: number | null;
}

interface VariantSummary {
  variant: Variant;
  url: string;
  /** data-comment-id attributes in one response: the comments actually on the page. */
  commentsOnPage: number;
  responseBytes: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuPercent: number;
  serverCpuMsPerPage: number;
  errors: number;
}

/** What the render run adds to the harness's report. */
export interface RenderBody {
  thread: { slug: string; comments: number; firstPageComments: number };
  measurements: Measurement[];
  summary: VariantSummary[];
  comparison: {
    throughputRatio: number;
    /** The same, with ours' page cache off: a thread that changes between every two reads. */
    throughputRatioUncached: number;
    throughputRatioVsAll: number;
    /** Baseline CPU ms per page ÷ ours (first page): the throughput ratio two servers with a core each would show. */
    cpuCostRatio: number; target: number; meetsTarget: boolean; trustworthy: boolean };
}

export type RenderReport = Report<Omit<RenderOptions, 'quick' | 'smoke'>, RenderBody>;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function getJson<T>(url: string): Promise<T> {
  const res = await get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as T;
}

/** Every comment of the thread, page after page of branches, in display order. */
async function allComments(url: string, slug: string): Promise<CommentView[]> {
  const comments: CommentView[] = [];
  let after: string | null = null;
  do {
    const page: ThreadResponse = await getJson<ThreadResponse>(`${url}/api/threads/${slug}?limit=200${after ? `&after=${after}` : ''}`);
    comments.push(...page.comments);
    after = page.nextCursor;
  } while (after !== null);
  return comments;
}

/** The article's paragraphs as ours shows them, so both pages carry the same story text. */
function articleParagraphs(html: string): string[] {
  const body = /<div class="story-body">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => (m[1] ?? '').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

const countComments = (html: string) => html.match(/data-comment-id=/g)?.length ?? 0;

async function runRender(options: RenderOptions, run: RunContext): Promise<RenderBody> {
  const { registerCleanup } = run;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-render-'));
  registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  const oursEnv: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMITS: 'off', SPAM_CHECKS: 'off', SESSION_SECRET: randomBytes(32).toString('hex'), PAGE_HTML_CACHE_MB: '0' };

  const seedArgs = ['seed:synthetic', '--', '--comments', String(options.comments), '--depth', String(options.depth)];
  const slug = await npmScriptLastLine({ supervisor: run.supervisor, root: run.root, env: oursEnv, args: seedArgs, timeoutMs: SCRIPT_TIMEOUT_MS });
  const ours = await startServerProcess(run, { name: 'ours', script: path.join('server', 'main.ts'), env: oursEnv, timeoutMs: options.startTimeoutSeconds * 1000 });
  const oursUncached = await startServerProcess(run, { name: 'ours-uncached', script: path.join('server', 'main.ts'), env: { ...oursEnv, PAGE_CACHE_COMMENTS: '0' }, timeoutMs: options.startTimeoutSeconds * 1000 });
  const first = await getJson<ThreadResponse>(`${ours.url}/api/threads/${slug}`);
  const all = await allComments(ours.url, slug);
  const oursPage = await get(`${ours.url}/articles/${slug}`);
  if (oursPage.status !== 200) throw new Error(`GET /articles/${slug}: HTTP ${oursPage.status}`);
  const data: RenderData = { title: first.thread.title, articleParagraphs: articleParagraphs(oursPage.body), firstPage: first.comments, all, cutAtLevel: CUT_AT_LEVEL };
  const dataFile = path.join(dataDir, 'render-data.json');
  fs.writeFileSync(dataFile, JSON.stringify(data));
  const baseline = await startServerProcess(run, { name: 'baseline', script: path.join('bench', 'render', 'baselineServer.ts'), env: { ...inherited, NODE_ENV: 'production', PORT: '0', BENCH_RENDER_DATA: dataFile, BENCH_EXIT_WITH_PARENT: '1' }, timeoutMs: 60_000 });
  run.log(`thread ${slug}: ${all.length} comments, ${first.comments.length} on the first page; ours ${ours.url}, baseline ${baseline.url}`);

  const variants: { variant: Variant; url: string; pid: number }[] = [
    { variant: 'ours', url: `${ours.url}/articles/${slug}`, pid: ours.proc.pid },
    { variant: 'ours-uncached', url: `${oursUncached.url}/articles/${slug}`, pid: oursUncached.proc.pid },
    { variant: 'ours-api', url: `${ours.url}/api/threads/${slug}`, pid: ours.proc.pid },
    { variant: 'baseline-first-page', url: `${baseline.url}/first`, pid: baseline.proc.pid },
    { variant: 'baseline-all', url: `${baseline.url}/all`, pid: baseline.proc.pid },
  ];
  const onPage = new Map<Variant, number>();
  for (const v of variants) onPage.set(v.variant, v.variant === 'ours-api' ? first.comments.length : countComments((await get(v.url)).body));

  const cpuMsPerPage = (usPerRequest: number | null) => (usPerRequest === null ? null : round(usPerRequest / 1000, 2));
  const rounds = await pageLoadRounds({
    sides: variants,
    servers: [ours.proc, oursUncached.proc, baseline.proc],
    options,
    line: (m) =>
      `round ${m.round} ${m.variant.padEnd(19)} ${m.requestsPerSecond} pages/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  ${(m.responseBytes / 1024).toFixed(0)} KiB  server ${m.serverCpuPercent ?? '?'}% (${cpuMsPerPage(m.serverCpuUsPerRequest) ?? '?'} ms CPU/page)  foreign ${m.foreignCpuPercent ?? '?'}%${m.errors > 0 ? `  ⚠ ${m.errors} errors: ${m.firstError}` : ''}`,
    log: run.log,
  });
  const measurements: Measurement[] = rounds.map(({ serverCpuUsPerRequest, ...m }) => ({ ...m, serverCpuMsPerPage: cpuMsPerPage(serverCpuUsPerRequest) }));

  const summary = variants.map((v): VariantSummary => {
    const mine = measurements.filter((m) => m.variant === v.variant);
    const m = (pick: (x: Measurement) => number | null) => round(median(mine.map((x) => pick(x) ?? Number.NaN)), 2);
    return { variant: v.variant, url: v.url.replace(/^http:\/\/[^/]+/, ''), commentsOnPage: onPage.get(v.variant) ?? 0, responseBytes: mine.at(-1)?.responseBytes ?? 0, requestsPerSecond: m((x) => x.requestsPerSecond), p50Ms: m((x) => x.latencyMs.p50), p99Ms: m((x) => x.latencyMs.p99), serverCpuPercent: m((x) => x.serverCpuPercent), serverCpuMsPerPage: m((x) => x.serverCpuMsPerPage), errors: mine.reduce((a, x) => a + x.errors, 0) };
  });
  const rps = (variant: Variant) => summary.find((s) => s.variant === variant)?.requestsPerSecond ?? Number.NaN;
  const cpuMs = (variant: Variant) => summary.find((s) => s.variant === variant)?.serverCpuMsPerPage ?? Number.NaN;
  const throughputRatio = round(rps('ours') / rps('baseline-first-page'), 2);
  return {
    thread: { slug, comments: all.length, firstPageComments: first.comments.length },
    measurements,
    summary,
    comparison: {
      throughputRatio,
      throughputRatioUncached: round(rps('ours-uncached') / rps('baseline-first-page'), 2),
      throughputRatioVsAll: round(rps('ours') / rps('baseline-all'), 2),
      cpuCostRatio: round(cpuMs('baseline-first-page') / cpuMs('ours'), 2),
      ...pageLoadVerdict(throughputRatio, TARGET_THROUGHPUT_RATIO, measurements),
    },
  };
}

export function markdownSummary(report: RenderReport): string {
  const o = report.options;
  const c = report.comparison;
  return [
  `Render: the article page of a ${report.thread.comments}-comment thread (${report.thread.firstPageComments} on its first page of branches); closed loop, ${o.concurrency} in flight, ` +
    `${o.seconds} s (+${o.warmupSeconds} s warm-up), ${o.rounds} round(s), medians over rounds${o.quick ? ' — QUICK PRESET' : ''}`,
  '',
  '| target | comments on page | KiB | pages/s | p50 ms | p99 ms | server CPU | CPU ms / page | errors |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...report.summary.map((s) => `| ${s.variant} | ${s.commentsOnPage} | ${(s.responseBytes / 1024).toFixed(0)} | ${fmt(s.requestsPerSecond)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${fmt(s.serverCpuPercent, 0)}% | ${fmt(s.serverCpuMsPerPage)} | ${s.errors} |`),
  '',
  `ours / baseline (first page): ${fmt(c.throughputRatio, 2)} (target ≥ ${c.target}: ${c.meetsTarget ? 'met' : 'NOT met'}); with ours' page cache off: ${fmt(c.throughputRatioUncached, 2)}; ours / baseline (all comments): ${fmt(c.throughputRatioVsAll, 2)}; CPU cost ratio (baseline ms/page ÷ ours, first page): ${fmt(c.cpuCostRatio, 2)}; trustworthy: ${c.trustworthy ? 'yes' : 'no (errors or foreign load, see JSON)'}`,
  ].join('\n');
}

/** The run's line in bench/results/render.md. */
export function renderSummaryCells(report: RenderReport): SummaryCells {
  const c = report.comparison;
  const rps = (variant: Variant) => report.summary.find((s) => s.variant === variant)?.requestsPerSecond ?? '–';
  return pageLoadSummaryCells(
    {
      medians: `pages/s: ours ${rps('ours')}, ours uncached ${rps('ours-uncached')}, baseline first page ${rps('baseline-first-page')}, baseline all ${rps('baseline-all')}`,
      ratios: `first page ${times(c.throughputRatio)}, uncached ${times(c.throughputRatioUncached)}, vs all comments ${times(c.throughputRatioVsAll)}, CPU cost ${times(c.cpuCostRatio)}`,
    },
    c,
  );
}

// A smoke is a 200-comment thread, 1 s per variant.
export const renderScenario = closedLoopPageScenario({ name: 'render', flags: FLAGS, thread: { comments: 2000, depth: 8, concurrency: 4, smokeComments: 200 }, run: runRender, markdown: markdownSummary, summarise: renderSummaryCells });

runIfMain(renderScenario, module);
