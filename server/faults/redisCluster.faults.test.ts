import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { CommentResponseSchema, ErrorResponseSchema } from '../../lib/contract';
import { threadRoom } from '../../lib/contract/socket';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { shardedRoomChannel } from '../realtime/redisAdapter';
import { HttpGuest } from '../testing/http';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import type { NodeProcess } from '../testing/nodeProcess';
import { uniqueRedisPrefix } from '../testing/redis';
import { OwnRedisCluster } from '../testing/redisCluster';
import { SocketPool } from '../testing/sockets';
import { ThreadReader } from '../testing/threadReader';
import { waitFor, within } from '../testing/wait';
import { startNodes } from './cluster';

const READERS_PER_NODE = 3;
/** Long enough that only fan-out through the cluster can bring a reader a comment posted on another node. */
const SLOW_SYNC_MS = '120000';
const POSTS_PER_GUEST = 3;

/**
 * Three node processes against a three-master Redis Cluster of the test's own
 * (sharded pub/sub, REDIS_CLUSTER_NODES): the deployment docs/scaling.md
 * describes, in miniature.
 */
let redis: OwnRedisCluster | undefined;
let db: TestDatabase | undefined;
let store: Store | undefined;
let nodes: NodeProcess[] = [];
const prefix = uniqueRedisPrefix();
const sockets = new SocketPool();

before(async () => {
  redis = await OwnRedisCluster.start({ masters: 3 });
  db = await createTestDatabase('postgres');
  store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  nodes = await startNodes({
    count: 3,
    db,
    prefix,
    env: {
      REDIS_CLUSTER_NODES: redis.urls.join(','),
      SYNC_INTERVAL_MS: SLOW_SYNC_MS,
      // Limits on, kept in the cluster: posts are limited per guest across every node.
      RATE_LIMITS: 'on',
      RATE_LIMIT_POSTS: `${POSTS_PER_GUEST}/600`,
      RATE_LIMIT_HTTP_WRITES: 'off',
    },
  });
});

after(async () => {
  sockets.closeAll();
  for (const node of nodes) await node.kill();
  await store?.close();
  await db?.cleanup();
  await redis?.stop();
});

/** How many subscribers `channel` has on each master (sharded pub/sub counts only the shard's own). */
async function shardSubscribers(channel: string): Promise<number[]> {
  return Promise.all(
    redis!.ports.map(async (port) => {
      const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      try {
        const [, count] = (await client.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
        return Number(count);
      } finally {
        client.disconnect();
      }
    }),
  );
}

test('readers on three nodes hear comments posted on each of them, through one shard of the Redis Cluster', async () => {
  const t = await createOpenThread(createServices({ store: store!, sessionSecret: TEST_SESSION_SECRET }), 'redis-cluster');
  const readers: ThreadReader[] = [];
  for (const node of nodes) {
    for (let i = 0; i < READERS_PER_NODE; i++) {
      const reader = new ThreadReader(await sockets.connect(node.baseUrl), node.baseUrl, t.slug);
      await reader.start(t.seq);
      readers.push(reader);
    }
  }
  // A node subscribes to a room's channel when its first reader joins; a comment published before that is
  // (by design) only recovered by the seq sync, which this test has slowed down. Wait for all three.
  const channel = shardedRoomChannel(prefix, threadRoom(t.slug));
  const perShard = await waitFor('every node to subscribe to the thread’s channel', async () => {
    const counts = await shardSubscribers(channel);
    return counts.reduce((a, b) => a + b, 0) === nodes.length ? counts : undefined;
  });
  // One room, one channel, one shard: the other masters carry nothing for this thread.
  assert.deepEqual([...perShard].sort(), [0, 0, nodes.length], `subscribers per master: ${perShard.join(', ')}`);

  const seqs: number[] = [];
  for (const [i, node] of nodes.entries()) {
    const res = await new HttpGuest(node.baseUrl).post(t.slug, { body: `posted on node ${i}`, authorName: `Node ${i}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    seqs.push(CommentResponseSchema.parse(res.body).comment.seq);
  }
  const last = seqs.at(-1)!;
  await Promise.all(readers.map((r) => r.waitUntilAt(last, 10_000)));
  for (const [i, r] of readers.entries()) {
    assert.deepEqual(r.errors, [], `reader ${i}: no errors`);
    assert.deepEqual(r.seqs(), seqs, `reader ${i} (on ${r.baseUrl}) holds every comment once, in order`);
    assert.deepEqual(r.seqs('live'), seqs, `reader ${i} heard them live, not from a catch-up`);
  }
});

test('a guest’s post limit is counted in the cluster, whichever node it posts to', async () => {
  const t = await createOpenThread(createServices({ store: store!, sessionSecret: TEST_SESSION_SECRET }), 'redis-cluster-limits');
  const first = new HttpGuest(nodes[0]!.baseUrl);
  const statuses: number[] = [];
  for (let i = 0; i <= POSTS_PER_GUEST; i++) {
    // The same guest (same signed cookie) on the next node each time.
    const guest = new HttpGuest(nodes[i % nodes.length]!.baseUrl, first.cookie);
    const res = await guest.post(t.slug, { body: `post ${i}`, authorName: 'Busy' });
    first.cookie ??= guest.cookie;
    statuses.push(res.status);
    if (res.status === 429) assert.equal(ErrorResponseSchema.parse(res.body).error.code, 'rate_limited');
  }
  assert.deepEqual(statuses, [...Array<number>(POSTS_PER_GUEST).fill(201), 429]);
});

test('SIGTERM: every node closes its cluster connections and exits 0', async () => {
  sockets.closeAll();
  for (const node of nodes) node.signal('SIGTERM');
  const exits = await within('the three nodes to exit', Promise.all(nodes.map((n) => n.exited)), 15_000);
  assert.deepEqual(
    exits.map((e) => e.code),
    nodes.map(() => 0),
    nodes.map((n) => n.output()).join('\n'),
  );
  // Nothing of theirs is left on the shards (sharded subscriptions included).
  const clients = await Promise.all(
    redis!.ports.map(async (port) => {
      const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      try {
        return String(await client.client('LIST')).trim().split('\n').length;
      } finally {
        client.disconnect();
      }
    }),
  );
  assert.deepEqual(clients, redis!.ports.map(() => 1), 'only this check’s own connection on each master');
});
