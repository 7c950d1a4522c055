import { performance } from 'node:perf_hooks';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { percentileOfSorted } from '../common/stats';
import { openLimiterClient, type ClientKind, type Endpoint } from './clients';

export interface LimiterSize {
  /** consume() calls in the timed part. */
  calls: number;
  /** Calls in flight at once, as concurrent requests would be. */
  concurrency: number;
  /** Distinct keys (guests); each is allowed fewer points than it spends, so both answers occur. */
  keys: number;
}

export interface LimiterResult {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  /** Answers from the in-memory insurance limiter (Redis failed a call): 0 when the client kept up. */
  insured: number;
}

/** RateLimiterRedis over `kind`'s client, configured as server/rateLimits.ts does (insurance limiter, reject when not ready). */
export async function runLimiter(kind: ClientKind, options: { endpoint: Endpoint; prefix: string; size: LimiterSize }): Promise<LimiterResult> {
  const { size } = options;
  const client = await openLimiterClient(kind, options.endpoint);
  const points = Math.ceil(((size.calls / size.keys) * 2) / 3);
  let insured = 0;
  const insurance = new RateLimiterMemory({ points, duration: 60 });
  const insuranceLimiter = new Proxy(insurance, {
    get(target, prop, receiver) {
      if (prop === 'consume') insured++;
      return Reflect.get(target, prop, receiver);
    },
  });
  const limiter = new RateLimiterRedis({
    storeClient: client.storeClient,
    useRedisPackage: client.useRedisPackage,
    keyPrefix: `${options.prefix}:rl`,
    points,
    duration: 60,
    insuranceLimiter,
    rejectIfRedisNotReady: true,
  });
  try {
    let refused = 0;
    const consume = (key: string) =>
      limiter.consume(key).then(
        () => undefined,
        (err: unknown) => {
          if (!(err instanceof RateLimiterRes)) throw err;
          refused++;
        },
      );
    // Warm-up: connections, script cache (EVALSHA), JIT.
    for (let i = 0; i < 200; i++) await consume(`warm-${i}`);
    insured = 0;
    refused = 0;
    const latencies = new Float64Array(size.calls);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: size.concurrency }, async () => {
        while (next < size.calls) {
          const i = next++;
          const t = performance.now();
          await consume(`guest-${i % size.keys}`);
          latencies[i] = performance.now() - t;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort();
    return { opsPerSecond: size.calls / seconds, p50Ms: percentileOfSorted(latencies, 50), p99Ms: percentileOfSorted(latencies, 99), refused, insured };
  } finally {
    await client.close();
  }
}
