/**
 * bench/lock: how long a moderator's lock takes to reach every reader, beside
 * one comment's fan-out measured in the same rounds on the same readers.
 * Threadline only (two nodes, PostgreSQL, Redis, as bench/fanout starts them).
 * `npm run bench:lock -- --help` for options; docs/benchmarks.md for the method.
 */
import fs from 'node:fs';
import path from 'node:path';
import { count, numeric, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type OptionsOf } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { localRedisPid } from '../common/redisKeys';
import { targetContext } from '../common/targets/context';
import { threadlineTarget } from '../common/targets/threadlineTarget';
import { signInModerator } from './moderator';
import { lockMarkdownSummary, lockRoundLine, lockSummaryCells, summariseLock, type LockBody } from './report';
import { runLockRound } from './runRound';

const FLAGS = {
  readers: standard.readers(),
  lockEvents: count('measured lock/unlock events per round, alternating lock, unlock (even)', { min: 2, name: 'locks' }),
  comments: count('measured comments per round, posted only while the thread is unlocked'),
  intervalMs: numeric('one action every N ms, open loop', { min: 10 }),
  rounds: standard.rounds('rounds, each on a fresh thread'),
  drainSeconds: standard.drainSeconds('seconds to wait for late deliveries after the last action'),
  bodyChars: standard.bodyChars(),
  connectBatch: standard.connectBatch(),
  retryNoisy: standard.retryNoisy(),
  ...standard.serverRunFlags(),
};

/**
 * Whether the checkout (possibly an older one, benched side by side) has `POST /api/threads/:slug/lock`:
 * read from its sources, since an older checkout cannot be imported here. Before issue 12 the route
 * was written out in staffRoutes.ts; since, staffRoutes.ts makes one route per THREAD_ACTIONS entry.
 */
function hasThreadLockRoute(root: string): boolean {
  const read = (...file: string[]) => {
    try {
      return fs.readFileSync(path.join(root, ...file), 'utf8');
    } catch {
      return '';
    }
  };
  const routes = read('server', 'http', 'staffRoutes.ts');
  if (routes.includes("'lock' : 'unlock'")) return true;
  return routes.includes('THREAD_ACTIONS.map') && /THREAD_ACTIONS = \[[^\]]*'lock'/.test(read('lib', 'contract', 'socket.ts'));
}

/** Null when the lock benchmark can run against this checkout, or why not. */
function unavailableReason(root: string): string | null {
  const reason = threadlineTarget.unavailableReason(root);
  if (reason) return reason;
  if (!hasThreadLockRoute(root)) return 'the API has no thread lock route yet';
  if (!fs.existsSync(path.join(root, 'scripts', 'userCreate.ts'))) return 'scripts/userCreate.ts is missing';
  return null;
}

export const lockScenario = defineScenario<Values<typeof FLAGS>, LockBody>({
  name: 'lock',
  flags: FLAGS,
  defaults: { ...standard.STANDARD_DEFAULTS, readers: 2000, lockEvents: 10, comments: 10, intervalMs: 500, rounds: 5, drainSeconds: 5 },
  presets: {
    quick: { readers: 200, rounds: 3 },
    // One lock/unlock pair and two comments to 20 readers.
    smoke: { readers: 20, rounds: 1, lockEvents: 2, comments: 2, intervalMs: 200, drainSeconds: 1, quietWaitSeconds: 0 },
  },
  services: ['redis', 'postgres'],
  notes: 'Each round first sends comment, lock, unlock, comment, lock, unlock as a warm-up (not measured).',
  pinning: 'children',
  resolve: (o) => {
    if (o.lockEvents % 2 !== 0) throw new Error('--locks: expected an even number (each lock is followed by its unlock)');
    return o;
  },
  describe: (o) => `${o.readers} readers, ${o.lockEvents} lock/unlock + ${o.comments} comments per round, one every ${o.intervalMs} ms, ${o.rounds} round(s)`,
  async run(options, run) {
    const reason = unavailableReason(run.root);
    if (reason) throw new Error(`the lock benchmark cannot run: ${reason}`);
    const target = await threadlineTarget.start(targetContext(run, { startTimeoutSeconds: options.startTimeoutSeconds }));
    const moderator = await signInModerator({ target, supervisor: run.supervisor, root: run.root, log: run.log });
    const redisPid = await localRedisPid(run.redisUrl);
    const { rounds, discarded } = await alternateRounds({
      rounds: options.rounds,
      sides: [target],
      label: () => 'lock + comment',
      run: (round) => runLockRound({ round, target, moderator, options, supervisor: run.supervisor, root: run.root, generatorCpu: run.generatorCpu, redisPid }),
      line: lockRoundLine,
      log: run.log,
      retryNoisy: options.retryNoisy,
    });
    return { rounds, discardedRounds: discarded, summary: summariseLock(rounds) };
  },
  markdown: lockMarkdownSummary,
  summarise: lockSummaryCells,
});


export type LockOptions = OptionsOf<typeof FLAGS>;

runIfMain(lockScenario, module);
