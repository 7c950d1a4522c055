import { positive, UsageError } from '../fanout/options';
import { parseBenchFlags } from '../common/cli';

export interface RenderOptions {
  comments: number;
  depth: number;
  /** Requests in flight at once (closed loop). */
  concurrency: number;
  /** Measured seconds per target per round. */
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  pin: boolean;
  quick: boolean;
  /** `--smoke`: the CI preset (proves every variant serves pages; judges no time). */
  smoke: boolean;
  quietWaitSeconds: number;
  startTimeoutSeconds: number;
  resultsDir: string;
}

export const RENDER_DEFAULTS = { comments: 2000, depth: 8, concurrency: 4, seconds: 10, warmupSeconds: 2, rounds: 3, quietWaitSeconds: 10 } as const;
/** `--quick`: a smoke run, under a minute once the pages are built. Explicit flags still win. */
export const RENDER_QUICK = { seconds: 3, warmupSeconds: 1, rounds: 1, quietWaitSeconds: 3 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): a 200-comment thread, 1 s per variant, no quiet-wait. */
export const RENDER_SMOKE = { comments: 200, concurrency: 2, seconds: 1, warmupSeconds: 0.3, rounds: 1, quietWaitSeconds: 0 } as const;

export const RENDER_USAGE = `Usage: npm run bench:render -- [options]

  --thread-comments N comments in the synthetic thread (default ${RENDER_DEFAULTS.comments})
  --thread-depth N    its deepest reply level (default ${RENDER_DEFAULTS.depth})
  --concurrency N     requests in flight, closed loop on keep-alive sockets (default ${RENDER_DEFAULTS.concurrency})
  --seconds N         measured seconds per target per round (default ${RENDER_DEFAULTS.seconds})
  --warmup N          seconds of load before each measurement (default ${RENDER_DEFAULTS.warmupSeconds})
  --rounds N          rounds, alternating ours page / ours page with its cache off / ours API JSON / baseline first page / baseline all (default ${RENDER_DEFAULTS.rounds})
  --quick             quick preset: ${RENDER_QUICK.seconds} s, ${RENDER_QUICK.rounds} round
  --smoke             CI preset: ${RENDER_SMOKE.comments} comments, ${RENDER_SMOKE.seconds} s, ${RENDER_SMOKE.rounds} round, no quiet-wait (judges no time)
  --no-pin            do not pin servers (core 0) and the load generator (core 1)
  --quiet-wait N      before each measurement, wait up to N s for the machine to go quiet (default ${RENDER_DEFAULTS.quietWaitSeconds}; 0: never)
  --start-timeout N   seconds a server may take to start (default 300: Threadline may build its pages)
  --results-dir DIR   where to write render-<timestamp>.json (default bench/results)`;

export const RENDER_FLAGS = {
  'thread-comments': { type: 'string' },
  'thread-depth': { type: 'string' },
  concurrency: { type: 'string' },
  seconds: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  'no-pin': { type: 'boolean', default: false },
  'quiet-wait': { type: 'string' },
  'start-timeout': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export function parseRenderArgs(argv: string[], defaults: { resultsDir: string }): RenderOptions {
  const values = parseBenchFlags(argv, RENDER_FLAGS, RENDER_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const base = smoke ? { ...RENDER_DEFAULTS, ...RENDER_SMOKE } : quick ? { ...RENDER_DEFAULTS, ...RENDER_QUICK } : RENDER_DEFAULTS;
  const num = (name: string, raw: string | undefined, fallback: number, opts: { integer: boolean; min?: number }) => {
    try {
      return positive(name, raw, fallback, opts);
    } catch (err) {
      throw new UsageError((err as Error).message, RENDER_USAGE);
    }
  };
  return {
    comments: num('thread-comments', values['thread-comments'], base.comments, { integer: true, min: 1 }),
    depth: num('thread-depth', values['thread-depth'], base.depth, { integer: true, min: 1 }),
    concurrency: num('concurrency', values.concurrency, base.concurrency, { integer: true, min: 1 }),
    seconds: num('seconds', values.seconds, base.seconds, { integer: false }),
    warmupSeconds: num('warmup', values.warmup, base.warmupSeconds, { integer: false, min: 0 }),
    rounds: num('rounds', values.rounds, base.rounds, { integer: true, min: 1 }),
    pin: values['no-pin'] !== true,
    quick,
    smoke,
    quietWaitSeconds: num('quiet-wait', values['quiet-wait'], base.quietWaitSeconds, { integer: false, min: 0 }),
    startTimeoutSeconds: num('start-timeout', values['start-timeout'], 300, { integer: false }),
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
