import { Redis } from 'ioredis';

/**
 * Put before every bench Redis prefix: BENCH_REDIS_KEY_PREFIX, e.g. the test run's
 * TEST_REDIS_PREFIX, so that run's own cleanup also covers a smoke run's keys.
 */
function keyRoot(): string {
  return process.env.BENCH_REDIS_KEY_PREFIX ?? '';
}

/** A bench Redis prefix: `bench-<name>` under the run's key root. */
export function benchRedisPrefix(name: string): string {
  return `${keyRoot()}bench-${name}`;
}

/**
 * Deletes every key under a bench prefix. The adapter itself only uses pub/sub
 * channels (nothing persists), but a server may keep presence or rate data
 * under its prefix. Refuses prefixes not starting with "bench" so a bad
 * argument can never wipe someone else's keys.
 */
export async function deleteKeysWithPrefix(options: { redisUrl: string; prefix: string }): Promise<number> {
  const root = keyRoot();
  const own = options.prefix.startsWith(root) ? options.prefix.slice(root.length) : '';
  if (!/^bench[A-Za-z0-9_-]*[:-]?$/.test(own) || own.length < 8) {
    throw new Error(`refusing to delete Redis keys under ${JSON.stringify(options.prefix)}: not a bench prefix`);
  }
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${options.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** The Redis server's pid when it runs on this machine, to sample its CPU; null otherwise. */
export async function localRedisPid(redisUrl: string): Promise<number | null> {
  const host = new URL(redisUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return null;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
