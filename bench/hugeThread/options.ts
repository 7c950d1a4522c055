import { positive, UsageError } from '../fanout/options';
import { parseBenchFlags } from '../common/cli';

export type HugeStore = 'sqlite' | 'postgres';

export interface HugeThreadOptions {
  /** Thread sizes compared: the first screen of each, through the same service call the API makes. */
  sizes: number[];
  depth: number;
  /** Measured first-page loads per size and store. */
  calls: number;
  /** Memory: this many threads of `heapComments` comments, each opened once, then heap after GC. */
  heapThreads: number;
  heapComments: number;
  stores: HugeStore[];
  quick: boolean;
  smoke: boolean;
  pgAdminUrl: string;
  resultsDir: string;
}

export const HUGE_DEFAULTS = { sizes: [200, 10_000], depth: 8, calls: 60, heapThreads: 50, heapComments: 2000 } as const;
export const HUGE_QUICK = { calls: 20, heapThreads: 10 } as const;
/** `--smoke`: what CI runs (bench/smoke.integration.test.ts): small threads, a few calls; judges no time. */
export const HUGE_SMOKE = { sizes: [200, 1000], calls: 5, heapThreads: 4, heapComments: 200 } as const;

export const HUGE_USAGE = `Usage: npm run bench:huge -- [options]

  --sizes LIST         thread sizes whose first page is compared (default ${HUGE_DEFAULTS.sizes.join(',')})
  --depth N            deepest reply level of the synthetic threads (default ${HUGE_DEFAULTS.depth})
  --calls N            measured first-page loads per size and store (default ${HUGE_DEFAULTS.calls})
  --heap-threads N     memory: threads opened once each before the heap sample (default ${HUGE_DEFAULTS.heapThreads})
  --heap-comments N    comments in each of them (default ${HUGE_DEFAULTS.heapComments})
  --stores LIST        sqlite,postgres (default both)
  --quick              quick preset: ${HUGE_QUICK.calls} calls, ${HUGE_QUICK.heapThreads} heap threads
  --smoke              CI preset: sizes ${HUGE_SMOKE.sizes.join(',')}, ${HUGE_SMOKE.calls} calls, ${HUGE_SMOKE.heapThreads} × ${HUGE_SMOKE.heapComments} heap threads (judges no time)
  --no-pin             accepted for symmetry with the other benches (nothing is pinned here)
  --results-dir DIR    where to write huge-<timestamp>.json (default bench/results)

Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export const HUGE_FLAGS = {
  sizes: { type: 'string' },
  depth: { type: 'string' },
  calls: { type: 'string' },
  'heap-threads': { type: 'string' },
  'heap-comments': { type: 'string' },
  stores: { type: 'string' },
  quick: { type: 'boolean', default: false },
  smoke: { type: 'boolean', default: false },
  // Accepted like every bench's: this one runs in process and pins nothing.
  'no-pin': { type: 'boolean', default: false },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export function parseHugeArgs(argv: string[], defaults: { resultsDir: string }): HugeThreadOptions {
  const values = parseBenchFlags(argv, HUGE_FLAGS, HUGE_USAGE);
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  const base = smoke ? { ...HUGE_DEFAULTS, ...HUGE_SMOKE } : quick ? { ...HUGE_DEFAULTS, ...HUGE_QUICK } : HUGE_DEFAULTS;
  const num = (name: string, raw: string | undefined, fallback: number) => {
    try {
      return positive(name, raw, fallback, { integer: true, min: 1 });
    } catch (err) {
      throw new UsageError((err as Error).message, HUGE_USAGE);
    }
  };
  const sizes = values.sizes === undefined ? [...base.sizes] : values.sizes.split(',').map((s) => num('sizes', s.trim(), 0));
  const stores = (values.stores ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  for (const s of stores) if (s !== 'sqlite' && s !== 'postgres') throw new UsageError(`--stores: unknown store ${JSON.stringify(s)} (sqlite, postgres)`, HUGE_USAGE);
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    depth: num('depth', values.depth, base.depth),
    calls: num('calls', values.calls, base.calls),
    heapThreads: num('heap-threads', values['heap-threads'], base.heapThreads),
    heapComments: num('heap-comments', values['heap-comments'], base.heapComments),
    stores: [...new Set(stores)] as HugeStore[],
    quick,
    smoke,
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    resultsDir: values['results-dir'] ?? defaults.resultsDir,
  };
}
