/**
 * `npm run bench:longThread` (issue 13): what a reader of a long thread waits for in their
 * browser (headless Chromium): every "More comments" page of the synthetic 1,962-comment thread
 * until it is all there, `j` from comment to comment, and a reply and a like from someone else
 * arriving live once every comment is on the page. Ours is this checkout; the baseline is the
 * same code before the comment list rendered only what changed (`--baseline`, a git revision,
 * unpacked and built in the temp dir once). Each side runs its own server on its own copy of the
 * thread; rounds alternate the sides, each a fresh browser context.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ThreadResponseSchema } from '../../lib/contract';
import playwrightConfig from '../../e2e/playwright.config';
import { count, text, type Values } from '../common/harness/flags';
import { alternateRounds, oursFirst } from '../common/harness/rounds';
import { defineScenario, runIfMain, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { oursSlashBaseline, times, type SummaryCells } from '../common/harness/summary';
import { npmScriptLastLine } from '../common/npmScript';
import { watchForUnexpectedExit } from '../common/processSupervisor';
import { quietBeforeRound, type QuietWait } from '../common/quietMachine';
import { median, round } from '../common/stats';
import { LISTENING_LINE, requireLoopback, type TargetName } from '../common/targets/target';
import { checkoutOf } from './checkout';
import { OtherReader, readerRound, type ReaderTimings } from './readerRound';

const FLAGS = {
  comments: count('comments in the synthetic thread', { name: 'thread-comments' }),
  depth: count('its deepest reply level', { name: 'thread-depth' }),
  rounds: standard.rounds('readers per side (each loads every page), alternating ours, baseline'),
  focusSteps: count('`j` presses per reader, every page loaded', { name: 'focus-steps' }),
  baseline: text('the code to compare with: a git revision (unpacked and built in the temp dir once)', 'REV'),
  targets: standard.targets(),
  quietWaitSeconds: standard.quietWaitSeconds(),
  startTimeoutSeconds: standard.startTimeoutSeconds(),
};
type LongThreadOptions = Values<typeof FLAGS>;

/** main before issue 13's work on rendering (the list re-rendered whole on every change). */
const BASELINE_REVISION = 'b451b09';
/** The thread of e2e/pagingPlace.spec.ts, the issue's 1,962 comments. */
const THREAD_SEED = 13;
const SEED_TIMEOUT_MS = 120_000;
/** Ours should take at most this share of the baseline's time for the last page and a live reply. */
const TARGET_RATIO = 0.5;

interface Side {
  name: TargetName;
  /** Where its code is. */
  dir: string;
  baseUrl: string;
  slug: string;
  other: OtherReader;
  replyTo: string;
  likeId: string;
}

interface RoundRecord extends ReaderTimings {
  target: TargetName;
  round: number;
  quiet: QuietWait | null;
}

interface SideSummary {
  target: TargetName;
  code: string;
  /** Medians over rounds, ms. */
  pageDomMs: number[];
  pageSettledMs: number[];
  /** Every page, click to settled, summed. */
  allPagesMs: number;
  lastPageDomMs: number;
  lastPageSettledMs: number;
  focusMs: number;
  replyDomMs: number;
  replySettledMs: number;
  likeDomMs: number;
  likeSettledMs: number;
  commentsAtEnd: number;
}

type Ratios = Record<'allPages' | 'lastPage' | 'focus' | 'reply' | 'like', number>;

interface LongThreadBody {
  thread: { comments: number; depth: number; seed: number };
  rounds: RoundRecord[];
  summary: SideSummary[];
  /** ours ÷ baseline (settled times), when both ran. */
  ratios: Ratios | null;
}

type LongThreadReport = Report<LongThreadOptions, LongThreadBody>;

async function startSide(name: TargetName, dir: string, options: LongThreadOptions, run: RunContext): Promise<Side> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `threadline-bench-long-${name}-`));
  run.registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMITS: 'off', SPAM_CHECKS: 'off', SESSION_SECRET: randomBytes(32).toString('hex'), NEXT_TELEMETRY_DISABLED: '1' };
  const seedArgs = ['seed:synthetic', '--', '--comments', String(options.comments), '--depth', String(options.depth), '--seed', String(THREAD_SEED)];
  const slug = await npmScriptLastLine({ supervisor: run.supervisor, root: dir, env, args: seedArgs, timeoutMs: SEED_TIMEOUT_MS });
  run.log(`${name}: starting ${dir} (it builds its pages first when they are stale)`);
  // `npm start` without npm: the compiled server, which builds what is stale.
  const proc = run.supervisor.spawn({ name, command: process.execPath, args: [path.join('scripts', 'start.js')], cwd: dir, env, echoStderr: true });
  const baseUrl = requireLoopback((await proc.waitForLine(LISTENING_LINE, options.startTimeoutSeconds * 1000))[1] as string);
  watchForUnexpectedExit(proc, run.log);
  // The live reply and like go to the first page's first two branches: on screen for every reader, on either side.
  const first = ThreadResponseSchema.parse(await (await fetch(`${baseUrl}/api/threads/${slug}`)).json());
  const [replyTo, liked] = first.comments.filter((c) => c.parentId === null && c.status === 'visible');
  if (!replyTo || !liked) throw new Error(`${name}: the thread's first page has fewer than two visible branches`);
  return { name, dir, baseUrl, slug, other: new OtherReader(baseUrl), replyTo: replyTo.id, likeId: liked.id };
}

async function runLongThread(options: LongThreadOptions, run: RunContext): Promise<LongThreadBody> {
  const dirs: Record<TargetName, () => string> = { ours: () => run.root, baseline: () => checkoutOf(run.root, options.baseline, run.log) };
  const sides: Side[] = [];
  for (const name of oursFirst(options.targets.map((t) => ({ name: t }))).map((s) => s.name)) sides.push(await startSide(name, dirs[name](), options, run));

  const { launchOptions } = playwrightConfig.use ?? {};
  const browser: Browser = await chromium.launch({ ...launchOptions, headless: true });
  run.registerCleanup(async () => browser.close());

  const { rounds } = await alternateRounds<Side, RoundRecord>({
    rounds: options.rounds,
    sides,
    reverseEveryOther: true,
    label: (side) => side.name,
    run: async (n, side) => {
      const quiet = await quietBeforeRound(options.quietWaitSeconds);
      const timings = await readerRound({ browser, baseUrl: side.baseUrl, slug: side.slug, other: side.other, replyTo: side.replyTo, likeId: side.likeId, focusSteps: options.focusSteps, tag: `${side.name}-${n}` });
      return { target: side.name, round: n, quiet, ...timings };
    },
    line: (r) =>
      `${r.target}: ${r.pages.length} pages, the last ${r.pages.at(-1)?.settledMs.toFixed(0)} ms (in the DOM ${r.pages.at(-1)?.domMs.toFixed(0)} ms) to ${r.pages.at(-1)?.comments} comments; j ${median(r.focusMs).toFixed(0)} ms; live reply ${r.reply.settledMs.toFixed(0)} ms, like ${r.like.settledMs.toFixed(0)} ms`,
    log: run.log,
  });
  const summary = sides.map((side) => summariseSide(side, options, rounds.filter((r) => r.target === side.name)));
  const [ours, baseline] = (['ours', 'baseline'] as const).map((t) => summary.find((s) => s.target === t));
  const ratio = (pick: (s: SideSummary) => number) => (ours && baseline ? round(pick(ours) / pick(baseline), 2) : Number.NaN);
  const ratios: Ratios | null =
    ours && baseline ? { allPages: ratio((s) => s.allPagesMs), lastPage: ratio((s) => s.lastPageSettledMs), focus: ratio((s) => s.focusMs), reply: ratio((s) => s.replySettledMs), like: ratio((s) => s.likeSettledMs) } : null;
  return { thread: { comments: options.comments, depth: options.depth, seed: THREAD_SEED }, rounds, summary, ratios };
}

function summariseSide(side: Side, options: LongThreadOptions, mine: RoundRecord[]): SideSummary {
  const ms = (values: number[]) => round(median(values), 0);
  const pageCount = Math.min(...mine.map((r) => r.pages.length));
  const perPage = (pick: (p: ReaderTimings['pages'][number]) => number) => Array.from({ length: pageCount }, (_, i) => ms(mine.map((r) => pick(r.pages[i]!))));
  return {
    target: side.name,
    code: side.name === 'ours' ? 'this checkout' : options.baseline,
    pageDomMs: perPage((p) => p.domMs),
    pageSettledMs: perPage((p) => p.settledMs),
    allPagesMs: ms(mine.map((r) => r.pages.reduce((sum, p) => sum + p.settledMs, 0))),
    lastPageDomMs: ms(mine.map((r) => r.pages.at(-1)!.domMs)),
    lastPageSettledMs: ms(mine.map((r) => r.pages.at(-1)!.settledMs)),
    focusMs: ms(mine.flatMap((r) => r.focusMs)),
    replyDomMs: ms(mine.map((r) => r.reply.domMs)),
    replySettledMs: ms(mine.map((r) => r.reply.settledMs)),
    likeDomMs: ms(mine.map((r) => r.like.domMs)),
    likeSettledMs: ms(mine.map((r) => r.like.settledMs)),
    commentsAtEnd: Math.max(...mine.map((r) => r.pages.at(-1)?.comments ?? 0)),
  };
}

function preset(report: LongThreadReport): string {
  return report.options.smoke ? ' — SMOKE PRESET' : report.options.quick ? ' — QUICK PRESET' : '';
}

function markdown(report: LongThreadReport): string {
  const pages = Math.max(0, ...report.summary.map((s) => s.pageSettledMs.length));
  return [
    `A reader's browser on a ${report.thread.comments}-comment thread: medians of ${report.options.rounds} readers per side, ms${preset(report)}`,
    '',
    '| side | code | every page, settled | last page: in DOM / settled | `j` | live reply: in DOM / settled | live like: in DOM / settled | comments |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.summary.map(
      (s) =>
        `| ${s.target} | ${s.code} | ${s.allPagesMs} | ${s.lastPageDomMs} / ${s.lastPageSettledMs} | ${s.focusMs} | ${s.replyDomMs} / ${s.replySettledMs} | ${s.likeDomMs} / ${s.likeSettledMs} | ${s.commentsAtEnd} |`,
    ),
    '',
    'Each More comments page, click → settled (in the DOM):',
    '',
    `| side | ${Array.from({ length: pages }, (_, i) => `page ${i + 2}`).join(' | ')} |`,
    `| --- | ${Array.from({ length: pages }, () => '---:').join(' | ')} |`,
    ...report.summary.map((s) => `| ${s.target} | ${s.pageSettledMs.map((v, i) => `${v} (${s.pageDomMs[i]})`).join(' | ')} |`),
  ].join('\n');
}

/** The run's line in bench/results/longThread.md. */
function summarise(report: LongThreadReport): SummaryCells {
  const pick = (f: (s: SideSummary) => number) => `${oursSlashBaseline(report.summary, f, (v) => String(v))} ms`;
  const r = report.ratios;
  const noisy = report.rounds.filter((x) => x.quiet !== null && !x.quiet.quiet).length;
  return {
    medians: `ours / baseline: every page ${pick((s) => s.allPagesMs)}, last page ${pick((s) => s.lastPageSettledMs)}, j ${pick((s) => s.focusMs)}, live reply ${pick((s) => s.replySettledMs)}, live like ${pick((s) => s.likeSettledMs)}`,
    ratios: r ? `every page ${times(r.allPages)}, last page ${times(r.lastPage)}, j ${times(r.focus)}, reply ${times(r.reply)}, like ${times(r.like)}` : '–',
    target: `last page and live reply ≤ ${TARGET_RATIO}×`,
    meetsTarget: r ? r.lastPage <= TARGET_RATIO && r.reply <= TARGET_RATIO : null,
    ...(noisy > 0 ? { caveat: `${noisy} of ${report.rounds.length} rounds began on a busy machine` } : {}),
  };
}

export const longThreadScenario = defineScenario<LongThreadOptions, LongThreadBody>({
  name: 'longThread',
  flags: FLAGS,
  defaults: { comments: 1962, depth: 6, rounds: 5, focusSteps: 5, baseline: BASELINE_REVISION, targets: [...standard.STANDARD_DEFAULTS.targets], quietWaitSeconds: standard.STANDARD_DEFAULTS.quietWaitSeconds, startTimeoutSeconds: standard.STANDARD_DEFAULTS.startTimeoutSeconds },
  presets: { quick: { rounds: 2 }, smoke: { comments: 300, rounds: 1, focusSteps: 1, quietWaitSeconds: 0 } },
  services: [],
  notes: `Headless Chromium (${'`'}CHROMIUM_PATH${'`'}, default /usr/bin/chromium) with e2e/playwright.config.ts's flags. The baseline's checkout stays in the temp dir between runs (threadline-bench-checkout-<commit>).`,
  pinning: 'none',
  describe: (o) => `${o.rounds} readers per side (${o.targets.join(', ')}) on a ${o.comments}-comment thread, baseline ${o.baseline}`,
  run: runLongThread,
  markdown,
  summarise,
});

runIfMain(longThreadScenario, module);
