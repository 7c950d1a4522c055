/**
 * bench/reconnect: a reconnect storm. Two nodes + Redis, readers on one thread
 * split over both, a low-rate writer; one node is SIGKILLed and every reader
 * that was on it moves to the other and catches up. Ours (thread:subscribe
 * with afterSeq, checked against the database's event log) against bare
 * Socket.IO (reconnect + join; its subscribe ack returns nothing missed).
 * `npm run bench:reconnect -- --help`; docs/benchmarks.md for the method.
 */
import { count, numeric, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { resolveTargets, targetContext } from '../common/targets/context';
import { compareReconnect, reconnectMarkdown, reconnectRoundLine, reconnectSummaryCells, summariseReconnect, type ReconnectBody } from './report';
import { runReconnectRound } from './runRound';

const FLAGS = {
  readers: count('readers on one thread, half on each of the two nodes', { min: 2 }),
  rounds: standard.rounds('rounds per target, alternating, each on freshly started nodes'),
  targets: standard.targets(),
  rate: standard.rate('comments per second during the storm, open loop, to the surviving node'),
  preKillSeconds: numeric('seconds of writing before the SIGKILL', { name: 'pre-kill' }),
  postKillSeconds: numeric('seconds of writing after it', { name: 'post-kill' }),
  catchUpTimeoutSeconds: numeric('seconds after the kill to wait for every reader', { name: 'catch-up-timeout' }),
  connectBatch: standard.connectBatch(),
  bodyChars: standard.bodyChars(),
  ...standard.serverRunFlags(),
};

export const reconnectScenario = defineScenario<Values<typeof FLAGS>, ReconnectBody>({
  name: 'reconnect',
  flags: FLAGS,
  defaults: { ...standard.STANDARD_DEFAULTS, readers: 2000, rounds: 3, rate: 5, preKillSeconds: 2, postKillSeconds: 8, catchUpTimeoutSeconds: 60 },
  presets: {
    quick: { readers: 200, rounds: 1, preKillSeconds: 1, postKillSeconds: 4 },
    smoke: { readers: 20, rounds: 1, preKillSeconds: 1, postKillSeconds: 1, quietWaitSeconds: 0 },
  },
  services: ['redis', 'postgres'],
  pinning: 'children',
  describe: (o) => `${o.readers} readers on two nodes, ${o.rate} comments/s, kill after ${o.preKillSeconds} s, ${o.rounds} round(s); targets ${o.targets.join(', ')}`,
  async run(options, run) {
    const targets = resolveTargets(run, options.targets);
    const { rounds } = await alternateRounds({
      rounds: options.rounds,
      sides: targets,
      label: (t) => t.name,
      // Fresh nodes every round: one of them dies in it.
      run: (round, target) =>
        runReconnectRound({ round, target, context: targetContext(run, { nodes: 2, startTimeoutSeconds: options.startTimeoutSeconds }), options, supervisor: run.supervisor, root: run.root, generatorCpu: run.generatorCpu }),
      line: reconnectRoundLine,
      log: run.log,
    });
    const summary = targets.map((t) => summariseReconnect(t.name, rounds));
    return { rounds, summary, comparison: compareReconnect(summary) };
  },
  markdown: reconnectMarkdown,
  summarise: reconnectSummaryCells,
});


export type ReconnectOptions = OptionsOf<typeof FLAGS>;

runIfMain(reconnectScenario, module);
