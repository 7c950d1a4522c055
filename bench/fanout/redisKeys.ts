import { Redis } from 'ioredis';

/**
 * Deletes every key under a bench prefix. The adapter itself only uses pub/sub
 * channels (nothing persists), but a server may keep presence or rate data
 * under its prefix. Refuses prefixes not starting with "bench" so a bad
 * argument can never wipe someone else's keys.
 */
export async function deleteKeysWithPrefix(options: { redisUrl: string; prefix: string }): Promise<number> {
  if (!/^bench[A-Za-z0-9_-]*[:-]?$/.test(options.prefix) || options.prefix.length < 8) {
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
