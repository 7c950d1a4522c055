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
import { pinSelf } from '../common/pinSelf';
import { withBenchSession } from '../common/benchSession';
import { sleep } from '../common/clock';
import { percentOfCore, sampleCpu } from '../common/processCpu';
import { assertRunning, watchForUnexpectedExit, type ManagedProcess, type ProcessSupervisor } from '../common/processSupervisor';
import { waitForQuietMachine } from '../common/quietMachine';
import { environment } from '../fanout/report';
import { DEFAULT_RESULTS_DIR, exitOnCliError, GENERATOR_CPU, SERVER_CPU } from '../fanout/run';
import { median, round } from '../common/stats';
import { LISTENING_LINE, requireLoopback } from '../common/targets/target';
import type { RenderData } from './baselineServer';
import { runHttpLoad, type HttpLoadResult } from './httpLoad';
import { parseRenderArgs, type RenderOptions } from './options';

const ROOT = path.resolve(__dirname, '..', '..');
/** Threadline's page cuts replies at this level (app/components/clientComments.ts MAX_VISIBLE_DEPTH); the baseline's first page does the same. */
const CUT_AT_LEVEL = 6;
/** Ours should serve at least this share of the baseline's pages/s (reported, not asserted). */
export const TARGET_THROUGHPUT_RATIO = 0.5;
const SCRIPT_TIMEOUT_MS = 120_000;

/**
 * `ours-api`: the same first page as JSON (GET /api/threads/<slug>): how much of ours' cost is loading the data, not rendering it.
 * `ours-uncached`: the same page from a second server with its page cache off (PAGE_CACHE_COMMENTS=0): what every
 * read costs when the thread changes between reads, so the cached figure is never read alone.
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

export interface RenderReport {
  benchmark: 'render';
  startedAt: string;
  finishedAt: string;
  options: Omit<RenderOptions, 'resultsDir'>;
  environment: Record<string, unknown>;
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

function log(message: string): void {
  process.stderr.write(`[render] ${message}\n`);
}

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

/** Runs an npm script to its end; its last stdout line is what it printed for us. */
async function npmScript(supervisor: ProcessSupervisor, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const proc = supervisor.spawn({ name: args[0] as string, command: 'npm', args: ['run', '--silent', ...args], cwd: ROOT, env });
  const lines: string[] = [];
  proc.onLine((line, stream) => {
    if (stream === 'stdout' && line.trim()) lines.push(line.trim());
  });
  const timer = setTimeout(() => void proc.stop(), SCRIPT_TIMEOUT_MS);
  const code = await proc.exited;
  clearTimeout(timer);
  const last = lines.at(-1);
  if (code !== 0 || !last) throw new Error(`npm run ${args.join(' ')} failed (exit ${code}):\n${proc.tail()}`);
  return last;
}

async function startServer(supervisor: ProcessSupervisor, spec: { name: string; script: string; env: NodeJS.ProcessEnv; cpu: number | undefined; timeoutMs: number }): Promise<{ proc: ManagedProcess; url: string }> {
  const proc = supervisor.spawn({ name: spec.name, command: process.execPath, args: ['--import', 'tsx', spec.script], cwd: ROOT, env: spec.env, cpu: spec.cpu, echoStderr: true });
  const url = requireLoopback((await proc.waitForLine(LISTENING_LINE, spec.timeoutMs))[1] as string);
  watchForUnexpectedExit(proc, log);
  return { proc, url };
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

export async function runRenderBenchmark(options: RenderOptions): Promise<RenderReport> {
  const startedAt = new Date().toISOString();
  const pinned = options.pin && pinSelf(GENERATOR_CPU);
  const serverCpu = pinned ? SERVER_CPU : undefined;
  const env = environment(pinned);
  log(`${options.comments} comments (depth ${options.depth}); concurrency ${options.concurrency}; ${options.seconds} s (+${options.warmupSeconds} s warm-up) × ${options.rounds} round(s); ${pinned ? 'servers on CPU 0, generator on CPU 1' : 'not pinned'}; load ${env.loadAverageAtStart.join(' ')}`);
  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-render-'));
    registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
    const oursEnv: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMITS: 'off', SESSION_SECRET: randomBytes(32).toString('hex') };

    const slug = await npmScript(supervisor, oursEnv, ['seed:synthetic', '--', '--comments', String(options.comments), '--depth', String(options.depth)]);
    const ours = await startServer(supervisor, { name: 'ours', script: path.join('server', 'main.ts'), env: oursEnv, cpu: serverCpu, timeoutMs: options.startTimeoutSeconds * 1000 });
    const oursUncached = await startServer(supervisor, { name: 'ours-uncached', script: path.join('server', 'main.ts'), env: { ...oursEnv, PAGE_CACHE_COMMENTS: '0' }, cpu: serverCpu, timeoutMs: options.startTimeoutSeconds * 1000 });
    const first = await getJson<ThreadResponse>(`${ours.url}/api/threads/${slug}`);
    const all = await allComments(ours.url, slug);
    const oursPage = await get(`${ours.url}/articles/${slug}`);
    if (oursPage.status !== 200) throw new Error(`GET /articles/${slug}: HTTP ${oursPage.status}`);
    const data: RenderData = { title: first.thread.title, articleParagraphs: articleParagraphs(oursPage.body), firstPage: first.comments, all, cutAtLevel: CUT_AT_LEVEL };
    const dataFile = path.join(dataDir, 'render-data.json');
    fs.writeFileSync(dataFile, JSON.stringify(data));
    const baseline = await startServer(supervisor, { name: 'baseline', script: path.join('bench', 'render', 'baselineServer.ts'), env: { ...inherited, NODE_ENV: 'production', PORT: '0', BENCH_RENDER_DATA: dataFile, BENCH_EXIT_WITH_PARENT: '1' }, cpu: serverCpu, timeoutMs: 60_000 });
    log(`thread ${slug}: ${all.length} comments, ${first.comments.length} on the first page; ours ${ours.url}, baseline ${baseline.url}`);

    const variants: { variant: Variant; url: string; pid: number }[] = [
      { variant: 'ours', url: `${ours.url}/articles/${slug}`, pid: ours.proc.pid },
      { variant: 'ours-uncached', url: `${oursUncached.url}/articles/${slug}`, pid: oursUncached.proc.pid },
      { variant: 'ours-api', url: `${ours.url}/api/threads/${slug}`, pid: ours.proc.pid },
      { variant: 'baseline-first-page', url: `${baseline.url}/first`, pid: baseline.proc.pid },
      { variant: 'baseline-all', url: `${baseline.url}/all`, pid: baseline.proc.pid },
    ];
    const onPage = new Map<Variant, number>();
    for (const v of variants) onPage.set(v.variant, v.variant === 'ours-api' ? first.comments.length : countComments((await get(v.url)).body));

    const measurements: Measurement[] = [];
    for (let roundNo = 1; roundNo <= options.rounds; roundNo += 1) {
      for (const v of variants) {
        assertRunning([ours.proc, oursUncached.proc, baseline.proc]);
        if (options.quietWaitSeconds > 0) await waitForQuietMachine({ maxSeconds: options.quietWaitSeconds, thresholdPercent: 20 });
        const pids = [v.pid, process.pid];
        const start = sampleCpu(pids);
        const result = await runHttpLoad({ url: v.url, concurrency: options.concurrency, seconds: options.seconds, warmupSeconds: options.warmupSeconds });
        const end = sampleCpu(pids);
        const server = percentOfCore(start, end, v.pid);
        const machine = percentOfCore(start, end);
        const foreign = machine === null ? null : Math.max(0, Math.round((machine - (server ?? 0) - (percentOfCore(start, end, process.pid) ?? 0)) * 10) / 10);
        measurements.push({ round: roundNo, variant: v.variant, ...result, serverCpuPercent: server, serverCpuMsPerPage: server === null || result.allRequests === 0 ? null : round(((server / 100) * result.elapsedSeconds * 1000) / result.allRequests, 2), foreignCpuPercent: foreign });
        log(`round ${roundNo} ${v.variant.padEnd(19)} ${result.requestsPerSecond} pages/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  ${(result.responseBytes / 1024).toFixed(0)} KiB  server ${server ?? '?'}% (${measurements.at(-1)?.serverCpuMsPerPage ?? '?'} ms CPU/page)  foreign ${foreign ?? '?'}%${result.errors > 0 ? `  ⚠ ${result.errors} errors: ${result.firstError}` : ''}`);
        await sleep(300);
      }
    }

    const summary = variants.map((v): VariantSummary => {
      const mine = measurements.filter((m) => m.variant === v.variant);
      const m = (pick: (x: Measurement) => number | null) => round(median(mine.map((x) => pick(x) ?? Number.NaN)), 2);
      return { variant: v.variant, url: v.url.replace(/^http:\/\/[^/]+/, ''), commentsOnPage: onPage.get(v.variant) ?? 0, responseBytes: mine.at(-1)?.responseBytes ?? 0, requestsPerSecond: m((x) => x.requestsPerSecond), p50Ms: m((x) => x.latencyMs.p50), p99Ms: m((x) => x.latencyMs.p99), serverCpuPercent: m((x) => x.serverCpuPercent), serverCpuMsPerPage: m((x) => x.serverCpuMsPerPage), errors: mine.reduce((a, x) => a + x.errors, 0) };
    });
    const rps = (variant: Variant) => summary.find((s) => s.variant === variant)?.requestsPerSecond ?? Number.NaN;
    const cpuMs = (variant: Variant) => summary.find((s) => s.variant === variant)?.serverCpuMsPerPage ?? Number.NaN;
    const throughputRatio = round(rps('ours') / rps('baseline-first-page'), 2);
    return {
      benchmark: 'render',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: (({ resultsDir: _r, ...rest }) => rest)(options),
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
      thread: { slug, comments: all.length, firstPageComments: first.comments.length },
      measurements,
      summary,
      comparison: {
        throughputRatio,
        throughputRatioUncached: round(rps('ours-uncached') / rps('baseline-first-page'), 2),
        throughputRatioVsAll: round(rps('ours') / rps('baseline-all'), 2),
        cpuCostRatio: round(cpuMs('baseline-first-page') / cpuMs('ours'), 2),
        target: TARGET_THROUGHPUT_RATIO,
        meetsTarget: throughputRatio >= TARGET_THROUGHPUT_RATIO,
        trustworthy: measurements.every((x) => x.errors === 0 && (x.foreignCpuPercent ?? 0) <= 20),
      },
    };
  });
}

export function markdownSummary(report: RenderReport): string {
  const o = report.options;
  const c = report.comparison;
  const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
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

export async function runRenderCli(argv: string[]): Promise<string> {
  const options = parseRenderArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runRenderBenchmark(options);
  console.log(`\n${markdownSummary(report)}\n`);
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `render-${report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

if (require.main === module) {
  runRenderCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
