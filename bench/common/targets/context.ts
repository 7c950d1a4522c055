import { randomBytes } from 'node:crypto';
import type { RedisAdapterMode } from '../../../server/redisEndpoint';
import type { RunContext } from '../harness/scenario';
import { TARGET_NAMES, type FanoutTarget, type TargetContext, type TargetName } from './target';
import { baselineTarget } from './baselineTarget';
import { threadlineTarget } from './threadlineTarget';

export const TARGETS: Record<TargetName, FanoutTarget> = { ours: threadlineTarget, baseline: baselineTarget };

/** What a target needs to start its nodes; a fresh one (fresh run tag, so fresh database and Redis prefix) per call. */
export function targetContext(run: RunContext, args: { startTimeoutSeconds: number; nodes?: 1 | 2; adapter?: RedisAdapterMode; nodeArgs?: string[] }): TargetContext {
  return {
    root: run.root,
    redisUrl: run.redisUrl,
    redisAdapter: args.adapter ?? 'classic',
    nodes: args.nodes ?? 2,
    nodeArgs: args.nodeArgs ?? [],
    pgAdminUrl: run.pgAdminUrl,
    supervisor: run.supervisor,
    serverCpu: run.serverCpu,
    runTag: randomBytes(3).toString('hex'),
    startTimeoutMs: args.startTimeoutSeconds * 1000,
    log: run.log,
    registerCleanup: run.registerCleanup,
  };
}

/**
 * The targets to run, ours first. One that cannot run here is an error before anything starts,
 * or, with `skip`, left out with a note (fan-out runs against checkouts that lack a feature).
 */
export function resolveTargets(run: RunContext, names: readonly TargetName[], skip?: Partial<Record<TargetName, string>>): FanoutTarget[] {
  const targets: FanoutTarget[] = [];
  for (const name of TARGET_NAMES.filter((n) => names.includes(n))) {
    const reason = TARGETS[name].unavailableReason(run.root);
    if (!reason) targets.push(TARGETS[name]);
    else if (!skip) throw new Error(`${name} cannot run: ${reason}`);
    else {
      skip[name] = reason;
      run.log(`skipping ${name}: ${reason}`);
    }
  }
  if (targets.length === 0) throw new Error('no target can run');
  return targets;
}
