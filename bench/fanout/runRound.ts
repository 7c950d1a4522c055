import { targetWritePlan } from '../common/load/plans';
import path from 'node:path';
import { runGenerator, type WindowCpu } from '../common/generatorProcess';
import type { FanoutOptions } from './run';
import { RESULT_PREFIX, PLAN_ENV, type LoadPlan, type LoadResult } from './plan';
import { quietBeforeRound, type QuietWait } from '../common/quietMachine';
import type { RunningTarget } from '../common/targets/target';
import type { RoundArgs } from '../common/harness/rounds';

export interface RoundRecord extends WindowCpu {
  round: number;
  target: RunningTarget['name'];
  slug: string;
  result: LoadResult;
  /** How long the round waited for the machine to go quiet, and whether it did. */
  quietWait: QuietWait | null;
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
export async function runRound(args: RoundArgs<FanoutOptions> & {
  target: RunningTarget;
  redisPid: number | null;
}): Promise<RoundRecord> {
  const { target, options } = args;
  target.assertHealthy();
  const thread = await target.prepareThread(args.round);
  // After the thread is made (npm + tsx start-up is itself a burst of CPU), right before the readers connect.
  const quietWait = await quietBeforeRound(options.quietWaitSeconds);
  const plan: LoadPlan = { ...targetWritePlan(target, thread, options), seconds: options.seconds, warmupSeconds: options.warmupSeconds, drainSeconds: options.drainSeconds };

  const { result, cpu } = await runGenerator<LoadResult>({
    script: path.join('bench', 'fanout', 'loadGenerator.ts'),
    planEnv: PLAN_ENV,
    plan,
    resultPrefix: RESULT_PREFIX,
    target,
    supervisor: args.supervisor,
    root: args.root,
    cpu: args.generatorCpu,
    redisPid: args.redisPid,
    timeoutMs: roundTimeoutMs(options),
    label: `round ${args.round}`,
  });
  return { round: args.round, target: target.name, slug: thread.slug, result, quietWait, ...cpu };
}
