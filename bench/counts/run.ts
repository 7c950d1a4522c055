/**
 * bench/counts: front pages watching comment counts (issue 19, part 3). `readers` front-page readers
 * each watch the counts of the same `slugs` threads while `busy` of them take `per-thread` comments a
 * second. Three sides, alternating rounds: ours live (one Server-Sent Events stream per reader; the node
 * reads every watched count once per 2 s and sends each reader one message with only what changed), ours
 * polled (GET /api/counts with its ETag, count.js's backoff from 15 s), and a baseline that sends every
 * change to every reader (a bare node:http stream, one message per comment). Server CPU and messages per
 * reader per minute, medians. `npm run bench:counts -- --help`; docs/benchmarks.md, "Counts on front pages".
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../lib/store';
import { choice, count, list, numeric } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf, type Report, type RunContext } from '../common/harness/scenario';
import { serverRunFlags, STANDARD_DEFAULTS } from '../common/harness/standardFlags';
import { times, type SummaryCells } from '../common/harness/summary';
import { spawnGenerator, WINDOW_END_LINE, WINDOW_START_LINE } from '../common/generatorProcess';
import { percentOfCore, sampleCpu, type CpuSample } from '../common/processCpu';
import type { ManagedProcess } from '../common/processSupervisor';
import { quietBeforeRound } from '../common/quietMachine';
import { startServerProcess } from '../common/serverProcess';
import { median, round } from '../common/stats';
import { INGEST_LINE, READERS_CHANNEL, WRITER_PLAN_ENV, WRITER_READY_LINE, WRITTEN_PREFIX, type ReaderPlan, type ReaderResult, type WriterPlan } from './plan';

const SIDES = ['ours-live', 'ours-poll', 'baseline'] as const;
type Side = (typeof SIDES)[number];

const FLAGS = {
  readers: count('front-page readers of ours (live and polled)'),
  baselineReaders: count('readers of the baseline (it sends every comment to every reader: it saturates long before ours)'),
  slugs: count('threads each reader watches (the links of a front page)', { max: 200 }),
  busy: count('of those, threads taking comments'),
  perThread: numeric('comments a second on each busy thread', { name: 'per-thread' }),
  seconds: numeric('measured seconds per round'),
  warmupSeconds: numeric('seconds between the last reader connected and the window', { min: 0, name: 'warmup' }),
  rounds: count('rounds, alternating the sides'),
  sides: list<Side>(SIDES, 'the sides to run'),
  connectBatch: count('live readers connected at a time'),
  writes: choice(['comments', 'counter'] as const, "ours' load: real comments (as many as the machine can commit), or only the count change each makes (the issue's rate)"),
  ...serverRunFlags(),
};

export type CountsOptions = OptionsOf<typeof FLAGS>;

/** Ours live is judged by this: at most one message per reader per read interval (2 s). */
const MAX_LIVE_MESSAGES_PER_MINUTE = 30;
/** count.js's polling: its shortest and longest waits (server/counts/count.js). */
const POLL_MIN_MS = 15_000;
const POLL_MAX_MS = 300_000;

interface Measurement {
  round: number;
  side: Side;
  readers: number;
  connected: number;
  disconnects: number;
  errors: number;
  firstError: string | null;
  serverCpuPercent: number | null;
  writerCpuPercent: number | null;
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  foreignCpuPercent: number | null;
  commentsPerSecond: number | null;
  messagesPerReaderPerMinute: number;
  requestsPerSecond: number;
  bytesPerReaderPerMinute: number;
  /** Server CPU per reader and minute, ms: what one more front-page reader costs. */
  serverCpuMsPerReaderMinute: number | null;
  noisy: boolean;
}

interface SideSummary {
  side: Side;
  readers: number;
  serverCpuPercent: number;
  messagesPerReaderPerMinute: number;
  serverCpuMsPerReaderMinute: number;
  bytesPerReaderPerMinute: number;
  commentsPerSecond: number;
  /** Messages per reader-minute if every change reached every reader (the baseline's due). */
  demandedPerReaderPerMinute: number;
}

export interface CountsBody {
  measurements: Measurement[];
  discarded: Measurement[];
  summary: SideSummary[];
  comparison: {
    /** Baseline ÷ ours live, messages per reader-minute (the baseline's as due, every change to every reader). */
    messagesRatio: number | null;
    /** Baseline ÷ ours live, server CPU per reader-minute. */
    cpuRatio: number | null;
    /** Ours polled ÷ ours live, server CPU per reader-minute. */
    pollCpuRatio: number | null;
    meetsTarget: boolean | null;
  };
}

export type CountsReport = Report<Omit<CountsOptions, 'quick' | 'smoke'>, CountsBody>;

async function runCounts(options: CountsOptions, run: RunContext): Promise<CountsBody> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-counts-'));
  const seedsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-counts-seeds-'));
  run.registerCleanup(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(seedsDir, { recursive: true, force: true });
  });
  // The front page's threads: `busy` of them take comments, the rest are quiet.
  const store = await openStore({ dataDir });
  const threads: Array<{ slug: string; id: string }> = [];
  const tag = randomBytes(3).toString('hex');
  for (let i = 0; i < options.slugs; i += 1) {
    const thread = await store.createThread({ slug: `front-${tag}-${i}`, title: `Front page story ${i}` });
    threads.push({ slug: thread.slug, id: thread.id });
  }
  await store.close();
  const busy = threads.slice(0, options.busy);
  const slugs = threads.map((t) => t.slug);

  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...inherited } = process.env;
  const timeoutMs = options.startTimeoutSeconds * 1000;
  const wanted = new Set(options.sides);
  const ours =
    wanted.has('ours-live') || wanted.has('ours-poll')
      ? await startServerProcess(run, {
          name: 'ours',
          script: path.join('server', 'main.ts'),
          env: { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEEDS_DIR: seedsDir, RATE_LIMITS: 'off', SPAM_CHECKS: 'off', NOTIFICATIONS: 'off', MAX_SOCKETS_PER_ADDRESS: 'off', SESSION_SECRET: randomBytes(32).toString('hex') },
          timeoutMs,
        })
      : undefined;
  const baseline = wanted.has('baseline')
    ? await startServerProcess(run, { name: 'baseline', script: path.join('bench', 'counts', 'baselineServer.ts'), env: { ...inherited, NODE_ENV: 'production', PORT: '0', BENCH_EXIT_WITH_PARENT: '1' }, timeoutMs: 60_000 })
    : undefined;
  const ingestPort = baseline ? Number(INGEST_LINE.exec(baseline.proc.tail())?.[1]) : undefined;
  run.log(`${slugs.length} threads (${busy.length} busy at ${options.perThread}/s); ours ${ours?.url ?? '–'}, baseline ${baseline?.url ?? '–'} (ingest ${ingestPort ?? '–'})`);

  const sides = SIDES.filter((side) => wanted.has(side));
  const { rounds, discarded } = await alternateRounds<Side, Measurement>({
    rounds: options.rounds,
    sides,
    label: (side) => side,
    log: run.log,
    retryNoisy: 0,
    run: async (roundNo, side) => {
      await quietBeforeRound(options.quietWaitSeconds);
      const server = side === 'baseline' ? baseline! : ours!;
      const readers = side === 'baseline' ? options.baselineReaders : options.readers;
      const writerPlan: WriterPlan = side === 'baseline' ? { mode: 'baseline', threads: busy, perThreadPerSecond: options.perThread, ingestPort } : { mode: options.writes === 'counter' ? 'counter' : 'store', threads: busy, perThreadPerSecond: options.perThread, dataDir };
      const writer = run.supervisor.spawn({ name: `writer-${side}`, command: process.execPath, args: ['--import', 'tsx', path.join('bench', 'counts', 'writer.ts')], cwd: run.root, env: { ...inherited, NODE_ENV: 'production', [WRITER_PLAN_ENV]: JSON.stringify(writerPlan) }, cpu: run.generatorCpu, echoStderr: true });
      await writer.waitForLine(new RegExp(WRITER_READY_LINE), 60_000);
      const written: Array<{ written: number; seconds: number }> = [];
      writer.onLine((line) => {
        if (line.startsWith(WRITTEN_PREFIX)) written.push(JSON.parse(line.slice(WRITTEN_PREFIX.length)) as { written: number; seconds: number });
      });
      const plan: ReaderPlan = { baseUrl: server.url, mode: side === 'ours-poll' ? 'poll' : 'live', readers, slugs, connectBatch: options.connectBatch, warmupSeconds: options.warmupSeconds, seconds: options.seconds, pollMinMs: POLL_MIN_MS, pollMaxMs: POLL_MAX_MS };
      const measured = await measureWindow(run, { plan, server: server.proc, writer, written });
      await writer.stop();
      return { round: roundNo, side, readers, ...measured };
    },
    line: (m) =>
      `round ${m.round} ${m.side.padEnd(9)} ${m.connected}/${m.readers} readers  ${m.messagesPerReaderPerMinute} msgs/reader/min  server ${m.serverCpuPercent ?? '?'}% (${m.serverCpuMsPerReaderMinute ?? '?'} ms CPU/reader/min)  ${m.requestsPerSecond} req/s  comments ${m.commentsPerSecond ?? '?'}/s  writer ${m.writerCpuPercent ?? '?'}%  generator ${m.generatorCpuPercent}%  foreign ${m.foreignCpuPercent ?? '?'}%` +
      `${m.generatorSaturated ? '  ⚠ generator saturated' : ''}${m.disconnects > 0 ? `  ⚠ ${m.disconnects} disconnects` : ''}${m.errors > 0 ? `  ⚠ ${m.errors} errors: ${m.firstError}` : ''}`,
  });

  const summary = sides.map((side): SideSummary => {
    const mine = rounds.filter((m) => m.side === side);
    const med = (pick: (m: Measurement) => number | null) => round(median(mine.map((m) => pick(m) ?? Number.NaN)), 3);
    return {
      side,
      readers: mine[0]?.readers ?? 0,
      serverCpuPercent: med((m) => m.serverCpuPercent),
      messagesPerReaderPerMinute: med((m) => m.messagesPerReaderPerMinute),
      serverCpuMsPerReaderMinute: med((m) => m.serverCpuMsPerReaderMinute),
      bytesPerReaderPerMinute: med((m) => m.bytesPerReaderPerMinute),
      commentsPerSecond: med((m) => m.commentsPerSecond),
      demandedPerReaderPerMinute: options.busy * options.perThread * 60,
    };
  });
  const of = (side: Side) => summary.find((s) => s.side === side);
  const live = of('ours-live');
  const base = of('baseline');
  const poll = of('ours-poll');
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !(b > 0) ? null : round(a / b, 1));
  return {
    measurements: rounds,
    discarded,
    summary,
    comparison: {
      messagesRatio: ratio(base?.demandedPerReaderPerMinute, live?.messagesPerReaderPerMinute),
      cpuRatio: ratio(base?.serverCpuMsPerReaderMinute, live?.serverCpuMsPerReaderMinute),
      pollCpuRatio: ratio(poll?.serverCpuMsPerReaderMinute, live?.serverCpuMsPerReaderMinute),
      meetsTarget: live ? live.messagesPerReaderPerMinute <= MAX_LIVE_MESSAGES_PER_MINUTE && rounds.filter((m) => m.side === 'ours-live').every((m) => m.connected === m.readers) : null,
    },
  };
}

/** One round's generator run, with the server's, writer's and machine's CPU sampled over its measured window. */
async function measureWindow(
  run: RunContext,
  args: { plan: ReaderPlan; server: ManagedProcess; writer: ManagedProcess; written: Array<{ written: number; seconds: number }> },
): Promise<Omit<Measurement, 'round' | 'side' | 'readers'>> {
  const generator = spawnGenerator({ name: `readers-${args.plan.mode}`, script: path.join('bench', 'counts', 'readerGenerator.ts'), planEnv: READERS_CHANNEL.planEnv, plan: args.plan, supervisor: run.supervisor, root: run.root, cpu: run.generatorCpu });
  const pids = [args.server.pid, args.writer.pid, generator.pid];
  let start: CpuSample | undefined;
  let end: CpuSample | undefined;
  let writtenAtStart: { written: number; seconds: number } | undefined;
  let writtenAtEnd: { written: number; seconds: number } | undefined;
  let result: ReaderResult | undefined;
  generator.onLine((line, stream) => {
    if (stream !== 'stdout') return;
    if (line === WINDOW_START_LINE) {
      start = sampleCpu(pids);
      writtenAtStart = args.written.at(-1);
    } else if (line === WINDOW_END_LINE) {
      end = sampleCpu(pids);
      writtenAtEnd = args.written.at(-1);
    } else if (line.startsWith(READERS_CHANNEL.resultPrefix)) result = JSON.parse(line.slice(READERS_CHANNEL.resultPrefix.length)) as ReaderResult;
  });
  const code = await generator.exited;
  if (code !== 0 || !result || !start || !end) throw new Error(`the readers' generator failed (exit ${code}):\n${generator.tail()}`);
  const serverCpuPercent = percentOfCore(start, end, args.server.pid);
  const machine = percentOfCore(start, end);
  const accounted = pids.reduce((sum, pid) => sum + (percentOfCore(start!, end!, pid) ?? 0), 0);
  const foreignCpuPercent = machine === null ? null : Math.max(0, round(machine - accounted, 1));
  const minutes = result.windowSeconds / 60;
  const connected = Math.max(1, result.connected);
  const commentsPerSecond = writtenAtStart && writtenAtEnd && writtenAtEnd.seconds > writtenAtStart.seconds ? round((writtenAtEnd.written - writtenAtStart.written) / (writtenAtEnd.seconds - writtenAtStart.seconds), 1) : null;
  return {
    connected: result.connected,
    disconnects: result.disconnects,
    errors: result.errors,
    firstError: result.firstError,
    serverCpuPercent,
    writerCpuPercent: percentOfCore(start, end, args.writer.pid),
    generatorCpuPercent: result.generatorCpuPercent,
    generatorSaturated: result.generatorSaturated,
    foreignCpuPercent,
    commentsPerSecond,
    messagesPerReaderPerMinute: round(result.messages / connected / minutes, 2),
    requestsPerSecond: round(result.requests / result.windowSeconds, 1),
    bytesPerReaderPerMinute: round(result.bytes / connected / minutes, 0),
    serverCpuMsPerReaderMinute: serverCpuPercent === null ? null : round(((serverCpuPercent / 100) * 60 * 1000) / connected, 3),
    noisy: (foreignCpuPercent ?? 0) > 20,
  };
}

export function markdownSummary(report: CountsReport): string {
  const o = report.options;
  const c = report.comparison;
  return [
    `Counts on front pages: each reader watches ${o.slugs} threads, ${o.busy} of them taking ${o.perThread} comments/s (${o.writes === 'counter' ? 'count changes alone' : 'real comments'}); ${o.seconds} s windows, ${o.rounds} round(s), medians${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| side | readers | server CPU (% of a core) | messages / reader / min | due if every change went to every reader | server CPU ms / reader / min | bytes / reader / min | comments/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.summary.map((s) => `| ${s.side} | ${s.readers} | ${s.serverCpuPercent} | ${s.messagesPerReaderPerMinute} | ${s.demandedPerReaderPerMinute} | ${s.serverCpuMsPerReaderMinute} | ${s.bytesPerReaderPerMinute} | ${s.commentsPerSecond} |`),
    '',
    `baseline ÷ ours live: messages per reader ${times(c.messagesRatio)}, server CPU per reader ${times(c.cpuRatio)}; ours polled ÷ ours live, server CPU per reader: ${times(c.pollCpuRatio)}; ours live ≤ ${MAX_LIVE_MESSAGES_PER_MINUTE} messages per reader-minute with every reader connected: ${c.meetsTarget === null ? '–' : c.meetsTarget ? 'met' : 'NOT met'}`,
  ].join('\n');
}

export function countsSummaryCells(report: CountsReport): SummaryCells {
  const c = report.comparison;
  const s = (side: Side) => report.summary.find((x) => x.side === side);
  const cell = (side: Side) => {
    const x = s(side);
    return x ? `${side} ${x.readers} readers: ${x.messagesPerReaderPerMinute} msgs/reader/min, server ${x.serverCpuPercent}%` : `${side} –`;
  };
  const noisy = report.measurements.some((m) => m.noisy || m.generatorSaturated || m.disconnects > 0 || m.errors > 0);
  return {
    medians: SIDES.map(cell).join('; '),
    ratios: `baseline ÷ live: messages ${times(c.messagesRatio)}, CPU/reader ${times(c.cpuRatio)}; poll ÷ live CPU/reader ${times(c.pollCpuRatio)}`,
    target: `live ≤ ${MAX_LIVE_MESSAGES_PER_MINUTE} msgs/reader/min, all connected`,
    meetsTarget: c.meetsTarget,
    ...(noisy && { caveat: 'foreign load, a saturated generator, errors or disconnects: see JSON' }),
  };
}

export const countsScenario = defineScenario<CountsOptions, CountsBody>({
  name: 'counts',
  flags: FLAGS as never,
  defaults: {
    readers: 10_000,
    baselineReaders: 500,
    slugs: 100,
    busy: 50,
    perThread: 10,
    seconds: 30,
    warmupSeconds: 5,
    rounds: 3,
    sides: [...SIDES],
    connectBatch: 200,
    writes: 'counter',
    pin: STANDARD_DEFAULTS.pin,
    quietWaitSeconds: STANDARD_DEFAULTS.quietWaitSeconds,
    startTimeoutSeconds: STANDARD_DEFAULTS.startTimeoutSeconds,
  } as CountsOptions,
  presets: {
    quick: { readers: 1000, baselineReaders: 100, seconds: 10, rounds: 1, quietWaitSeconds: 0 },
    smoke: { readers: 20, baselineReaders: 10, slugs: 10, busy: 5, seconds: 3, warmupSeconds: 1, rounds: 1, quietWaitSeconds: 0 },
  },
  services: [],
  pinning: 'children',
  describe: (o) => `${o.readers} readers (baseline ${o.baselineReaders}) × ${o.slugs} counts, ${o.busy} threads at ${o.perThread} comments/s, ${o.rounds} round(s) of ${o.seconds} s, sides ${o.sides.join(', ')}`,
  run: runCounts,
  markdown: markdownSummary,
  summarise: countsSummaryCells,
});

runIfMain(countsScenario, module);
