import { positive, UsageError } from '../fanout/options';
import type { PostingTargetName, StoreKind } from './targets';
import { parseBenchFlags } from '../common/cli';

export interface PostingOptions {
  /** Offered comments/s, one ladder step each, climbed until a step misses the latency bound. */
  rates: number[];
  /** Measured seconds per step. */
  seconds: number;
  /** Seconds sent before each step's measured part. */
  warmupSeconds: number;
  /** A step is sustained when its POST → first receiver p99 is at most this. */
  p99LimitMs: number;
  rounds: number;
  /** Tries a step gets beyond its first before the climb stops. */
  stepRetries: number;
  stores: StoreKind[];
  targets: PostingTargetName[];
  bodyChars: number;
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves both targets post and deliver on both stores; judges no time). */
  smoke: boolean;
  quietWaitSeconds: number;
  startTimeoutSeconds: number;
  pgAdminUrl: string;
  resultsDir: string;
}

export const POSTING_DEFAULTS = {
  rates: [50, 100, 200, 300, 400, 600, 800, 1200, 1600, 2400],
  seconds: 2.5,
  warmupSeconds: 0.5,
  p99LimitMs: 20,
  rounds: 3,
  stepRetries: 1,
  bodyChars: 280,
  quietWaitSeconds: 5,
} as const;

/** `--quick`: a smoke run, about a minute. Explicit flags still win. */
export const POSTING_QUICK = { rates: [50, 100, 200, 400, 800], seconds: 1.5, rounds: 1, quietWaitSeconds: 3 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): one 1 s step at 20/s per target and store, no retry, no quiet-wait. */
export const POSTING_SMOKE = { rates: [20], seconds: 1, warmupSeconds: 0.3, rounds: 1, stepRetries: 0, quietWaitSeconds: 0 } as const;

export const POSTING_USAGE = `Usage: npm run bench:posting -- [options]

  --rates LIST        comments/s ladder, climbed until p99 exceeds the limit (default ${POSTING_DEFAULTS.rates.join(',')})
  --seconds N         measured seconds per step (default ${POSTING_DEFAULTS.seconds})
  --warmup N          seconds sent before each step's measured part (default ${POSTING_DEFAULTS.warmupSeconds})
  --p99-limit N       ms; a step is sustained when POST → first receiver p99 ≤ N (default ${POSTING_DEFAULTS.p99LimitMs})
  --rounds N          ladders per target and store, alternating ours / baseline (default ${POSTING_DEFAULTS.rounds})
  --step-retries N    a step not sustained is tried again up to N times before the climb stops (default ${POSTING_DEFAULTS.stepRetries})
  --stores LIST       sqlite,postgres (default both)
  --targets LIST      ours,baseline (default both)
  --body-chars N      comment body length (default ${POSTING_DEFAULTS.bodyChars})
  --smoke             CI preset: one ${POSTING_SMOKE.seconds} s step at ${POSTING_SMOKE.rates.join(',')}/s, ${POSTING_SMOKE.rounds} round, no quiet-wait (judges no time)
  --quick             quick preset: rates ${POSTING_QUICK.rates.join(',')}, ${POSTING_QUICK.seconds} s steps, ${POSTING_QUICK.rounds} round
  --no-pin            do not pin servers (core 0) and the load generator (core 1)
  --quiet-wait N      before each ladder, wait up to N s for the shared machine to go quiet (default ${POSTING_DEFAULTS.quietWaitSeconds}; 0: never)
  --start-timeout N   seconds a server may take to start (default 300: Threadline may build its pages)
  --results-dir DIR   where to write posting-<timestamp>.json (default bench/results)

Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export const POSTING_FLAGS = {
  rates: { type: 'string' },
  seconds: { type: 'string' },
  warmup: { type: 'string' },
  'p99-limit': { type: 'string' },
  rounds: { type: 'string' },
  'step-retries': { type: 'string' },
  stores: { type: 'string' },
  targets: { type: 'string' },
  'body-chars': { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  'no-pin': { type: 'boolean', default: false },
  'quiet-wait': { type: 'string' },
  'start-timeout': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function list<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T[] {
  const values = (raw ?? allowed.join(',')).split(',').map((v) => v.trim());
  for (const v of values) if (!allowed.includes(v as T)) throw new UsageError(`--${flag}: unknown value ${JSON.stringify(v)} (${allowed.join(', ')})`, POSTING_USAGE);
  return [...new Set(values)] as T[];
}

export function parsePostingArgs(argv: string[], defaults: { resultsDir: string }): PostingOptions {
  const values = parseBenchFlags(argv, POSTING_FLAGS, POSTING_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const base = smoke ? { ...POSTING_DEFAULTS, ...POSTING_SMOKE } : quick ? { ...POSTING_DEFAULTS, ...POSTING_QUICK } : POSTING_DEFAULTS;
  const num = (name: string, raw: string | undefined, fallback: number, opts: { integer: boolean; min?: number }) => {
    try {
      return positive(name, raw, fallback, opts);
    } catch (err) {
      throw new UsageError((err as Error).message, POSTING_USAGE);
    }
  };
  const rates = values.rates === undefined ? [...base.rates] : values.rates.split(',').map((r) => num('rates', r.trim(), 0, { integer: false }));
  return {
    rates: [...new Set(rates)].sort((a, b) => a - b),
    seconds: num('seconds', values.seconds, base.seconds, { integer: false }),
    warmupSeconds: num('warmup', values.warmup, base.warmupSeconds, { integer: false, min: 0 }),
    p99LimitMs: num('p99-limit', values['p99-limit'], base.p99LimitMs, { integer: false }),
    rounds: num('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    stepRetries: num('step-retries', values['step-retries'], base.stepRetries, { integer: true, min: 0 }),
    stores: list('stores', values.stores, ['sqlite', 'postgres'] as const),
    targets: list('targets', values.targets, ['ours', 'baseline'] as const),
    bodyChars: num('body-chars', values['body-chars'], base.bodyChars, { integer: true, min: 40 }),
    pin: values['no-pin'] !== true,
    quick,
    smoke,
    quietWaitSeconds: num('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, { integer: false, min: 0 }),
    startTimeoutSeconds: num('start-timeout', values['start-timeout'], 300, { integer: false }),
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
