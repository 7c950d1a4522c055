/**
 * `npm run bench:lighthouse` (issue 15, target 2): Lighthouse 12 (the pinned `lighthouse`, mobile
 * preset, its simulated throttling) on the three reader pages a new reader meets: the seeded article,
 * the article page of a 2,000-comment synthetic thread, and the seeded article's embed. Each page is
 * read `--runs` times, the pages alternating; medians of each score and metric are judged against
 * the issue's targets (there is no baseline server: the targets are absolute).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, list, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import type { SummaryCells } from '../common/harness/summary';
import { npmScriptLastLine } from '../common/npmScript';
import { watchForUnexpectedExit } from '../common/processSupervisor';
import { quietBeforeRound } from '../common/quietMachine';
import { median } from '../common/stats';
import { LISTENING_LINE, requireLoopback } from '../common/targets/target';
import { DEFAULT_CHROME_PATH, runLighthouse, type LighthouseReading } from './lighthouseRun';

const PAGES = ['article', 'long', 'embed'] as const;
type PageName = (typeof PAGES)[number];

const FLAGS = {
  comments: count('comments in the synthetic thread (the `long` page)', { name: 'thread-comments' }),
  depth: count('its deepest reply level', { name: 'thread-depth' }),
  runs: count('Lighthouse runs per page (medians over them)'),
  pages: list<PageName>(PAGES, 'the pages to read: article (the seeded one), long (the synthetic thread), embed (the seeded article\'s)'),
  quietWaitSeconds: standard.quietWaitSeconds(),
  startTimeoutSeconds: standard.startTimeoutSeconds(),
  // Accepted like every bench's: Lighthouse and its Chromium are not pinned.
  pin: standard.pin(),
};
type LighthouseOptions = Values<typeof FLAGS>;

/** Issue 15, target 2: each page's medians. */
export const TARGETS = { performance: 95, tbtMs: 150, lcpMs: 2000, cls: 0.02, otherScores: 100 } as const;
const SEED_TIMEOUT_MS = 120_000;
/** A run Lighthouse itself failed (NO_NAVSTART happens on a loaded machine) is tried again this many times. */
const RETRIES = 2;

interface RunRecord extends LighthouseReading {
  page: PageName;
  round: number;
  /** Load average (1 min) when the run began. */
  load: number;
  failedTries: string[];
}

type Medians = Omit<LighthouseReading, 'warnings'>;

interface PageSummary {
  page: PageName;
  path: string;
  runs: number;
  medians: Medians;
  /** Every run's performance score, in order. */
  performanceRuns: number[];
  meetsTargets: boolean;
  /** The targets it misses, in words. */
  misses: string[];
}

interface LighthouseBody {
  thread: { comments: number; depth: number };
  chrome: string;
  runs: RunRecord[];
  summary: PageSummary[];
}

type LighthouseReport = Report<LighthouseOptions, LighthouseBody>;

/** The misses of a page's medians against TARGETS. */
export function missedTargets(m: Medians): string[] {
  const misses: string[] = [];
  if (m.performance < TARGETS.performance) misses.push(`performance ${m.performance} < ${TARGETS.performance}`);
  if (m.tbtMs > TARGETS.tbtMs) misses.push(`TBT ${m.tbtMs} ms > ${TARGETS.tbtMs}`);
  if (m.lcpMs > TARGETS.lcpMs) misses.push(`LCP ${m.lcpMs} ms > ${TARGETS.lcpMs}`);
  if (m.cls > TARGETS.cls) misses.push(`CLS ${m.cls} > ${TARGETS.cls}`);
  for (const [name, score] of [['accessibility', m.accessibility], ['best practices', m.bestPractices], ['SEO', m.seo]] as const) {
    if (score < TARGETS.otherScores) misses.push(`${name} ${score}`);
  }
  return misses;
}

/** The server on a fresh DATA_DIR: the seed folder's article, then the synthetic thread; `npm start` without npm. */
async function startServer(options: LighthouseOptions, run: RunContext): Promise<{ baseUrl: string; paths: Record<PageName, string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-lighthouse-'));
  run.registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SESSION_SECRET: randomBytes(32).toString('hex'), NEXT_TELEMETRY_DISABLED: '1' };
  const script = (args: string[]) => npmScriptLastLine({ supervisor: run.supervisor, root: run.root, env, args, timeoutMs: SEED_TIMEOUT_MS });
  const seeded = await script(['seed']);
  const article = /as (\/articles\/\S+)/.exec(seeded)?.[1];
  if (!article) throw new Error(`npm run seed did not say where it imported the article: ${seeded}`);
  const slug = await script(['seed:synthetic', '--', '--comments', String(options.comments), '--depth', String(options.depth)]);
  run.log('starting the server (scripts/start.js builds what is stale first)');
  const proc = run.supervisor.spawn({ name: 'threadline', command: process.execPath, args: [path.join('scripts', 'start.js')], cwd: run.root, env, echoStderr: true });
  const baseUrl = requireLoopback((await proc.waitForLine(LISTENING_LINE, options.startTimeoutSeconds * 1000))[1] as string);
  watchForUnexpectedExit(proc, run.log);
  return { baseUrl, paths: { article, long: `/articles/${slug}`, embed: article.replace(/^\/articles\//, '/embed/') } };
}

async function runScenario(options: LighthouseOptions, run: RunContext): Promise<LighthouseBody> {
  const { baseUrl, paths } = await startServer(options, run);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-lighthouse-json-'));
  run.registerCleanup(async () => fs.rmSync(outDir, { recursive: true, force: true }));
  // One page load first, so the first measured run does not pay for a cold server.
  for (const page of options.pages) await fetch(`${baseUrl}${paths[page]}`).then((res) => res.text());

  const { rounds } = await alternateRounds<PageName, RunRecord>({
    rounds: options.runs,
    sides: options.pages,
    label: (page) => `${page} (${paths[page]})`,
    run: async (round, page) => {
      await quietBeforeRound(options.quietWaitSeconds);
      const failedTries: string[] = [];
      for (let attempt = 0; ; attempt += 1) {
        const load = os.loadavg()[0] ?? 0;
        try {
          const reading = await runLighthouse(run, { url: `${baseUrl}${paths[page]}`, dir: outDir, tag: `${page}-${round}-${attempt}` });
          return { page, round, load: Math.round(load * 100) / 100, failedTries, ...reading };
        } catch (err) {
          if (attempt >= RETRIES) throw err;
          failedTries.push((err as Error).message.split('\n')[0] ?? 'failed');
          run.log(`${page}: ${failedTries.at(-1)}; trying again`);
        }
      }
    },
    line: (r) => `${r.page} run ${r.round}: performance ${r.performance}, TBT ${r.tbtMs} ms, LCP ${r.lcpMs} ms, CLS ${r.cls}, a11y/BP/SEO ${r.accessibility}/${r.bestPractices}/${r.seo} (load ${r.load})`,
    log: run.log,
    pauseMs: 500,
  });

  const summary = options.pages.map((page): PageSummary => {
    const mine = rounds.filter((r) => r.page === page);
    const m = (pick: (r: RunRecord) => number) => median(mine.map(pick));
    const medians: Medians = {
      performance: m((r) => r.performance),
      accessibility: m((r) => r.accessibility),
      bestPractices: m((r) => r.bestPractices),
      seo: m((r) => r.seo),
      tbtMs: m((r) => r.tbtMs),
      lcpMs: m((r) => r.lcpMs),
      cls: m((r) => r.cls),
      fcpMs: m((r) => r.fcpMs),
    };
    const misses = missedTargets(medians);
    return { page, path: paths[page], runs: mine.length, medians, performanceRuns: mine.map((r) => r.performance), meetsTargets: misses.length === 0, misses };
  });
  return { thread: { comments: options.comments, depth: options.depth }, chrome: process.env.CHROME_PATH ?? DEFAULT_CHROME_PATH, runs: rounds, summary };
}

const PAGE_LABELS: Record<PageName, string> = { article: 'Seeded article', long: 'A 2,000-comment thread', embed: 'Embed of the seeded article' };
const pageLabel = (report: LighthouseReport, page: PageName) => (page === 'long' ? `A ${report.thread.comments}-comment thread` : PAGE_LABELS[page]);

function markdown(report: LighthouseReport): string {
  const preset = report.options.smoke ? ' — SMOKE PRESET' : report.options.quick ? ' — QUICK PRESET' : '';
  const loads = report.runs.map((r) => r.load);
  return [
    `Lighthouse (mobile preset), medians of ${report.options.runs} run(s) per page; load average ${Math.min(...loads)}–${Math.max(...loads)} during the runs${preset}`,
    '',
    '| page | performance (runs) | TBT ms | LCP ms | CLS | FCP ms | a11y / BP / SEO | targets |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...report.summary.map((s) => {
      const m = s.medians;
      return `| ${pageLabel(report, s.page)} | ${m.performance} (${s.performanceRuns.join(', ')}) | ${m.tbtMs} | ${m.lcpMs} | ${m.cls} | ${m.fcpMs} | ${m.accessibility} / ${m.bestPractices} / ${m.seo} | ${s.meetsTargets ? 'met' : s.misses.join('; ')} |`;
    }),
    '',
    `Targets (issue 15): performance ≥ ${TARGETS.performance}, TBT ≤ ${TARGETS.tbtMs} ms, LCP ≤ ${TARGETS.lcpMs} ms, CLS ≤ ${TARGETS.cls}, accessibility / best practices / SEO ${TARGETS.otherScores}.`,
  ].join('\n');
}

function summarise(report: LighthouseReport): SummaryCells {
  const loads = report.runs.map((r) => r.load);
  return {
    medians: `load ${Math.min(...loads)}–${Math.max(...loads)}: ` + report.summary.map((s) => `${s.page} ${s.medians.performance} (TBT ${s.medians.tbtMs} ms, LCP ${s.medians.lcpMs} ms, CLS ${s.medians.cls}, ${s.medians.accessibility}/${s.medians.bestPractices}/${s.medians.seo})`).join('; '),
    ratios: '– (absolute targets)',
    target: `performance ≥ ${TARGETS.performance}, TBT ≤ ${TARGETS.tbtMs} ms, LCP ≤ ${TARGETS.lcpMs} ms, CLS ≤ ${TARGETS.cls}, others ${TARGETS.otherScores}`,
    meetsTarget: report.summary.every((s) => s.meetsTargets),
  };
}

export const lighthouseScenario = defineScenario<LighthouseOptions, LighthouseBody>({
  name: 'lighthouse',
  flags: FLAGS,
  defaults: { comments: 2000, depth: 8, runs: 3, pages: [...PAGES], quietWaitSeconds: standard.STANDARD_DEFAULTS.quietWaitSeconds, startTimeoutSeconds: standard.STANDARD_DEFAULTS.startTimeoutSeconds, pin: true },
  presets: { quick: { runs: 1 }, smoke: { comments: 200, runs: 1, pages: ['long'], quietWaitSeconds: 0 } },
  services: [],
  notes: `Lighthouse ${'`'}CHROME_PATH${'`'} (default ${DEFAULT_CHROME_PATH}); the server is scripts/start.js (npm start), which builds what is stale first.`,
  pinning: 'none',
  describe: (o) => `${o.runs} Lighthouse run(s) on each of ${o.pages.join(', ')} (the long thread: ${o.comments} comments, depth ${o.depth})`,
  run: runScenario,
  markdown,
  summarise,
});

runIfMain(lighthouseScenario, module);
