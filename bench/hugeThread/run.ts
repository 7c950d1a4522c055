/**
 * bench/hugeThread (issue 6, huge threads): the first screen of a 10,000-comment
 * thread against a 200-comment one — the same service call GET /api/threads/<slug>
 * makes, plus its JSON — on SQLite and PostgreSQL, in this process, so the
 * measure is CPU time per call (robust on a shared machine) as well as wall time.
 * Then memory: N large threads each opened once, heap after GC. The "baseline"
 * here is the small thread: the huge one should cost the same per comment shown,
 * whatever the thread's size. `npm run bench:huge -- --help`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { syntheticComments } from '../../lib/seed/synthetic';
import { commentHtml } from '../../lib/services/htmlCache';
import { createThreadService } from '../../lib/services/threadService';
import { openStore, type Store } from '../../lib/store';
import { createBenchDatabase } from '../common/benchDatabase';
import { count, list, numbers, type Values } from '../common/harness/flags';
import { defineScenario, runIfMain, type OptionsOf, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import type { SummaryCells } from '../common/harness/summary';
import { median, round } from '../common/stats';

const HUGE_STORES = ['sqlite', 'postgres'] as const;
export type HugeStore = (typeof HUGE_STORES)[number];

const FLAGS = {
  sizes: numbers('thread sizes whose first page is compared', { integer: true, min: 1 }),
  depth: count('deepest reply level of the synthetic threads'),
  calls: count('measured first-page loads per size and store'),
  heapThreads: count('memory: threads opened once each before the heap sample'),
  heapComments: count('comments in each of them'),
  stores: list(HUGE_STORES, 'stores'),
  // Accepted like every bench's: this one runs in process and pins nothing.
  pin: standard.pin(),
};

export interface FirstPageResult {
  store: HugeStore;
  threadComments: number;
  commentsOnPage: number;
  responseBytes: number;
  calls: number;
  cpuMsPerCall: number;
  cpuMsPerComment: number;
  wallP50Ms: number;
  wallP90Ms: number;
}

export interface HeapResult {
  store: HugeStore;
  threads: number;
  commentsPerThread: number;
  heapUsedBeforeMiB: number;
  heapUsedAfterMiB: number;
  heapGrowthMiB: number;
  htmlCacheEntries: number;
  htmlCacheUsedChars: number;
  htmlCacheBudgetChars: number;
}

/** What the huge-thread run adds to the harness's report. */
export interface HugeBody {
  firstPage: FirstPageResult[];
  heap: HeapResult | null;
  /** Per store: CPU ms per call of the largest thread ÷ the smallest, and the same per comment shown. */
  comparison: { store: HugeStore; cpuPerCallRatio: number; cpuPerCommentRatio: number; commentsOnPageRatio: number }[];
}

export type HugeReport = Report<Omit<HugeThreadOptions, 'quick' | 'smoke'>, HugeBody>;

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function seed(store: Store, comments: number, depth: number, seedNo: number, slug: string): Promise<string> {
  const { thread } = await store.importThread({ source: `bench-huge:${slug}`, slug, title: `Huge bench ${comments}`, article: 'A synthetic thread.', locked: false, comments: syntheticComments({ comments, maxDepth: depth, seed: seedNo }) });
  return thread.slug;
}

async function measureFirstPage(store: Store, kind: HugeStore, slug: string, threadComments: number, calls: number): Promise<FirstPageResult> {
  const threads = createThreadService({ store });
  // What the API handler does: the page, then its JSON.
  const load = async () => JSON.stringify(await threads.getThreadPage({ slug }));
  for (let i = 0; i < 3; i += 1) await load();
  const cpu: number[] = [];
  const wall: number[] = [];
  let bytes = 0;
  for (let i = 0; i < calls; i += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    bytes = (await load()).length;
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const page = await threads.getThreadPage({ slug });
  const cpuMs = median(cpu);
  wall.sort((a, b) => a - b);
  return {
    store: kind,
    threadComments,
    commentsOnPage: page.comments.length,
    responseBytes: bytes,
    calls,
    cpuMsPerCall: round(cpuMs, 2),
    cpuMsPerComment: round(cpuMs / Math.max(1, page.comments.length), 4),
    wallP50Ms: round(median(wall), 2),
    wallP90Ms: round(wall[Math.min(wall.length - 1, Math.floor(wall.length * 0.9))] ?? Number.NaN, 2),
  };
}

async function runHuge(options: HugeThreadOptions, { registerCleanup, log, pgAdminUrl }: RunContext): Promise<HugeBody> {
  const firstPage: FirstPageResult[] = [];
  let heap: HeapResult | null = null;
  for (const kind of options.stores) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-huge-'));
    registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const database = await createBenchDatabase({ adminUrl: pgAdminUrl });
      registerCleanup(() => database.drop());
      databaseUrl = database.url;
    }
    const store = await openStore({ databaseUrl, dataDir });
    registerCleanup(() => store.close());
    for (const size of options.sizes) {
      const started = Date.now();
      const slug = await seed(store, size, options.depth, 1, `huge-${size}`);
      log(`${kind}: ${size} comments seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const result = await measureFirstPage(store, kind, slug, size, options.calls);
      log(`${kind} ${size}: ${result.commentsOnPage} comments on the first page, ${(result.responseBytes / 1024).toFixed(0)} KiB, CPU ${result.cpuMsPerCall} ms/call (${result.cpuMsPerComment} ms/comment), wall p50 ${result.wallP50Ms} ms p90 ${result.wallP90Ms} ms`);
      firstPage.push(result);
    }
    // Memory once, on the first store: the caches are the process's, not the store's.
    if (heap === null) {
      const slugs: string[] = [];
      for (let i = 0; i < options.heapThreads; i += 1) slugs.push(await seed(store, options.heapComments, options.depth, 100 + i, `huge-heap-${i}`));
      const before = heapMiB();
      const threads = createThreadService({ store });
      for (const slug of slugs) JSON.stringify(await threads.getThreadPage({ slug }));
      const after = heapMiB();
      heap = {
        store: kind,
        threads: options.heapThreads,
        commentsPerThread: options.heapComments,
        heapUsedBeforeMiB: round(before, 1),
        heapUsedAfterMiB: round(after, 1),
        heapGrowthMiB: round(after - before, 1),
        htmlCacheEntries: commentHtml.size,
        htmlCacheUsedChars: commentHtml.usedChars,
        htmlCacheBudgetChars: commentHtml.budgetChars,
      };
      log(`heap after GC: ${heap.heapUsedBeforeMiB} MiB → ${heap.heapUsedAfterMiB} MiB with ${heap.threads} × ${heap.commentsPerThread}-comment threads opened once; HTML cache ${heap.htmlCacheEntries} entries, ${heap.htmlCacheUsedChars}/${heap.htmlCacheBudgetChars} chars`);
    }
  }
  const comparison = options.stores.map((kind) => {
    const mine = firstPage.filter((r) => r.store === kind);
    const small = mine[0] as FirstPageResult;
    const large = mine.at(-1) as FirstPageResult;
    return {
      store: kind,
      cpuPerCallRatio: round(large.cpuMsPerCall / small.cpuMsPerCall, 2),
      cpuPerCommentRatio: round(large.cpuMsPerComment / small.cpuMsPerComment, 2),
      commentsOnPageRatio: round(large.commentsOnPage / small.commentsOnPage, 2),
    };
  });
  return { firstPage, heap, comparison };
}

export function markdownSummary(report: HugeReport): string {
  return [
    `Huge threads: the first page (service call + JSON, in process), ${report.options.calls} calls per size, medians${report.options.smoke ? ' — SMOKE PRESET' : report.options.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| store | thread comments | comments on page | KiB | CPU ms / call | CPU ms / comment | wall p50 ms | wall p90 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.firstPage.map((r) => `| ${r.store} | ${r.threadComments} | ${r.commentsOnPage} | ${(r.responseBytes / 1024).toFixed(0)} | ${r.cpuMsPerCall} | ${r.cpuMsPerComment} | ${r.wallP50Ms} | ${r.wallP90Ms} |`),
    '',
    ...report.comparison.map((c) => `${c.store}: largest ÷ smallest — CPU per call ${c.cpuPerCallRatio}×, comments on page ${c.commentsOnPageRatio}×, CPU per comment ${c.cpuPerCommentRatio}×`),
    report.heap ? `heap after GC (${report.heap.store}): ${report.heap.heapUsedBeforeMiB} → ${report.heap.heapUsedAfterMiB} MiB (+${report.heap.heapGrowthMiB}) with ${report.heap.threads} × ${report.heap.commentsPerThread}-comment threads opened once; HTML cache ${report.heap.htmlCacheEntries} entries, ${report.heap.htmlCacheUsedChars} of ${report.heap.htmlCacheBudgetChars} chars` : '',
  ].join('\n');
}

/** The run's line in bench/results/huge.md: the "baseline" is the smallest thread. */
export function hugeSummaryCells(report: HugeReport): SummaryCells {
  const per = (text: (c: HugeBody['comparison'][number]) => string) => report.comparison.map((c) => `${c.store} ${text(c)}`).join('; ');
  const sizes = report.options.sizes;
  return {
    medians: report.firstPage.map((r) => `${r.store} ${r.threadComments}: ${r.cpuMsPerCall} ms CPU/call`).join(', ') + (report.heap ? `; heap +${report.heap.heapGrowthMiB} MiB` : ''),
    ratios: per((c) => `CPU/call ${c.cpuPerCallRatio}×, per comment shown ${c.cpuPerCommentRatio}×`),
    target: `${sizes.at(-1)} vs ${sizes[0]} comments: CPU per comment shown about 1× (no fixed bound)`,
    meetsTarget: null,
  };
}

export const hugeScenario = defineScenario<Values<typeof FLAGS>, HugeBody>({
  name: 'huge',
  flags: FLAGS,
  defaults: { sizes: [200, 10_000], depth: 8, calls: 60, heapThreads: 50, heapComments: 2000, stores: [...HUGE_STORES], pin: true },
  presets: { quick: { calls: 20, heapThreads: 10 }, smoke: { sizes: [200, 1000], calls: 5, heapThreads: 4, heapComments: 200 } },
  services: ['postgres'],
  pinning: 'none',
  describe: (o) => `sizes ${o.sizes.join(', ')} (depth ${o.depth}), ${o.calls} calls each, stores ${o.stores.join(', ')}; heap: ${o.heapThreads} × ${o.heapComments}`,
  run: runHuge,
  markdown: markdownSummary,
  summarise: hugeSummaryCells,
});


export type HugeThreadOptions = OptionsOf<typeof FLAGS>;

runIfMain(hugeScenario, module);
