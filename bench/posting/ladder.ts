import { randomBytes } from 'node:crypto';
import { nowMs, sleep } from '../common/clock';
import { parseBenchBody } from '../common/load/commentBody';
import { GENERATOR_CPU_LIMIT_PERCENT } from '../common/generatorProcess';
import { runOpenLoopWriter } from '../common/load/openLoopWriter';
import { percentOfCore, postgresPids, sampleCpu } from '../common/processCpu';
import { openReaderPool, type ThreadEventLike } from '../common/load/readerPool';
import { round, summariseLatencies } from '../common/stats';
import type { PostingOptions } from './run';
import type { PostingTarget } from './targets';

/** Past the last response, how long a delivery may still take before it counts as lost. */
const DRAIN_MS = 2000;

export interface StepResult {
  rate: number;
  measuredComments: number;
  /** Intended send time → first (the only) reader's receipt, ms, over the measured comments. */
  latencyMs: { p50: number; p99: number; max: number };
  postResponseP99Ms: number;
  /** Measured comments over the p99 limit, and the five slowest with their intended send time from the step's start (a periodic stall shows as even spacing). */
  overLimit: number;
  slowest: { index: number; atMs: number; latencyMs: number }[];
  lost: number;
  duplicates: number;
  failedPosts: number;
  firstError: string | null;
  sendLagP99Ms: number;
  serverCpuPercent: number | null;
  /** Server (+ its PostgreSQL backends) CPU per comment over the sending window, ms: the cost, robust to a busy machine. */
  cpuMsPerComment: number | null;
  postgresCpuPercent: number | null;
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  /** Machine-wide CPU not accounted to the server, PostgreSQL or the generator. */
  foreignCpuPercent: number | null;
  sustained: boolean;
}

export interface LadderResult {
  /** The highest offered rate whose step was sustained (0: not even the first). */
  sustainedRate: number;
  steps: StepResult[];
}

/**
 * Climbs the rate ladder against one target with one subscribed reader: each
 * step posts open loop at its rate (a fresh runId, so nothing from an earlier
 * step is counted), and the climb stops at the first step that is not
 * sustained — p99 over the limit, a lost delivery or a failed POST — in any
 * of its 1 + stepRetries tries. Every try is kept in `steps`.
 */
export async function runLadder(args: { target: PostingTarget; options: PostingOptions; log: (m: string) => void }): Promise<LadderResult> {
  const { target, options } = args;
  let onComment: (body: string, atMs: number) => void = () => undefined;
  let disconnected: string | null = null;
  const pool = await openReaderPool({
    nodeUrls: [target.url],
    readers: 1,
    slug: target.slug,
    afterSeq: target.afterSeq,
    connectBatch: 1,
    connectTimeoutMs: 10_000,
    onThreadEvent: (_reader, event: ThreadEventLike) => {
      if (event.type === 'comment.created' && typeof event.comment?.body === 'string') onComment(event.comment.body, nowMs());
    },
    onOtherEvent: () => undefined,
    onDisconnect: (_reader, reason) => {
      disconnected = reason;
    },
  });
  const steps: StepResult[] = [];
  try {
    climb: for (const rate of options.rates) {
      // A step missed once may have met a passing stall (a GC, a neighbour's burst): it gets --step-retries more tries.
      for (let attempt = 0; attempt <= options.stepRetries; attempt += 1) {
        target.assertHealthy();
        const step = await runStep({ target, options, rate, listen: (fn) => (onComment = fn) });
        steps.push(step);
        args.log(stepLine(target, step));
        if (disconnected !== null) throw new Error(`${target.name} on ${target.store}: the reader disconnected (${disconnected})`);
        if (step.sustained) continue climb;
      }
      break;
    }
  } finally {
    pool.close();
  }
  const sustainedRate = steps.filter((s) => s.sustained).reduce((best, s) => Math.max(best, s.rate), 0);
  return { sustainedRate, steps };
}

async function runStep(args: { target: PostingTarget; options: PostingOptions; rate: number; listen: (fn: (body: string, atMs: number) => void) => void }): Promise<StepResult> {
  const { target, options, rate } = args;
  const runId = randomBytes(4).toString('hex');
  const warmupComments = Math.ceil(rate * options.warmupSeconds);
  const comments = warmupComments + Math.max(1, Math.round(rate * options.seconds));
  const latency = new Float64Array(comments).fill(Number.NaN);
  let received = 0;
  let duplicates = 0;
  args.listen((body, atMs) => {
    const fields = parseBenchBody(body, runId);
    if (!fields || fields.index >= comments) return;
    if (!Number.isNaN(latency[fields.index] as number)) {
      duplicates += 1;
      return;
    }
    latency[fields.index] = atMs - fields.intendedMs;
    received += 1;
  });

  const pgPids = postgresPids(target.databaseName);
  const pids = [target.pid, process.pid, ...pgPids];
  const cpuStart = sampleCpu(pids);
  const writer = await runOpenLoopWriter({
    urls: [target.url],
    postPath: target.postPath,
    postFields: target.postFields,
    runId,
    bodyChars: options.bodyChars,
    comments,
    rate,
    startAtMs: nowMs() + 20,
  });
  const cpuEnd = sampleCpu(pids);
  const drainUntil = nowMs() + DRAIN_MS;
  while (received < comments - writer.failed && nowMs() < drainUntil) await sleep(5);

  const measured = latency.subarray(warmupComments);
  const delivered = measured.filter((v) => !Number.isNaN(v));
  const summary = summariseLatencies(delivered);
  const lost = measured.length - delivered.length;
  const server = percentOfCore(cpuStart, cpuEnd, target.pid);
  const generator = percentOfCore(cpuStart, cpuEnd, process.pid) ?? 0;
  const postgres = pgPids.length === 0 ? null : round(pgPids.reduce((sum, pid) => sum + (percentOfCore(cpuStart, cpuEnd, pid) ?? 0), 0), 1);
  const machine = percentOfCore(cpuStart, cpuEnd);
  const foreign = machine === null ? null : Math.max(0, round(machine - (server ?? 0) - (postgres ?? 0) - generator, 1));
  const responses = writer.responseSeriesMs.subarray(warmupComments).filter((v) => !Number.isNaN(v));
  const p99 = round(summary.p99);
  const intervalMs = 1000 / rate;
  const slowest = Array.from(latency, (v, index) => ({ index, atMs: round(index * intervalMs, 1), latencyMs: round(v, 1) }))
    .filter((x) => x.index >= warmupComments && !Number.isNaN(x.latencyMs))
    .sort((a, b) => b.latencyMs - a.latencyMs);
  return {
    rate,
    measuredComments: measured.length,
    latencyMs: { p50: round(summary.p50), p99, max: round(summary.max) },
    postResponseP99Ms: round(summariseLatencies(responses).p99),
    overLimit: slowest.filter((x) => x.latencyMs > options.p99LimitMs).length,
    slowest: slowest.slice(0, 5),
    lost,
    duplicates,
    failedPosts: writer.failed,
    firstError: writer.firstError,
    sendLagP99Ms: round(writer.sendLagP99Ms),
    serverCpuPercent: server,
    cpuMsPerComment: server === null ? null : round((((server + (postgres ?? 0)) / 100) * (cpuEnd.atMs - cpuStart.atMs)) / comments, 3),
    postgresCpuPercent: postgres,
    generatorCpuPercent: generator,
    generatorSaturated: generator > GENERATOR_CPU_LIMIT_PERCENT,
    foreignCpuPercent: foreign,
    sustained: lost === 0 && duplicates === 0 && writer.failed === 0 && p99 <= options.p99LimitMs,
  };
}

function stepLine(target: PostingTarget, s: StepResult): string {
  const flags = [
    !s.sustained && s.overLimit > 0 ? `${s.overLimit} over the limit (worst ${s.slowest[0]?.latencyMs ?? '?'} ms), the slowest sent at ${s.slowest.map((x) => `${x.atMs} ms`).join(', ')} into the step` : '',
    s.lost > 0 ? `lost ${s.lost}` : '',
    s.duplicates > 0 ? `duplicates ${s.duplicates}` : '',
    s.failedPosts > 0 ? `${s.failedPosts} POSTs failed: ${s.firstError}` : '',
    s.generatorSaturated ? `⚠ generator ${s.generatorCpuPercent}%` : '',
  ].filter(Boolean);
  return (
    `${target.name.padEnd(8)} ${target.store.padEnd(8)} ${String(s.rate).padStart(5)}/s  p50 ${s.latencyMs.p50} ms  p99 ${s.latencyMs.p99} ms  max ${s.latencyMs.max} ms  ` +
    `POST p99 ${s.postResponseP99Ms} ms  server ${s.serverCpuPercent ?? '?'}%  (${s.cpuMsPerComment ?? '?'} ms CPU/comment)  PG ${s.postgresCpuPercent ?? '–'}%  generator ${s.generatorCpuPercent}%  foreign ${s.foreignCpuPercent ?? '?'}%  ` +
    `${s.sustained ? 'sustained' : 'NOT sustained'}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`
  );
}
