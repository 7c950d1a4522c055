import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FanoutOptions } from './options';
import { RESULT_PREFIX, PLAN_ENV, WINDOW_END_LINE, WINDOW_START_LINE, type LoadPlan, type LoadResult } from './plan';
import { percentOfCore, postgresPids, sampleCpu, type CpuSample } from './processCpu';
import type { ProcessSupervisor } from './processSupervisor';
import { waitForQuietMachine, type QuietWait } from './quietMachine';
import type { RunningTarget } from './targets/target';

export interface RoundRecord {
  round: number;
  target: RunningTarget['name'];
  slug: string;
  result: LoadResult;
  /** Each server node's CPU over the measured window, % of one core (null where /proc was unreadable). */
  serverCpuPercent: (number | null)[];
  redisCpuPercent: number | null;
  postgresCpuPercent: number | null;
  /**
   * Machine-wide busy CPU over the window minus everything the benchmark accounts for (nodes, generator,
   * Redis, PostgreSQL): someone else's load on this shared machine. High values make the round noise.
   */
  foreignCpuPercent: number | null;
  noisy: boolean;
  /** How long the round waited for the machine to go quiet, and whether it did. */
  quietWait: QuietWait | null;
}

/** Foreign load above this (% of one core) marks a round as noisy. */
export const NOISY_FOREIGN_CPU_PERCENT = 20;

/** Connecting 2,000 readers, sending, draining: generous, but a hung round must not hang the run. */
function roundTimeoutMs(options: FanoutOptions): number {
  return (60 + options.readers / 20 + options.warmupSeconds + options.seconds + options.drainSeconds) * 1000;
}

/**
 * One round against one target: a fresh thread, then the load generator in its
 * own pinned process. Server and Redis CPU are sampled when the generator says
 * its sending window opens and closes.
 */
export async function runRound(args: {
  round: number;
  target: RunningTarget;
  options: FanoutOptions;
  supervisor: ProcessSupervisor;
  root: string;
  generatorCpu: number | undefined;
  redisPid: number | null;
}): Promise<RoundRecord> {
  const { target, options } = args;
  target.assertHealthy();
  const thread = await target.prepareThread(args.round);
  // After the thread is made (npm + tsx start-up is itself a burst of CPU), right before the readers connect.
  const quietWait = options.quietWaitSeconds > 0 ? await waitForQuietMachine({ maxSeconds: options.quietWaitSeconds, thresholdPercent: NOISY_FOREIGN_CPU_PERCENT }) : null;
  const post = target.postRequest(thread);
  const plan: LoadPlan = {
    target: target.name,
    runId: randomBytes(4).toString('hex'),
    nodeUrls: target.nodeUrls,
    slug: thread.slug,
    afterSeq: thread.afterSeq,
    postPath: post.path,
    postFields: post.fields,
    readers: options.readers,
    rate: options.rate,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    drainSeconds: options.drainSeconds,
    bodyChars: options.bodyChars,
    connectBatch: options.connectBatch,
    connectTimeoutMs: 30_000,
  };

  const generator = args.supervisor.spawn({
    name: `generator-${target.name}`,
    command: process.execPath,
    args: ['--import', 'tsx', path.join('bench', 'fanout', 'loadGenerator.ts')],
    cwd: args.root,
    env: { ...process.env, NODE_ENV: 'production', [PLAN_ENV]: JSON.stringify(plan) },
    cpu: args.generatorCpu,
    echoStderr: true,
  });

  let windowStart: CpuSample | undefined;
  let windowEnd: CpuSample | undefined;
  let pgPids: number[] = [];
  let result: LoadResult | undefined;
  const sample = () => sampleCpu([...target.nodePids, generator.pid, ...(args.redisPid === null ? [] : [args.redisPid]), ...pgPids]);
  generator.onLine((line, stream) => {
    if (stream !== 'stdout') return;
    if (line === WINDOW_START_LINE) {
      pgPids = postgresPids(target.databaseName);
      windowStart = sample();
    } else if (line === WINDOW_END_LINE && windowStart) windowEnd = sample();
    else if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadResult;
  });

  const timer = setTimeout(() => void generator.stop(), roundTimeoutMs(options));
  const code = await generator.exited;
  clearTimeout(timer);
  // A dead node explains a failed or lossy round better than the generator's view of it.
  target.assertHealthy();
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}) on ${target.name}, round ${args.round}:\n${generator.tail()}`);

  return { round: args.round, target: target.name, slug: thread.slug, result, quietWait, ...windowCpu({ start: windowStart, end: windowEnd, nodePids: target.nodePids, generatorPid: generator.pid, redisPid: args.redisPid, pgPids }) };
}

function windowCpu(args: {
  start: CpuSample | undefined;
  end: CpuSample | undefined;
  nodePids: number[];
  generatorPid: number;
  redisPid: number | null;
  pgPids: number[];
}): Pick<RoundRecord, 'serverCpuPercent' | 'redisCpuPercent' | 'postgresCpuPercent' | 'foreignCpuPercent' | 'noisy'> {
  const { start, end } = args;
  if (!start || !end) return { serverCpuPercent: args.nodePids.map(() => null), redisCpuPercent: null, postgresCpuPercent: null, foreignCpuPercent: null, noisy: false };
  const of = (pid: number) => percentOfCore(start, end, pid);
  const serverCpuPercent = args.nodePids.map(of);
  const redisCpuPercent = args.redisPid === null ? null : of(args.redisPid);
  // Backends may come and go; those present at both ends are counted.
  const postgresCpuPercent = args.pgPids.length === 0 ? null : Math.round(args.pgPids.reduce((sum, pid) => sum + (of(pid) ?? 0), 0) * 10) / 10;
  const machine = percentOfCore(start, end);
  const generator = of(args.generatorPid);
  const accounted = [...serverCpuPercent, redisCpuPercent, postgresCpuPercent, generator];
  const foreignCpuPercent = machine === null || generator === null ? null : Math.max(0, Math.round((machine - accounted.reduce<number>((a, v) => a + (v ?? 0), 0)) * 10) / 10);
  return { serverCpuPercent, redisCpuPercent, postgresCpuPercent, foreignCpuPercent, noisy: (foreignCpuPercent ?? 0) > NOISY_FOREIGN_CPU_PERCENT };
}
