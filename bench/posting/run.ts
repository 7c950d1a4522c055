/**
 * bench/posting: how many comments/s one node takes while a reader still gets
 * each one within 20 ms (p99) of its intended send time — Threadline vs a bare
 * node:http + prepared INSERT + Socket.IO emit, on SQLite and on PostgreSQL.
 * `npm run bench:posting -- --help` for options; docs/benchmarks.md for the method.
 */
import { count, list, numbers, numeric, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { quietBeforeRound } from '../common/quietMachine';
import { targetContext } from '../common/targets/context';
import { runLadder } from './ladder';
import { markdownSummary, postingSummaryCells, summariseStore, type PostingBody } from './report';
import { startBaseline, startOurs, STORE_KINDS, type PostingTarget } from './targets';

const FLAGS = {
  rates: numbers('comments/s ladder, climbed until p99 exceeds the limit'),
  seconds: standard.seconds('measured seconds per step'),
  warmupSeconds: standard.warmupSeconds("seconds sent before each step's measured part"),
  p99LimitMs: numeric('ms; a step is sustained when POST → first receiver p99 ≤ N', { name: 'p99-limit' }),
  rounds: standard.rounds('ladders per target and store, alternating ours / baseline'),
  stepRetries: count('a step not sustained is tried again up to N times before the climb stops', { min: 0 }),
  stores: list(STORE_KINDS, 'stores'),
  targets: standard.targets(),
  bodyChars: standard.bodyChars(),
  ...standard.serverRunFlags(),
};

export const postingScenario = defineScenario<Values<typeof FLAGS>, PostingBody>({
  name: 'posting',
  flags: FLAGS,
  defaults: {
    ...standard.STANDARD_DEFAULTS,
    rates: [50, 100, 200, 300, 400, 600, 800, 1200, 1600, 2400],
    seconds: 2.5,
    warmupSeconds: 0.5,
    p99LimitMs: 20,
    rounds: 3,
    stepRetries: 1,
    stores: [...STORE_KINDS],
    quietWaitSeconds: 5,
  },
  presets: {
    quick: { rates: [50, 100, 200, 400, 800], seconds: 1.5, rounds: 1, quietWaitSeconds: 3 },
    // One 1 s step at 20/s per target and store, no retry.
    smoke: { rates: [20], seconds: 1, warmupSeconds: 0.3, rounds: 1, stepRetries: 0, quietWaitSeconds: 0 },
  },
  services: ['postgres'],
  // The orchestrator is the load generator: it takes core 1, the servers core 0.
  pinning: 'self',
  describe: (o) => `stores ${o.stores.join(', ')}; targets ${o.targets.join(', ')}; ladder ${o.rates.join(', ')}/s; ${o.rounds} round(s)`,
  async run(options, run) {
    const context = targetContext(run, { nodes: 1, startTimeoutSeconds: options.startTimeoutSeconds });
    const sides: PostingTarget[] = [];
    // ours first within each store: ours, baseline, ours, baseline… spreads drift over both.
    for (const store of options.stores) {
      if (options.targets.includes('ours')) sides.push(await startOurs(context, store));
      if (options.targets.includes('baseline')) sides.push(await startBaseline(context, store));
    }
    const { rounds: ladders } = await alternateRounds({
      rounds: options.rounds,
      sides,
      label: (t) => `${t.name} on ${t.store}`,
      run: async (round, target) => {
        const quiet = await quietBeforeRound(options.quietWaitSeconds);
        if (quiet && !quiet.quiet) run.log(`machine still ${quiet.busyPercent}% busy after ${quiet.waitedSeconds} s; running anyway`);
        return { round, target: target.name, store: target.store, ...(await runLadder({ target, options, log: run.log })) };
      },
      line: (l) => `round ${l.round} ${l.target} on ${l.store}: sustained ${l.sustainedRate} comments/s`,
      log: run.log,
      pauseMs: 500,
    });
    return { ladders, summary: options.stores.map((store) => summariseStore(store, ladders)) };
  },
  markdown: markdownSummary,
  summarise: postingSummaryCells,
});


export type PostingOptions = OptionsOf<typeof FLAGS>;

runIfMain(postingScenario, module);
