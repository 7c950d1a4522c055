import { CONNECT_TIMEOUT_MS } from '../common/load/plans';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runGenerator, type WindowCpu } from '../common/generatorProcess';
import { quietBeforeRound, type QuietWait } from '../common/quietMachine';
import { round } from '../common/stats';
import type { RunningTarget } from '../common/targets/target';
import type { Moderator } from './moderator';
import type { LockOptions } from './run';
import { LOCK_PLAN_ENV, LOCK_RESULT_PREFIX, type LockPlan, type LockResult } from './plan';
import { buildSchedule } from './schedule';
import type { RoundArgs } from '../common/harness/rounds';

export interface LockRoundRecord extends WindowCpu {
  round: number;
  slug: string;
  result: LockResult;
  /** This round's lock/unlock p99 over its comment p99: the number the target is about. */
  lockToCommentP99Ratio: number;
  /** The same with the locks alone (`locked: true`). */
  lockOnlyToCommentP99Ratio: number;
  quietWait: QuietWait | null;
}

function roundTimeoutMs(options: LockOptions, actions: number): number {
  return (60 + options.readers / 20 + (actions * options.intervalMs) / 1000 + options.drainSeconds) * 1000;
}

/** One round: a fresh thread, then the lock generator in its own pinned process, CPU sampled over its window. */
export async function runLockRound(args: RoundArgs<LockOptions> & {
  target: RunningTarget;
  moderator: Moderator;
  redisPid: number | null;
}): Promise<LockRoundRecord> {
  const { target, options } = args;
  target.assertHealthy();
  const thread = await target.prepareThread(args.round);
  const quietWait = await quietBeforeRound(options.quietWaitSeconds);
  const comment = target.postRequest(thread);
  const schedule = buildSchedule({ lockEvents: options.lockEvents, comments: options.comments, nodes: target.nodeUrls.length });
  const plan: LockPlan = {
    runId: randomBytes(4).toString('hex'),
    nodeUrls: target.nodeUrls,
    slug: thread.slug,
    afterSeq: thread.afterSeq,
    moderatorCookie: args.moderator.cookie,
    commentPath: comment.path,
    lockPath: `/api/threads/${thread.slug}/lock`,
    unlockPath: `/api/threads/${thread.slug}/unlock`,
    commentFields: comment.fields,
    readers: options.readers,
    schedule,
    intervalMs: options.intervalMs,
    drainSeconds: options.drainSeconds,
    bodyChars: options.bodyChars,
    connectBatch: options.connectBatch,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  };

  const { result, cpu } = await runGenerator<LockResult>({
    script: path.join('bench', 'lock', 'loadGenerator.ts'),
    planEnv: LOCK_PLAN_ENV,
    plan,
    resultPrefix: LOCK_RESULT_PREFIX,
    target,
    supervisor: args.supervisor,
    root: args.root,
    cpu: args.generatorCpu,
    redisPid: args.redisPid,
    timeoutMs: roundTimeoutMs(options, schedule.actions.length),
    label: `round ${args.round}`,
  });
  const commentP99 = result.comments.latencyMs.p99;
  return {
    round: args.round,
    slug: thread.slug,
    result,
    lockToCommentP99Ratio: round(result.lockEvents.latencyMs.p99 / commentP99, 3),
    lockOnlyToCommentP99Ratio: round(result.lockOnly.latencyMs.p99 / commentP99, 3),
    quietWait,
    ...cpu,
  };
}
