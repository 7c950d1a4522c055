import { targetWritePlan } from '../common/load/plans';
import path from 'node:path';
import { spawnGenerator } from '../common/generatorProcess';
import { nowMs } from '../common/clock';
import type { TargetName } from '../common/targets/target';
import type { ManagedProcess } from '../common/processSupervisor';
import { quietBeforeRound, type QuietWait } from '../common/quietMachine';
import { median, round } from '../common/stats';
import type { FanoutTarget, TargetContext } from '../common/targets/target';
import type { ReconnectOptions } from './run';
import { KILL_NOW_LINE, PLAN_ENV, RESULT_PREFIX, type ReconnectPlan, type ReconnectResult } from './plan';
import { watchSurvivorCpu } from './survivorCpu';
import type { RoundArgs } from '../common/harness/rounds';

export interface ReconnectRound {
  round: number;
  target: TargetName;
  /** From the SIGKILL until the last moved reader had caught up (null: some never did). */
  catchUpAllMs: number | null;
  /** The same for the median moved reader. */
  catchUpMedianMs: number | null;
  /** From the SIGKILL until the first reader noticed. */
  detectMs: number | null;
  /** The surviving node's CPU (user + system) from the SIGKILL until the last moved reader had caught up (null: some never did). */
  survivorCpuMs: number | null;
  result: ReconnectResult;
  quietWait: QuietWait | null;
}

/**
 * One round on freshly started nodes (one of them dies in it): readers on both,
 * the generator (pinned to its own core) writes and asks for the kill, we
 * SIGKILL node 2 and note the time; the generator reports when each moved
 * reader had caught up.
 */
export async function runReconnectRound(args: RoundArgs<ReconnectOptions> & {
  target: FanoutTarget;
  context: TargetContext;
}): Promise<ReconnectRound> {
  const { options } = args;
  const running = await args.target.start(args.context);
  const survivorCpu = watchSurvivorCpu(running.nodePids[0] as number);
  try {
    const thread = await running.prepareThread(args.round);
    const quietWait = await quietBeforeRound(options.quietWaitSeconds);
    const plan: ReconnectPlan = {
      ...targetWritePlan(running, thread, options),
      preKillSeconds: options.preKillSeconds,
      postKillSeconds: options.postKillSeconds,
      catchUpTimeoutSeconds: options.catchUpTimeoutSeconds,
      hasEventLog: running.name === 'ours',
    };
    const victim = running.nodeProcesses[1] as ManagedProcess;
    const script = path.join('bench', 'reconnect', 'loadGenerator.ts');
    const generator = spawnGenerator({ name: `reconnect-${running.name}`, script, planEnv: PLAN_ENV, plan, supervisor: args.supervisor, root: args.root, cpu: args.generatorCpu });
    let killedAtMs: number | null = null;
    let result: ReconnectResult | undefined;
    generator.onLine((line, stream) => {
      if (stream !== 'stdout') return;
      if (line === KILL_NOW_LINE) {
        killedAtMs = nowMs();
        victim.kill('SIGKILL');
      } else if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ReconnectResult;
    });
    const timeoutMs = (90 + options.readers / 20 + options.preKillSeconds + options.postKillSeconds + options.catchUpTimeoutSeconds) * 1000;
    const timer = setTimeout(() => void generator.stop(), timeoutMs);
    const code = await generator.exited;
    clearTimeout(timer);
    if (code !== 0 || !result || killedAtMs === null) throw new Error(`reconnect generator failed (exit ${code}) on ${running.name}, round ${args.round}:\n${generator.tail()}`);
    const kill: number = killedAtMs;
    const times = result.caughtUpAtMs.map((t) => (t === null ? Number.NaN : t - kill));
    const catchUpAllMs = result.stuckReaders > 0 ? null : round(Math.max(...times), 1);
    return {
      round: args.round,
      target: running.name,
      catchUpAllMs,
      catchUpMedianMs: round(median(times), 1),
      detectMs: result.firstDisconnectAtMs === null ? null : round(result.firstDisconnectAtMs - kill, 1),
      survivorCpuMs: catchUpAllMs === null ? null : survivorCpu.cpuMsBetween(kill, kill + catchUpAllMs),
      result,
      quietWait,
    };
  } finally {
    survivorCpu.stop();
    await running.stop();
  }
}
