import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/** How nodes meet through Redis: classic pub/sub (PUBLISH) or sharded pub/sub (SPUBLISH, Redis ≥ 7). */
export type RedisAdapterMode = 'classic' | 'sharded';

/** One Redis server (REDIS_URL), or a Redis Cluster reached through some of its masters (REDIS_CLUSTER_NODES). */
export type RedisEndpoint = { url: string; clusterNodes?: undefined } | { clusterNodes: string[]; url?: undefined };

/** What a node needs to share fan-out and rate limits with the other nodes. */
export type RedisSettings = RedisEndpoint & {
  prefix: string;
  /** Classic unless given; a Redis Cluster is only used in sharded mode (config.ts enforces it). */
  adapter?: RedisAdapterMode;
};

export type RedisClient = Redis | Cluster;

/**
 * A client for the endpoint with the given per-connection options. On a
 * cluster, `retryStrategy` paces reconnecting to the cluster as a whole, the
 * offline queue is the cluster's, and sharded subscriptions go to the master
 * that owns each channel's slot (one subscriber connection per master).
 */
export function openRedis(endpoint: RedisEndpoint, options: RedisOptions): RedisClient {
  if (endpoint.url !== undefined) return new Redis(endpoint.url, options);
  const nodes = endpoint.clusterNodes.map(clusterNode);
  const first = new URL(endpoint.clusterNodes[0]!);
  const { retryStrategy, enableOfflineQueue, lazyConnect, ...perNode } = options;
  return new Cluster(nodes, {
    redisOptions: {
      ...perNode,
      // Every master shares the credentials and TLS setting of the first seed.
      ...(first.username && { username: decodeURIComponent(first.username) }),
      ...(first.password && { password: decodeURIComponent(first.password) }),
      ...(first.protocol === 'rediss:' && { tls: {} }),
    },
    ...(retryStrategy && { clusterRetryStrategy: retryStrategy }),
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(lazyConnect !== undefined && { lazyConnect }),
    shardedSubscribers: true,
  });
}

function clusterNode(url: string): ClusterNode {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : 6379 };
}

/** For the start-up log line: never the URL itself, which may hold a password. */
export function describeRedis(settings: RedisSettings | undefined): string {
  if (!settings) return 'single node';
  const adapter = settings.adapter ?? 'classic';
  return settings.url !== undefined ? `REDIS_URL set, ${adapter} adapter` : `Redis Cluster (${settings.clusterNodes.length} seed nodes), ${adapter} adapter`;
}
