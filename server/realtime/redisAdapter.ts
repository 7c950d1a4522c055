import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { Metrics } from '../metrics/metrics';
import type { IoServer } from './types';

export interface RedisFanout {
  /** Resolves when the publisher answers PING and the subscriber is connected (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Joins this node to the others through Redis pub/sub. Losing Redis must not
 * stop a node: publishes while it is down are dropped (readers recover them by
 * seq), never queued without bound, and a failed publish is logged, not thrown.
 */
export function useRedisAdapter(options: { io: IoServer; url: string; prefix: string; log: Logger; onReconnect?: () => void; metrics?: Metrics }): RedisFanout {
  const { io, url, prefix, log } = options;
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
  // The subscriber keeps its subscriptions queued until Redis is back, then ioredis re-subscribes.
  const sub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy, lazyConnect: false });

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

  // The adapter does not handle a failed publish; an unhandled rejection would end the process.
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, message) => {
    const sent = publish(channel, message);
    sent.catch(() => {});
    return sent;
  };

  io.adapter(createAdapter(pub, sub, { key: `${prefix}:socket.io` }));

  return {
    async ping() {
      if (sub.status !== 'ready') throw new Error(`Redis subscriber is ${sub.status}`);
      await pub.ping();
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
