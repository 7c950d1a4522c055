import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { IoServer } from './types';

export interface RedisFanout {
  close(): Promise<void>;
}

/**
 * Joins this node to the others through Redis pub/sub. Losing Redis must not
 * stop a node: publishes while it is down are dropped (readers recover them by
 * seq), never queued without bound, and a failed publish is logged, not thrown.
 */
export function useRedisAdapter(options: { io: IoServer; url: string; prefix: string; log: Logger; onReconnect?: () => void }): RedisFanout {
  const { io, url, prefix, log } = options;
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
  // The subscriber keeps its subscriptions queued until Redis is back, then ioredis re-subscribes.
  const sub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy, lazyConnect: false });

  let warned = false;
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (err: Error) => {
      if (!warned) log.warn(`Redis ${name}: ${err.message}; fan-out to other nodes paused, this node keeps serving`);
      warned = true;
    });
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
    async close() {
      // QUIT waits for Redis; while it is down (the subscriber queues commands) that would be forever.
      await Promise.allSettled([pub, sub].map((client) => (client.status === 'ready' ? client.quit() : undefined)));
      pub.disconnect();
      sub.disconnect();
    },
  };
}
