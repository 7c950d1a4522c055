import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { Server } from 'socket.io';

/** The two Redis clients under comparison. */
export const CLIENT_KINDS = ['ioredis', 'node-redis'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export type AdapterMode = 'classic' | 'sharded';
/** One Redis server, or a Redis Cluster reached through its seed URLs (sharded mode only, as in production). */
export type Endpoint = { url: string } | { clusterNodes: string[] };

/** The same reconnection pacing the server uses (server/realtime/redisAdapter.ts). */
const backoff = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/** What a case needs of a client pair, whichever library made it. */
export interface AdapterClients {
  close(): Promise<void>;
}

/**
 * Joins `io` to Redis the way the server does: a publisher that drops commands
 * while Redis is away (no offline queue) and a subscriber that keeps its
 * subscriptions and re-subscribes after a reconnect. `name` is the connection
 * name the fault cases find the subscriber by in CLIENT LIST.
 */
export async function attachAdapter(kind: ClientKind, io: Server, options: { endpoint: Endpoint; mode: AdapterMode; prefix: string; name: string }): Promise<AdapterClients> {
  const { endpoint, mode, prefix, name } = options;
  const { pub, sub, close } = kind === 'ioredis' ? await ioredisPair(endpoint, name) : await nodeRedisPair(endpoint, name);
  // A publish while Redis is down rejects, and so can an unsubscribe when the adapter closes (node-redis's
  // cluster even rejects one that races the client's own close); the adapter catches neither, and the
  // server wraps the same commands of its client the same way.
  const commands = [[pub, ['publish', 'spublish', 'sPublish']], [sub, ['unsubscribe', 'punsubscribe', 'sunsubscribe', 'pUnsubscribe', 'sUnsubscribe']]] as const;
  for (const [client, names] of commands) {
    for (const command of names) {
      const original = (client as unknown as Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>)[command];
      if (typeof original !== 'function') continue;
      (client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => {
        const sent = original.apply(client, args);
        sent.catch(() => {});
        return sent;
      };
    }
  }
  io.adapter(
    mode === 'sharded'
      ? createShardedAdapter(pub, sub, { channelPrefix: `${prefix}:socket.io`, subscriptionMode: 'dynamic' })
      : createAdapter(pub, sub, { key: `${prefix}:socket.io` }),
  );
  return { close };
}

async function ioredisPair(endpoint: Endpoint, name: string) {
  const open = (extra: { enableOfflineQueue?: boolean; maxRetriesPerRequest: number | null }, connectionName: string) => {
    if ('url' in endpoint) return new Redis(endpoint.url, { ...extra, retryStrategy: backoff, connectionName });
    const { enableOfflineQueue, ...perNode } = extra;
    return new Cluster(
      endpoint.clusterNodes.map((u) => ({ host: new URL(u).hostname, port: Number(new URL(u).port) })),
      { redisOptions: { ...perNode, connectionName }, clusterRetryStrategy: backoff, ...(enableOfflineQueue !== undefined && { enableOfflineQueue }), shardedSubscribers: true },
    );
  };
  const pub = open({ enableOfflineQueue: false, maxRetriesPerRequest: 1 }, `${name}-pub`);
  const sub = open({ maxRetriesPerRequest: null }, name);
  for (const c of [pub, sub]) c.on('error', () => {});
  await Promise.all([pub, sub].map((c) => new Promise<void>((resolve) => (c.status === 'ready' ? resolve() : c.once('ready', () => resolve())))));
  return {
    pub,
    sub,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function nodeRedisPair(endpoint: Endpoint, name: string) {
  const socket = { reconnectStrategy: backoff };
  const open = (disableOfflineQueue: boolean, connectionName: string) =>
    'url' in endpoint
      ? createClient({ url: endpoint.url, name: connectionName, disableOfflineQueue, socket })
      : createCluster({ rootNodes: endpoint.clusterNodes.map((url) => ({ url })), defaults: { name: connectionName, disableOfflineQueue, socket } });
  const pub = open(true, `${name}-pub`);
  const sub = open(false, name);
  for (const c of [pub, sub]) c.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    pub,
    sub,
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}

/** A client for rate-limiter-flexible's RateLimiterRedis, with the server's options (no offline queue, 500 ms per command). */
export async function openLimiterClient(kind: ClientKind, endpoint: Endpoint): Promise<{ storeClient: unknown; useRedisPackage: boolean; close(): Promise<void> }> {
  if (kind === 'ioredis') {
    const perNode = { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 };
    const client =
      'url' in endpoint
        ? new Redis(endpoint.url, { ...perNode, retryStrategy: backoff })
        : new Cluster(
            endpoint.clusterNodes.map((u) => ({ host: new URL(u).hostname, port: Number(new URL(u).port) })),
            { redisOptions: { maxRetriesPerRequest: 0, commandTimeout: 500 }, enableOfflineQueue: false, clusterRetryStrategy: backoff },
          );
    client.on('error', () => {});
    await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())));
    return { storeClient: client, useRedisPackage: false, close: async () => void (await client.quit().catch(() => {})) };
  }
  const options = { disableOfflineQueue: true, socket: { reconnectStrategy: backoff }, commandOptions: { timeout: 500 } };
  const client = 'url' in endpoint ? createClient({ url: endpoint.url, ...options }) : createCluster({ rootNodes: endpoint.clusterNodes.map((url) => ({ url })), defaults: options });
  client.on('error', () => {});
  await client.connect();
  return { storeClient: client, useRedisPackage: true, close: async () => void (await client.close().catch(() => {})) };
}
