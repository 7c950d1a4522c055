import { parseArgs } from 'node:util';
import { positive, UsageError } from '../fanout/options';

export interface LockOptions {
  readers: number;
  /** Measured lock/unlock events per round (lock, unlock, lock… so an even number). */
  lockEvents: number;
  /** Measured comments per round. */
  comments: number;
  /** One action (lock, unlock or comment) every this many ms, open loop. */
  intervalMs: number;
  rounds: number;
  drainSeconds: number;
  bodyChars: number;
  connectBatch: number;
  /** Pin servers to core 0 and the generator to core 1 (when taskset and 2 cores exist). */
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves the run works; judges no time). */
  smoke: boolean;
  startTimeoutSeconds: number;
  /** Before each round, wait up to this long for the machine to go quiet (0: do not wait). */
  quietWaitSeconds: number;
  /** Redo a round flagged noisy, up to this many times over the run (0: keep every round). */
  retryNoisy: number;
  redisUrl: string;
  pgAdminUrl: string;
  /** Where lock-<timestamp>.json goes. */
  resultsDir: string;
}

export const LOCK_DEFAULTS = {
  readers: 2000,
  lockEvents: 10,
  comments: 10,
  intervalMs: 500,
  rounds: 5,
  drainSeconds: 5,
  bodyChars: 280,
  connectBatch: 100,
} as const;

/** `--quick`: a smoke run, about a minute end to end. Explicit flags still win. */
export const LOCK_QUICK_PRESET = { readers: 200, rounds: 3 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): one lock/unlock pair and two comments to 20 readers, no quiet-wait. */
export const LOCK_SMOKE_PRESET = { readers: 20, rounds: 1, lockEvents: 2, comments: 2, intervalMs: 200, drainSeconds: 1, quietWaitSeconds: 0 } as const;

export const LOCK_USAGE = `Usage: npm run bench:lock -- [options]

  --readers N         readers, split evenly across the two nodes (default ${LOCK_DEFAULTS.readers})
  --locks N           measured lock/unlock events per round, alternating lock, unlock (even; default ${LOCK_DEFAULTS.lockEvents})
  --comments N        measured comments per round, posted only while the thread is unlocked (default ${LOCK_DEFAULTS.comments})
  --interval-ms N     one action every N ms, open loop (default ${LOCK_DEFAULTS.intervalMs})
  --rounds N          rounds, each on a fresh thread (default ${LOCK_DEFAULTS.rounds})
  --quick             quick preset: ${LOCK_QUICK_PRESET.readers} readers, ${LOCK_QUICK_PRESET.rounds} rounds
  --smoke             CI preset: ${LOCK_SMOKE_PRESET.readers} readers, ${LOCK_SMOKE_PRESET.rounds} round, ${LOCK_SMOKE_PRESET.lockEvents} lock events, no quiet-wait (judges no time)
  --drain N           seconds to wait for late deliveries after the last action (default ${LOCK_DEFAULTS.drainSeconds})
  --body-chars N      comment body length (default ${LOCK_DEFAULTS.bodyChars})
  --connect-batch N   readers opened at a time (default ${LOCK_DEFAULTS.connectBatch})
  --no-pin            do not pin servers / generator to cores
  --quiet-wait N      before each round, wait up to N s for the shared machine to go quiet (default 20; 0: never)
  --retry-noisy N     redo a round that ran beside foreign load, up to N times in all (default 0; discarded rounds stay in the JSON)
  --start-timeout N   seconds a node may take to start (default 300: Threadline may build its pages)
  --results-dir DIR   where to write lock-<timestamp>.json (default bench/results)

Each round first sends comment, lock, unlock, comment, lock, unlock as a warm-up (not measured).
Env: REDIS_URL (default redis://127.0.0.1:6379), BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

/** The flags, as node:util parseArgs takes them (bench/run.ts splits `npm run bench` arguments by these). */
export const LOCK_FLAGS = {
  readers: { type: 'string' },
  locks: { type: 'string' },
  comments: { type: 'string' },
  'interval-ms': { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  drain: { type: 'string' },
  'body-chars': { type: 'string' },
  'connect-batch': { type: 'string' },
  'no-pin': { type: 'boolean', default: false },
  'start-timeout': { type: 'string' },
  'quiet-wait': { type: 'string' },
  'retry-noisy': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function parseOrUsage(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, options: LOCK_FLAGS });
  } catch (err) {
    throw new UsageError((err as Error).message, LOCK_USAGE);
  }
}

export function parseLockArgs(argv: string[], defaults: { resultsDir: string }): LockOptions {
  const { values } = parseOrUsage(argv);
  if (values.help) throw new UsageError(LOCK_USAGE, LOCK_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const presetDefaults = { ...LOCK_DEFAULTS, quietWaitSeconds: 20 as number };
  const base = smoke ? { ...presetDefaults, ...LOCK_SMOKE_PRESET } : quick ? { ...presetDefaults, ...LOCK_QUICK_PRESET } : presetDefaults;
  // Our own usage on a bad value, not the fan-out's.
  const number = (...args: Parameters<typeof positive>) => {
    try {
      return positive(...args);
    } catch (err) {
      throw new UsageError((err as Error).message, LOCK_USAGE);
    }
  };

  const lockEvents = number('locks', values.locks, base.lockEvents, { integer: true, min: 2 });
  if (lockEvents % 2 !== 0) throw new UsageError('--locks: expected an even number (each lock is followed by its unlock)', LOCK_USAGE);
  const bodyChars = number('body-chars', values['body-chars'], base.bodyChars, { integer: true, min: 40 });
  if (bodyChars > 5000) throw new UsageError('--body-chars: a comment body is at most 5000 characters', LOCK_USAGE);

  return {
    readers: number('readers', values.readers, base.readers, { integer: true, min: 1 }),
    lockEvents,
    comments: number('comments', values.comments, base.comments, { integer: true, min: 1 }),
    intervalMs: number('interval-ms', values['interval-ms'], base.intervalMs, { integer: false, min: 10 }),
    rounds: number('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    drainSeconds: number('drain', values.drain, base.drainSeconds, { integer: false }),
    bodyChars,
    connectBatch: number('connect-batch', values['connect-batch'], base.connectBatch, { integer: true, min: 1 }),
    pin: values['no-pin'] !== true,
    quick,
    smoke,
    startTimeoutSeconds: number('start-timeout', values['start-timeout'], 300, { integer: false }),
    quietWaitSeconds: number('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, { integer: false, min: 0 }),
    retryNoisy: number('retry-noisy', values['retry-noisy'], 0, { integer: true, min: 0 }),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
