import { parseArgs } from 'node:util';
import type { RedisAdapterMode } from '../../server/redisEndpoint';
import type { TargetName } from '../common/targets/target';

export interface FanoutOptions {
  /** 2: two nodes joined by Redis; 1: one node, no Redis at all (benchmark 1 of issue 6). */
  nodes: 1 | 2;
  readers: number;
  /** Comments per second. */
  rate: number;
  /** Measured seconds per round. */
  seconds: number;
  /** Rounds per target; rounds alternate ours, baseline, ours, baseline… */
  rounds: number;
  warmupSeconds: number;
  drainSeconds: number;
  bodyChars: number;
  connectBatch: number;
  targets: TargetName[];
  /** Pin servers to core 0 and the generator to core 1 (when taskset and 2 cores exist). */
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves the run and the baseline work; judges no time). */
  smoke: boolean;
  startTimeoutSeconds: number;
  /** Before each round, wait up to this long for the machine to go quiet (0: do not wait). */
  quietWaitSeconds: number;
  /** Redo a round flagged noisy, up to this many times over the run (0: keep every round). */
  retryNoisy: number;
  /** Both targets' Redis adapter: classic PUBLISH or sharded SPUBLISH (Redis ≥ 7). */
  adapter: RedisAdapterMode;
  redisUrl: string;
  pgAdminUrl: string;
  /** Where fanout-<timestamp>.json goes. */
  resultsDir: string;
}

export const FANOUT_DEFAULTS = {
  readers: 2000,
  rate: 10,
  seconds: 20,
  rounds: 3,
  warmupSeconds: 2,
  drainSeconds: 5,
  bodyChars: 280,
  connectBatch: 100,
} as const;

/** `--quick`: a smoke run, a minute or so end to end. Explicit flags still win. */
export const QUICK_PRESET = { readers: 200, seconds: 5, rounds: 1, warmupSeconds: 1 } as const;
/**
 * `--smoke`: what CI runs (bench/smoke.integration.test.ts), seconds end to end: it proves both
 * targets run and deliver, and judges no time. No wait for a quiet machine: CI's machine is never quiet.
 */
export const SMOKE_PRESET = { readers: 20, seconds: 1, rounds: 1, warmupSeconds: 0.5, drainSeconds: 1, quietWaitSeconds: 0 } as const;
/** Waits for a quiet machine by default (every preset but the smoke's). */
export const DEFAULT_QUIET_WAIT_SECONDS = 20;

export const FANOUT_USAGE = `Usage: npm run bench:fanout -- [options]

  --nodes N           1: one node per target, no Redis (baseline without the adapter); 2: two nodes + Redis (default 2)
  --readers N         readers, split evenly across the nodes (default ${FANOUT_DEFAULTS.readers})
  --rate N            comments per second, open loop (default ${FANOUT_DEFAULTS.rate})
  --seconds N         measured seconds per round (default ${FANOUT_DEFAULTS.seconds})
  --rounds N          rounds per target, alternating (default ${FANOUT_DEFAULTS.rounds})
  --quick             quick preset: ${QUICK_PRESET.readers} readers, ${QUICK_PRESET.seconds} s, ${QUICK_PRESET.rounds} round
  --smoke             CI preset: ${SMOKE_PRESET.readers} readers, ${SMOKE_PRESET.seconds} s, ${SMOKE_PRESET.rounds} round, no quiet-wait (judges no time)
  --targets LIST      ours,baseline (default both; "ours" is skipped with a note if the server lacks the feature)
  --adapter MODE      classic (PUBLISH) or sharded (SPUBLISH, Redis ≥ 7), for both targets (default classic)
  --warmup N          seconds sent before measuring (default ${FANOUT_DEFAULTS.warmupSeconds})
  --drain N           seconds to wait for late deliveries (default ${FANOUT_DEFAULTS.drainSeconds})
  --body-chars N      comment body length (default ${FANOUT_DEFAULTS.bodyChars})
  --connect-batch N   readers opened at a time (default ${FANOUT_DEFAULTS.connectBatch})
  --no-pin            do not pin servers / generator to cores
  --quiet-wait N      before each round, wait up to N s for the shared machine to go quiet (default ${DEFAULT_QUIET_WAIT_SECONDS}; 0: never)
  --retry-noisy N     redo a round that ran beside foreign load, up to N times in all (default 0; discarded rounds stay in the JSON)
  --start-timeout N   seconds a node may take to start (default 300: Threadline may build its pages)
  --results-dir DIR   where to write fanout-<timestamp>.json (default bench/results)

Env: REDIS_URL (default redis://127.0.0.1:6379), BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
BENCH_REDIS_KEY_PREFIX (prepended to every Redis key prefix of the run).`;

/** A bad or unknown flag (or --help): the CLI prints the message and this usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = FANOUT_USAGE,
  ) {
    super(message);
  }

  /** `--help`: the usage itself, printed alone with exit 0. */
  get isHelp(): boolean {
    return this.message === this.usage;
  }
}

/** A numeric flag's value (or the fallback when absent), checked against its bounds. */
export function positive(name: string, raw: string | undefined, fallback: number, options: { integer: boolean; min?: number }): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const min = options.min ?? Number.MIN_VALUE;
  if (!Number.isFinite(value) || value < min || (options.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name}: expected ${options.integer ? 'a whole number' : 'a number'} ≥ ${options.min ?? '> 0'}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The flags `--help` lists, as node:util parseArgs takes them (bench/run.ts splits `npm run bench` arguments by these). */
export const FANOUT_FLAGS = {
  nodes: { type: 'string' },
  readers: { type: 'string' },
  rate: { type: 'string' },
  seconds: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  targets: { type: 'string' },
  adapter: { type: 'string' },
  warmup: { type: 'string' },
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
    return parseArgs({ args: argv, strict: true, options: FANOUT_FLAGS });
  } catch (err) {
    // Unknown or malformed flags are the user's mistake: show the usage, not a stack.
    throw new UsageError((err as Error).message);
  }
}

/** The defaults a preset gives: --smoke wins over --quick (it is the smaller). */
function presetBase(flags: { quick: boolean; smoke: boolean }) {
  const defaults = { ...FANOUT_DEFAULTS, quietWaitSeconds: DEFAULT_QUIET_WAIT_SECONDS as number };
  if (flags.smoke) return { ...defaults, ...SMOKE_PRESET };
  return flags.quick ? { ...defaults, ...QUICK_PRESET } : defaults;
}

export function parseFanoutArgs(argv: string[], defaults: { resultsDir: string }): FanoutOptions {
  const { values } = parseOrUsage(argv);
  if (values.help) throw new UsageError(FANOUT_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const base = presetBase({ quick, smoke });

  const targets = (values.targets ?? 'ours,baseline').split(',').map((t) => t.trim());
  for (const t of targets) if (t !== 'ours' && t !== 'baseline') throw new UsageError(`--targets: unknown target ${JSON.stringify(t)} (ours, baseline)`);
  const adapter = values.adapter ?? 'classic';
  if (adapter !== 'classic' && adapter !== 'sharded') throw new UsageError(`--adapter: expected classic or sharded, got ${JSON.stringify(adapter)}`);
  const bodyChars = positive('body-chars', values['body-chars'], base.bodyChars, { integer: true, min: 40 });
  if (bodyChars > 5000) throw new UsageError('--body-chars: a comment body is at most 5000 characters');

  const nodes = positive('nodes', values.nodes, 2, { integer: true, min: 1 });
  if (nodes > 2) throw new UsageError('--nodes: 1 or 2');

  return {
    nodes: nodes as 1 | 2,
    readers: positive('readers', values.readers, base.readers, { integer: true, min: 1 }),
    rate: positive('rate', values.rate, base.rate, { integer: false }),
    seconds: positive('seconds', values.seconds, base.seconds, { integer: false }),
    rounds: positive('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    warmupSeconds: positive('warmup', values.warmup, base.warmupSeconds, { integer: false, min: 0 }),
    drainSeconds: positive('drain', values.drain, base.drainSeconds, { integer: false }),
    bodyChars,
    connectBatch: positive('connect-batch', values['connect-batch'], base.connectBatch, { integer: true, min: 1 }),
    targets: [...new Set(targets)] as TargetName[],
    pin: values['no-pin'] !== true,
    quick,
    smoke,
    startTimeoutSeconds: positive('start-timeout', values['start-timeout'], 300, { integer: false }),
    quietWaitSeconds: positive('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, { integer: false, min: 0 }),
    retryNoisy: positive('retry-noisy', values['retry-noisy'], 0, { integer: true, min: 0 }),
    adapter,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
