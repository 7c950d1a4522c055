/**
 * bench/memory: server memory per idle subscribed reader on one node, for
 * Threadline ("ours": thread:subscribe to one thread) and bare Socket.IO
 * (joining a room), alternating rounds on freshly started nodes.
 * `npm run bench:memory -- --help`; docs/benchmarks.md for the method.
 */
import path from 'node:path';
import { count, numeric, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { resolveTargets, targetContext } from '../common/targets/context';
import { compareMemory, memoryMarkdown, memoryRoundLine, memorySummaryCells, summariseMemory, type MemoryBody } from './report';
import { runMemoryRound } from './runRound';

/** Readers per generator process at most: ~2 fds each, under a 20,000 `ulimit -n` with room to spare. */
const READERS_PER_GENERATOR = 5000;

const FLAGS = {
  readers: standard.readers('idle subscribed readers on the one node'),
  generators: count(`reader processes (0: one per ${READERS_PER_GENERATOR} readers)`, { min: 0 }),
  rounds: standard.rounds('rounds per target, alternating, each on freshly started nodes'),
  targets: standard.targets(),
  idleSeconds: numeric('seconds the readers idle before the "after" sample', { min: 0, name: 'idle' }),
  connectBatch: standard.connectBatch('readers opened at a time per generator'),
  ...standard.serverRunFlags(),
};

/** BENCH_PROF=<dir>: the node also writes a CPU profile (`--cpu-prof`) there when it exits. */
function cpuProfileArgs(): string[] {
  const dir = process.env.BENCH_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export const memoryScenario = defineScenario<Values<typeof FLAGS>, MemoryBody>({
  name: 'memory',
  flags: FLAGS,
  defaults: { ...standard.STANDARD_DEFAULTS, readers: 10_000, generators: 0, rounds: 3, connectBatch: 200, idleSeconds: 5 },
  presets: { quick: { readers: 1000, rounds: 1, idleSeconds: 2 }, smoke: { readers: 50, rounds: 1, idleSeconds: 0.5, quietWaitSeconds: 0 } },
  services: ['postgres'],
  pinning: 'children',
  resolve: (o) => ({ ...o, generators: o.generators || Math.ceil(o.readers / READERS_PER_GENERATOR) }),
  describe: (o) => `${o.readers} idle readers over ${o.generators} generator process(es), ${o.rounds} round(s); targets ${o.targets.join(', ')}`,
  async run(options, run) {
    const heapProbe = path.join(run.root, 'bench', 'memory', 'heapProbe.cjs');
    const targets = resolveTargets(run, options.targets);
    const { rounds } = await alternateRounds({
      rounds: options.rounds,
      sides: targets,
      label: (t) => t.name,
      // A fresh context per round: fresh nodes, a fresh database and run tag.
      run: (round, target) => {
        const context = targetContext(run, { nodes: 1, nodeArgs: ['--expose-gc', '--require', heapProbe, ...cpuProfileArgs()], startTimeoutSeconds: options.startTimeoutSeconds });
        return runMemoryRound({ round, target, context, options, supervisor: run.supervisor, root: run.root, generatorCpu: run.generatorCpu, log: run.log });
      },
      line: memoryRoundLine,
      log: run.log,
    });
    const summary = targets.map((t) => summariseMemory(t.name, rounds));
    return { rounds, summary, comparison: compareMemory(summary, rounds) };
  },
  markdown: memoryMarkdown,
  summarise: memorySummaryCells,
});


export type MemoryOptions = OptionsOf<typeof FLAGS>;

runIfMain(memoryScenario, module);
