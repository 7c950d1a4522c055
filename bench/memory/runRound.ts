import path from 'node:path';
import { spawnGenerator } from '../common/generatorProcess';
import { sleep } from '../common/clock';
import type { TargetName } from '../common/targets/target';
import type { ManagedProcess } from '../common/processSupervisor';
import { quietBeforeRound, type QuietWait } from '../common/quietMachine';
import type { FanoutTarget, TargetContext } from '../common/targets/target';
import type { MemoryOptions } from './run';
import { CONNECT_TIMEOUT_MS, type ReadersPlan } from '../common/load/plans';
import { DROPPED_PREFIX, PLAN_ENV, PROBE_LINE, READY_LINE } from './plan';
import type { RoundArgs } from '../common/harness/rounds';

/** process.memoryUsage() of the server, after a full GC. */
export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryRound {
  round: number;
  target: TargetName;
  readers: number;
  before: MemorySample;
  after: MemorySample;
  /** (after − before) / readers, bytes. */
  perConnection: { rss: number; heapUsed: number; external: number };
  connectSeconds: number;
  /** Readers that dropped while idling: a round with drops measures fewer connections than it divides by. */
  dropped: number;
  quietWait: QuietWait | null;
}

const PROBE_TIMEOUT_MS = 15_000;
/** Lets the freshly started node finish its start-up work (first timers, lazy modules) before "before". */
const SETTLE_AFTER_START_MS = 2000;

/** Asks the node's heap probe (heapProbe.cjs) for a post-GC memory sample. */
export async function probeMemory(node: ManagedProcess): Promise<MemorySample> {
  const line = node.waitForLine(PROBE_LINE, PROBE_TIMEOUT_MS);
  process.kill(node.pid, 'SIGUSR2');
  return JSON.parse((await line)[1] as string) as MemorySample;
}

/**
 * One round: a freshly started one-node target (so "before" is never a heap
 * grown by an earlier round), a post-GC sample, N idle subscribed readers from
 * the generator processes, an idle pause, a second sample; then everything stops.
 */
export async function runMemoryRound(args: RoundArgs<MemoryOptions> & {
  target: FanoutTarget;
  context: TargetContext;
  log: (message: string) => void;
}): Promise<MemoryRound> {
  const { options } = args;
  const running = await args.target.start(args.context);
  const generators: ManagedProcess[] = [];
  try {
    const node = running.nodeProcesses[0] as ManagedProcess;
    const thread = await running.prepareThread(args.round);
    const quietWait = await quietBeforeRound(options.quietWaitSeconds);
    await sleep(SETTLE_AFTER_START_MS);
    const before = await probeMemory(node);

    let dropped = 0;
    const connectStart = Date.now();
    const ready: Promise<unknown>[] = [];
    for (let g = 0; g < options.generators; g += 1) {
      const readers = Math.floor(options.readers / options.generators) + (g < options.readers % options.generators ? 1 : 0);
      const plan: ReadersPlan = { nodeUrls: running.nodeUrls.slice(0, 1), slug: thread.slug, afterSeq: thread.afterSeq, readers, connectBatch: options.connectBatch, connectTimeoutMs: CONNECT_TIMEOUT_MS };
      const script = path.join('bench', 'memory', 'readerGenerator.ts');
      const generator = spawnGenerator({ name: `memory-readers-${g + 1}`, script, planEnv: PLAN_ENV, plan, supervisor: args.supervisor, root: args.root, cpu: args.generatorCpu });
      generator.onLine((line) => {
        if (line.startsWith(DROPPED_PREFIX)) dropped += 1;
      });
      generators.push(generator);
      ready.push(generator.waitForLine(new RegExp(`^${READY_LINE}$`), (60 + readers / 20) * 1000));
    }
    await Promise.all(ready);
    const connectSeconds = (Date.now() - connectStart) / 1000;
    args.log(`  ${options.readers} readers subscribed in ${connectSeconds.toFixed(1)} s; idling ${options.idleSeconds} s`);
    await sleep(options.idleSeconds * 1000);
    running.assertHealthy();
    const after = await probeMemory(node);
    const per = (pick: (s: MemorySample) => number) => Math.round((pick(after) - pick(before)) / options.readers);
    return {
      round: args.round,
      target: running.name,
      readers: options.readers,
      before,
      after,
      perConnection: { rss: per((s) => s.rss), heapUsed: per((s) => s.heapUsed), external: per((s) => s.external) },
      connectSeconds: Math.round(connectSeconds * 100) / 100,
      dropped,
      quietWait,
    };
  } finally {
    await Promise.all(generators.map((g) => g.stop()));
    await running.stop();
  }
}
