import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { waitFor } from './wait';

/** The shared development Redis; the tests keep to keys and channels under their own prefix. */
export const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export function uniqueRedisPrefix(): string {
  return `${process.env.TEST_REDIS_PREFIX || 'test'}-${randomBytes(6).toString('hex')}`;
}

/**
 * The URL a node connects with: the same Redis, with a connection name
 * (ioredis reads `connectionName` from the query) so that the test can find
 * this node's own connections in CLIENT LIST and leave everyone else's alone.
 */
export function namedRedisUrl(connectionName: string): string {
  const url = new URL(REDIS_URL);
  url.searchParams.set('connectionName', connectionName);
  return url.toString();
}

/** A plain client for the test itself; a clear failure (never a skip) when Redis is not there. */
export async function connectTestRedis(): Promise<Redis> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  const errors: Error[] = [];
  client.on('error', (err: Error) => void errors.push(err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(err as Error).message}). The cluster tests need a real Redis: ` +
        'start redis-server on 127.0.0.1:6379 (or set TEST_REDIS_URL).',
      { cause: err },
    );
  }
  return client;
}

export interface RedisClientInfo {
  id: string;
  name: string;
  flags: string;
  sub: number;
  psub: number;
}

export async function listClients(admin: Redis): Promise<RedisClientInfo[]> {
  const text = (await admin.call('CLIENT', 'LIST')) as string;
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = new Map<string, string>();
      for (const pair of line.trim().split(' ')) {
        const eq = pair.indexOf('=');
        if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return {
        id: fields.get('id') ?? '',
        name: fields.get('name') ?? '',
        flags: fields.get('flags') ?? '',
        sub: Number(fields.get('sub') ?? 0),
        psub: Number(fields.get('psub') ?? 0),
      };
    });
}

/** The node's subscriber connection, once it has its pattern and channel subscriptions (what the adapter needs). */
async function subscribedConnection(admin: Redis, connectionName: string): Promise<RedisClientInfo | undefined> {
  return (await listClients(admin)).find((c) => c.name === connectionName && c.psub >= 1 && c.sub >= 1);
}

export async function waitForSubscriber(admin: Redis, connectionName: string, timeoutMs = 10_000): Promise<RedisClientInfo> {
  return waitFor(`the Redis subscriber of ${connectionName} to be subscribed`, () => subscribedConnection(admin, connectionName), { timeoutMs });
}

/**
 * `CLIENT KILL … TYPE pubsub` for this node's subscriber only. Returns the id
 * of the killed connection.
 */
export async function killSubscriber(admin: Redis, connectionName: string): Promise<string> {
  const target = (await listClients(admin)).find((c) => c.name === connectionName && (c.sub > 0 || c.psub > 0));
  if (!target) throw new Error(`no subscriber connection named ${connectionName}`);
  const killed = Number(await admin.call('CLIENT', 'KILL', 'ID', target.id, 'TYPE', 'pubsub'));
  if (killed !== 1) throw new Error(`CLIENT KILL ID ${target.id} TYPE pubsub killed ${killed} connections`);
  return target.id;
}

/** Deletes any keys a test left under its prefix (the adapter uses channels only, but be tidy). */
export async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
