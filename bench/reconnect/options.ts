import { positive, UsageError } from '../fanout/options';
import type { TargetName } from '../common/targets/target';
import { parseBenchFlags } from '../common/cli';

export interface ReconnectOptions {
  readers: number;
  rounds: number;
  rate: number;
  preKillSeconds: number;
  postKillSeconds: number;
  catchUpTimeoutSeconds: number;
  connectBatch: number;
  bodyChars: number;
  targets: TargetName[];
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves the run works; judges no time). */
  smoke: boolean;
  startTimeoutSeconds: number;
  quietWaitSeconds: number;
  redisUrl: string;
  pgAdminUrl: string;
  resultsDir: string;
}

export const RECONNECT_DEFAULTS = { readers: 2000, rounds: 3, rate: 5, preKillSeconds: 2, postKillSeconds: 8, connectBatch: 100 } as const;
export const RECONNECT_QUICK_PRESET = { readers: 200, rounds: 1, preKillSeconds: 1, postKillSeconds: 4 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): 20 readers, one round, 1 s + 1 s of writing, no quiet-wait. */
export const RECONNECT_SMOKE_PRESET = { readers: 20, rounds: 1, preKillSeconds: 1, postKillSeconds: 1, quietWaitSeconds: 0 } as const;

export const RECONNECT_USAGE = `Usage: npm run bench:reconnect -- [options]

  --readers N           readers on one thread, half on each of the two nodes (default ${RECONNECT_DEFAULTS.readers})
  --rounds N            rounds per target, alternating, each on freshly started nodes (default ${RECONNECT_DEFAULTS.rounds})
  --quick               quick preset: ${RECONNECT_QUICK_PRESET.readers} readers, ${RECONNECT_QUICK_PRESET.rounds} round, ${RECONNECT_QUICK_PRESET.preKillSeconds} s + ${RECONNECT_QUICK_PRESET.postKillSeconds} s of writing
  --smoke               CI preset: ${RECONNECT_SMOKE_PRESET.readers} readers, ${RECONNECT_SMOKE_PRESET.rounds} round, ${RECONNECT_SMOKE_PRESET.preKillSeconds} s + ${RECONNECT_SMOKE_PRESET.postKillSeconds} s, no quiet-wait (judges no time)
  --targets LIST        ours,baseline (default both)
  --rate N              comments per second during the storm, open loop, to the surviving node (default ${RECONNECT_DEFAULTS.rate})
  --pre-kill N          seconds of writing before the SIGKILL (default ${RECONNECT_DEFAULTS.preKillSeconds})
  --post-kill N         seconds of writing after it (default ${RECONNECT_DEFAULTS.postKillSeconds})
  --catch-up-timeout N  seconds after the kill to wait for every reader (default 60)
  --connect-batch N     readers opened at a time (default ${RECONNECT_DEFAULTS.connectBatch})
  --body-chars N        comment body length (default 280)
  --no-pin              do not pin servers / generator to cores
  --quiet-wait N        before each round, wait up to N s for the shared machine to go quiet (default 20; 0: never)
  --start-timeout N     seconds a node may take to start (default 300)
  --results-dir DIR     where to write reconnect-<timestamp>.json (default bench/results)

Env: REDIS_URL (default redis://127.0.0.1:6379), BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export const RECONNECT_FLAGS = {
  readers: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  targets: { type: 'string' },
  rate: { type: 'string' },
  'pre-kill': { type: 'string' },
  'post-kill': { type: 'string' },
  'catch-up-timeout': { type: 'string' },
  'connect-batch': { type: 'string' },
  'body-chars': { type: 'string' },
  'no-pin': { type: 'boolean', default: false },
  'quiet-wait': { type: 'string' },
  'start-timeout': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export function parseReconnectArgs(argv: string[], defaults: { resultsDir: string }): ReconnectOptions {
  const values = parseBenchFlags(argv, RECONNECT_FLAGS, RECONNECT_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const presetDefaults = { ...RECONNECT_DEFAULTS, quietWaitSeconds: 20 as number };
  const base = smoke ? { ...presetDefaults, ...RECONNECT_SMOKE_PRESET } : quick ? { ...presetDefaults, ...RECONNECT_QUICK_PRESET } : presetDefaults;
  const targets = (values.targets ?? 'ours,baseline').split(',').map((t) => t.trim());
  for (const t of targets) if (t !== 'ours' && t !== 'baseline') throw new UsageError(`--targets: unknown target ${JSON.stringify(t)} (ours, baseline)`, RECONNECT_USAGE);
  const bodyChars = positive('body-chars', values['body-chars'], 280, { integer: true, min: 40 });
  if (bodyChars > 5000) throw new UsageError('--body-chars: a comment body is at most 5000 characters', RECONNECT_USAGE);
  return {
    readers: positive('readers', values.readers, base.readers, { integer: true, min: 2 }),
    rounds: positive('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    rate: positive('rate', values.rate, base.rate, { integer: false }),
    preKillSeconds: positive('pre-kill', values['pre-kill'], base.preKillSeconds, { integer: false }),
    postKillSeconds: positive('post-kill', values['post-kill'], base.postKillSeconds, { integer: false }),
    catchUpTimeoutSeconds: positive('catch-up-timeout', values['catch-up-timeout'], 60, { integer: false }),
    connectBatch: positive('connect-batch', values['connect-batch'], base.connectBatch, { integer: true, min: 1 }),
    bodyChars,
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
