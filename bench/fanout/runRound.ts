import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FanoutOptions } from './options';
import { RESULT_PREFIX, PLAN_ENV, WINDOW_END_LINE, WINDOW_START_LINE, type LoadPlan, type LoadResult } from './plan';
import { percentOfCore, sampleCpu } from './processCpu';
import type { ProcessSupervisor } from './processSupervisor';
import type { RunningTarget } from './targets/target';

export interface RoundRecord {
  round: number;
  target: RunningTarget['name'];
  slug: string;
  result: LoadResult;
  /** Each server node's CPU over the measured window, % of one core (null where /proc was unreadable). */
  serverCpuPercent: (number | null)[];
  redisCpuPercent: number | null;
}

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
  const thread = await target.prepareThread(args.round);
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

  const pids = [...target.nodePids, ...(args.redisPid === null ? [] : [args.redisPid])];
  let windowStart: ReturnType<typeof sampleCpu> | undefined;
  let windowCpu: (number | null)[] = [];
  let result: LoadResult | undefined;
  generator.onLine((line, stream) => {
    if (stream !== 'stdout') return;
    if (line === WINDOW_START_LINE) windowStart = sampleCpu(pids);
    else if (line === WINDOW_END_LINE && windowStart) windowCpu = percentOfCore(windowStart, sampleCpu(pids));
    else if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadResult;
  });

  const timer = setTimeout(() => void generator.stop(), roundTimeoutMs(options));
  const code = await generator.exited;
  clearTimeout(timer);
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}) on ${target.name}, round ${args.round}:\n${generator.tail()}`);

  return {
    round: args.round,
    target: target.name,
    slug: thread.slug,
    result,
    serverCpuPercent: windowCpu.slice(0, target.nodePids.length),
    redisCpuPercent: args.redisPid === null ? null : (windowCpu[target.nodePids.length] ?? null),
  };
}
