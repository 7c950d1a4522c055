/**
 * bench/fanout: publish-to-receive latency of a live comment, as readers feel
 * it, for Threadline ("ours") and a bare Socket.IO + Redis adapter baseline,
 * side by side in one run. `npm run bench:fanout -- --help` for options;
 * docs/benchmarks.md for the method.
 */
import { choice, count, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { localRedisPid } from '../common/redisKeys';
import { resolveTargets, targetContext } from '../common/targets/context';
import type { RunningTarget, TargetName } from '../common/targets/target';
import { compare, fanoutSummaryCells, markdownSummary, roundLine, summariseTarget, type FanoutBody } from './report';
import { runRound } from './runRound';

const FLAGS = {
  nodes: count('1: one node per target, no Redis (baseline without the adapter); 2: two nodes + Redis', { max: 2 }),
  readers: standard.readers(),
  rate: standard.rate(),
  seconds: standard.seconds(),
  rounds: standard.rounds(),
  targets: standard.targets(),
  adapter: choice(['classic', 'sharded'] as const, 'both targets\' Redis adapter: PUBLISH, or SPUBLISH (Redis ≥ 7)'),
  warmupSeconds: standard.warmupSeconds(),
  drainSeconds: standard.drainSeconds(),
  bodyChars: standard.bodyChars(),
  connectBatch: standard.connectBatch(),
  retryNoisy: standard.retryNoisy(),
  ...standard.serverRunFlags(),
};

export const fanoutScenario = defineScenario<Values<typeof FLAGS>, FanoutBody>({
  name: 'fanout',
  flags: FLAGS,
  defaults: { ...standard.STANDARD_DEFAULTS, nodes: 2, readers: 2000, rate: 10, seconds: 20, rounds: 3, adapter: 'classic', warmupSeconds: 2, drainSeconds: 5 },
  presets: {
    quick: { readers: 200, seconds: 5, rounds: 1, warmupSeconds: 1 },
    // No wait for a quiet machine: CI's machine is never quiet.
    smoke: { readers: 20, seconds: 1, rounds: 1, warmupSeconds: 0.5, drainSeconds: 1, quietWaitSeconds: 0 },
  },
  services: ['redis', 'postgres'],
  notes: '"ours" is skipped with a note if the server lacks the feature.',
  pinning: 'children',
  fileName: (o) => (o.nodes === 1 ? 'fanout1' : 'fanout'),
  describe: (o) =>
    `${o.nodes} node(s)${o.nodes === 1 ? ' (no Redis)' : ` + Redis (${o.adapter} adapter)`}, ${o.readers} readers, ${o.rate} comments/s, ${o.seconds} s (+${o.warmupSeconds} s warm-up), ${o.rounds} round(s); targets ${o.targets.join(', ')}`,
  async run(options, run) {
    const skipped: Partial<Record<TargetName, string>> = {};
    const targets = resolveTargets(run, options.targets, skipped);
    const context = targetContext(run, { nodes: options.nodes as 1 | 2, adapter: options.adapter, startTimeoutSeconds: options.startTimeoutSeconds });
    // The baseline starts in a second; start it first so a Redis problem shows before Threadline's longer start.
    const running = new Map<TargetName, RunningTarget>();
    for (const target of [...targets].reverse()) running.set(target.name, await target.start(context));
    const redisPid = options.nodes > 1 ? await localRedisPid(run.redisUrl) : null;
    const { rounds, discarded } = await alternateRounds({
      rounds: options.rounds,
      sides: targets,
      label: (t) => t.name,
      run: (round, t) => runRound({ round, target: running.get(t.name) as RunningTarget, options, supervisor: run.supervisor, root: run.root, generatorCpu: run.generatorCpu, redisPid }),
      line: roundLine,
      log: run.log,
      retryNoisy: options.retryNoisy,
    });
    const summary = targets.map((t) => summariseTarget(t.name, rounds));
    return { skipped, rounds, discardedRounds: discarded, summary, comparison: compare(summary, rounds, options.nodes as 1 | 2) };
  },
  markdown: markdownSummary,
  summarise: fanoutSummaryCells,
});


export type FanoutOptions = OptionsOf<typeof FLAGS>;

runIfMain(fanoutScenario, module);
