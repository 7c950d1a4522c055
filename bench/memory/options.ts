import { positive, UsageError } from '../fanout/options';
import type { TargetName } from '../common/targets/target';
import { parseBenchFlags } from '../common/cli';

export interface MemoryOptions {
  readers: number;
  /** Generator processes the readers are spread over (each socket costs the generator two fds). */
  generators: number;
  rounds: number;
  connectBatch: number;
  /** Seconds the readers idle, connected, before the "after" sample. */
  idleSeconds: number;
  targets: TargetName[];
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves the run works; judges nothing). */
  smoke: boolean;
  startTimeoutSeconds: number;
  quietWaitSeconds: number;
  redisUrl: string;
  pgAdminUrl: string;
  resultsDir: string;
}

export const MEMORY_DEFAULTS = { readers: 10_000, rounds: 3, connectBatch: 200, idleSeconds: 5 } as const;
export const MEMORY_QUICK_PRESET = { readers: 1000, rounds: 1, idleSeconds: 2 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): 50 readers, one round, no quiet-wait. */
export const MEMORY_SMOKE_PRESET = { readers: 50, rounds: 1, idleSeconds: 0.5, quietWaitSeconds: 0 } as const;
/** Readers per generator process at most: ~2 fds each, under a 20,000 `ulimit -n` with room to spare. */
const READERS_PER_GENERATOR = 5000;

export const MEMORY_USAGE = `Usage: npm run bench:memory -- [options]

  --readers N         idle subscribed readers on the one node (default ${MEMORY_DEFAULTS.readers})
  --generators N      reader processes (default: one per ${READERS_PER_GENERATOR} readers)
  --rounds N          rounds per target, alternating, each on freshly started nodes (default ${MEMORY_DEFAULTS.rounds})
  --quick             quick preset: ${MEMORY_QUICK_PRESET.readers} readers, ${MEMORY_QUICK_PRESET.rounds} round
  --smoke             CI preset: ${MEMORY_SMOKE_PRESET.readers} readers, ${MEMORY_SMOKE_PRESET.rounds} round, no quiet-wait (judges nothing)
  --targets LIST      ours,baseline (default both)
  --idle N            seconds the readers idle before the "after" sample (default ${MEMORY_DEFAULTS.idleSeconds})
  --connect-batch N   readers opened at a time per generator (default ${MEMORY_DEFAULTS.connectBatch})
  --no-pin            do not pin the server / generators to cores
  --quiet-wait N      before each round, wait up to N s for the shared machine to go quiet (default 20; 0: never)
  --start-timeout N   seconds a node may take to start (default 300)
  --results-dir DIR   where to write memory-<timestamp>.json (default bench/results)

Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export const MEMORY_FLAGS = {
  readers: { type: 'string' },
  generators: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  targets: { type: 'string' },
  idle: { type: 'string' },
  'connect-batch': { type: 'string' },
  'no-pin': { type: 'boolean', default: false },
  'quiet-wait': { type: 'string' },
  'start-timeout': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export function parseMemoryArgs(argv: string[], defaults: { resultsDir: string }): MemoryOptions {
  const values = parseBenchFlags(argv, MEMORY_FLAGS, MEMORY_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const presetDefaults = { ...MEMORY_DEFAULTS, quietWaitSeconds: 20 as number };
  const base = smoke ? { ...presetDefaults, ...MEMORY_SMOKE_PRESET } : quick ? { ...presetDefaults, ...MEMORY_QUICK_PRESET } : presetDefaults;
  const targets = (values.targets ?? 'ours,baseline').split(',').map((t) => t.trim());
  for (const t of targets) if (t !== 'ours' && t !== 'baseline') throw new UsageError(`--targets: unknown target ${JSON.stringify(t)} (ours, baseline)`, MEMORY_USAGE);
  const readers = positive('readers', values.readers, base.readers, { integer: true, min: 1 });
  return {
    readers,
    generators: positive('generators', values.generators, Math.ceil(readers / READERS_PER_GENERATOR), { integer: true, min: 1 }),
    rounds: positive('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    connectBatch: positive('connect-batch', values['connect-batch'], base.connectBatch, { integer: true, min: 1 }),
    idleSeconds: positive('idle', values.idle, base.idleSeconds, { integer: false, min: 0 }),
    targets: [...new Set(targets)] as TargetName[],
    pin: values['no-pin'] !== true,
    quick,
    smoke,
    startTimeoutSeconds: positive('start-timeout', values['start-timeout'], 300, { integer: false }),
    quietWaitSeconds: positive('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, { integer: false, min: 0 }),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
