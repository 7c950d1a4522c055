import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { buildLimiters, DEFAULT_MAX_SOCKETS_PER_ADDRESS, type LimiterFactory, type LimitRules, type Limiters } from '../lib/services/limits';
import { fromFlexible } from '../lib/services/rateLimiter';
import type { Logger } from './log';
import { openRedis, type RedisEndpoint } from './redisEndpoint';

export interface RateLimits {
  limiters: Limiters;
  /** Socket.IO connections open at once per client address (MAX_SOCKETS_PER_ADDRESS); null: no cap. */
  maxSocketsPerAddress: number | null;
  /** Closes the Redis connection, if there is one. */
  close(): Promise<void>;
}

/** A limit check must never hold a request up for long: past this, the insurance limiter answers. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * The node's rate limiters. With Redis, every node counts in the same keys
 * (under the deployment's prefix); while Redis is down each node falls back to
 * an in-memory "insurance" limiter with the same rule, so limits hold (per
 * node) instead of failing open or failing every request.
 */
export function createRateLimits(options: {
  rules?: Partial<LimitRules>;
  /** False: RATE_LIMITS=off. */
  enabled: boolean;
  /** MAX_SOCKETS_PER_ADDRESS; unset: the default. */
  maxSocketsPerAddress?: number | 'off' | undefined;
  redis?: (RedisEndpoint & { prefix: string }) | undefined;
  log: Logger;
}): RateLimits {
  const { log } = options;
  const cap = options.maxSocketsPerAddress ?? DEFAULT_MAX_SOCKETS_PER_ADDRESS;
  const maxSocketsPerAddress = options.enabled && cap !== 'off' ? cap : null;
  if (!options.redis || !options.enabled) {
    return { limiters: buildLimiters({ rules: options.rules, enabled: options.enabled }), maxSocketsPerAddress, close: async () => {} };
  }
  const { prefix } = options.redis;
  // No offline queue: while Redis is away a check fails at once and the insurance limiter answers.
  // On a Redis Cluster each check is one key (one slot), so it works there unchanged.
  const client = openRedis(options.redis, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  let warned = false;
  client.on('error', (err: Error) => {
    if (!warned) log.warn(`Redis (rate limits): ${err.message}; each node limits on its own until Redis is back`);
    warned = true;
  });
  client.on('ready', () => {
    if (warned) log.info('Redis (rate limits) connected again; limits are shared again');
    warned = false;
  });

  const factory: LimiterFactory = ({ name, rule }) => {
    const keyPrefix = `${prefix}:rl:${name}`;
    const insuranceLimiter = new RateLimiterMemory({ points: rule.points, duration: rule.durationSeconds, keyPrefix });
    return fromFlexible(
      new RateLimiterRedis({ storeClient: client, keyPrefix, points: rule.points, duration: rule.durationSeconds, insuranceLimiter, rejectIfRedisNotReady: true }),
    );
  };
  return {
    limiters: buildLimiters({ rules: options.rules, enabled: true, factory }),
    maxSocketsPerAddress,
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => {});
      client.disconnect();
    },
  };
}

/** Printed at start with RATE_LIMITS=off: hard to miss in a log, because it must never reach production. */
export function rateLimitsOffBanner(): string {
  const line = '!'.repeat(78);
  return [
    line,
    '!!  RATE_LIMITS=off: posting, liking, reporting, socket events, connections and',
    '!!  HTTP writes are NOT rate-limited. Anyone can flood this server. Use this only',
    '!!  for load tests on a trusted network. (Sign-in and the typing throttle stay',
    '!!  limited.)',
    line,
  ].join('\n');
}
