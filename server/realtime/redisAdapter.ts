import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Logger } from '../log';
import type { Metrics } from '../metrics/metrics';
import { openRedis, type RedisSettings } from '../redisEndpoint';
import type { IoServer } from './types';

const QUIT_TIMEOUT_MS = 1000;

export interface RedisFanout {
  /** Resolves when the publisher answers PING and the subscriber is connected (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The sharded adapter's channel for one room: it lives on the one shard that owns this name's slot. */
export function shardedRoomChannel(prefix: string, room: string): string {
  return `${prefix}:socket.io#/#${room}#`;
}

/**
 * Joins this node to the others through Redis pub/sub. Losing Redis must not
 * stop a node: publishes while it is down are dropped (readers recover them by
 * seq), never queued without bound, and a failed publish is logged, not thrown.
 */
export function useRedisAdapter(options: { io: IoServer; redis: RedisSettings; log: Logger; onReconnect?: () => void; metrics?: Metrics }): RedisFanout {
  const { io, redis, log } = options;
  const { prefix } = redis;
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);
  const pub = openRedis(redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
  // The subscriber keeps its subscriptions queued until Redis is back, then ioredis re-subscribes.
  const sub = openRedis(redis, { maxRetriesPerRequest: null, retryStrategy, lazyConnect: false });

  let warned = false;
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (err: Error) => {
      options.metrics?.adapterErrors.inc({ client: name, kind: 'error' });
      if (!warned) log.warn(`Redis ${name}: ${err.message}; fan-out to other nodes paused, this node keeps serving`);
      warned = true;
    });
    client.on('reconnecting', () => options.metrics?.adapterErrors.inc({ client: name, kind: 'reconnect' }));
    client.on('ready', () => {
      if (warned) log.info(`Redis ${name} connected again; fan-out resumes`);
      warned = false;
    });
  }
  let subscriberWasReady = false;
  sub.on('ready', () => {
    if (subscriberWasReady) options.onReconnect?.();
    subscriberWasReady = true;
  });

  // The adapter does not handle a failed publish, nor a failed unsubscribe when it closes while Redis is
  // down; an unhandled rejection would end the process.
  const commands = [[pub, 'publish'], [pub, 'spublish'], [sub, 'unsubscribe'], [sub, 'punsubscribe'], [sub, 'sunsubscribe']] as const;
  for (const [client, command] of commands) {
    const original = (client[command] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => {
      const sent = original(...args);
      sent.catch(() => {});
      return sent;
    };
  }

  // Sharded: one channel per room (a thread), subscribed only by the nodes that have readers of it, each on
  // the shard that owns the channel's slot. Classic: one pattern subscription that hears every room.
  io.adapter(
    redis.adapter === 'sharded'
      ? createShardedAdapter(pub, sub, { channelPrefix: `${prefix}:socket.io`, subscriptionMode: 'dynamic' })
      : createAdapter(pub, sub, { key: `${prefix}:socket.io` }),
  );

  return {
    async ping() {
      if (sub.status !== 'ready') throw new Error(`Redis subscriber is ${sub.status}`);
      await pub.ping();
    },
    async close() {
      // QUIT politely when Redis is there; when it is not, a queued QUIT would wait for it forever.
      const connected = [pub, sub].filter((c) => c.status === 'ready');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(connected.map((c) => c.quit())),
        new Promise((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
