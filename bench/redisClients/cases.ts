/**
 * The nine cases of the Redis-client comparison: where each runs (the shared
 * Redis, the bench's own cluster, or the bench's own restartable server), what
 * it measures and which of its metrics decides "better".
 */
import type { OwnRedisCluster } from '../../server/testing/redisCluster';
import type { OwnRedisServer } from '../../server/testing/redisServer';
import { deleteKeysWithPrefix } from '../common/redisKeys';
import type { ClientKind, Endpoint } from './clients';
import { runFanout, type FanoutSize } from './fanout';
import { FAULTS, runFault } from './faults';
import { runLimiter, type LimiterSize } from './limiter';

export interface Sizes {
  fanout: FanoutSize;
  limiter: LimiterSize;
}

/** Where a case runs: the shared Redis, the bench's own cluster, or the bench's own restartable server. */
export interface Services {
  redisUrl: string;
  cluster(): Promise<OwnRedisCluster>;
  ownServer(): Promise<OwnRedisServer>;
}

export type Metrics = Record<string, number>;

export interface Case {
  name: string;
  /** Which metric decides "better", and in which direction. */
  headline: { metric: string; lowerIsBetter: boolean };
  run(kind: ClientKind, services: Services, prefix: string, sizes: Sizes): Promise<Metrics>;
}

const ADAPTER_MODES = ['classic', 'sharded'] as const;
const single = (s: Services): Endpoint => ({ url: s.redisUrl });
const cluster = async (s: Services): Promise<Endpoint> => ({ clusterNodes: (await s.cluster()).urls });

export const CASES: Case[] = [
  ...ADAPTER_MODES.map(
    (mode): Case => ({
      name: `fanout-${mode}-single`,
      headline: { metric: 'cpuUsPerMessage', lowerIsBetter: true },
      run: async (kind, s, prefix, sizes) => ({ ...(await runFanout(kind, { endpoint: single(s), mode, prefix, size: sizes.fanout })) }),
    }),
  ),
  {
    name: 'fanout-sharded-cluster',
    headline: { metric: 'cpuUsPerMessage', lowerIsBetter: true },
    run: async (kind, s, prefix, sizes) => ({ ...(await runFanout(kind, { endpoint: await cluster(s), mode: 'sharded', prefix, size: sizes.fanout })) }),
  },
  {
    name: 'limiter-single',
    headline: { metric: 'opsPerSecond', lowerIsBetter: false },
    run: async (kind, s, prefix, sizes) => {
      try {
        return { ...(await runLimiter(kind, { endpoint: single(s), prefix, size: sizes.limiter })) };
      } finally {
        await deleteKeysWithPrefix({ redisUrl: s.redisUrl, prefix });
      }
    },
  },
  {
    name: 'limiter-cluster',
    headline: { metric: 'opsPerSecond', lowerIsBetter: false },
    run: async (kind, s, prefix, sizes) => ({ ...(await runLimiter(kind, { endpoint: await cluster(s), prefix, size: sizes.limiter })) }),
  },
  ...FAULTS.flatMap((fault) =>
    ADAPTER_MODES.map(
      (mode): Case => ({
        name: `${fault}-${mode}`,
        headline: { metric: 'recoverMs', lowerIsBetter: true },
        run: async (kind, s, prefix) => ({ recoverMs: await runFault(kind, { fault, redis: await s.ownServer(), mode, prefix }) }),
      }),
    ),
  ),
];

/** `--cases`: comma-separated names or prefixes (`fanout`, `restart`), or `all`. Throws when nothing matches. */
export function selectCases(wanted: string): Case[] {
  const prefixes = wanted === 'all' ? [''] : wanted.split(',').map((c) => c.trim());
  const cases = CASES.filter((c) => prefixes.some((p) => c.name.startsWith(p)));
  if (cases.length === 0) throw new Error(`no case matches --cases ${wanted}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  return cases;
}
