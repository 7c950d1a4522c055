import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { CommentResponseSchema } from '../lib/contract';
import { threadRoom } from '../lib/contract/socket';
import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { shardedRoomChannel } from './realtime/redisAdapter';
import { HttpGuest } from './testing/http';
import { createOpenThread, startNode, type TestNode } from './testing/nodes';
import { connectTestRedis, deleteKeys, listClients, namedRedisUrl, uniqueRedisPrefix } from './testing/redis';
import { SocketPool } from './testing/sockets';
import { ThreadReader } from './testing/threadReader';
import { waitFor } from './testing/wait';

/** Only fan-out (never the periodic seq sync) can bring a reader a comment posted on the other node. */
const SLOW_SYNC_MS = 120_000;

/**
 * REDIS_ADAPTER=sharded on one Redis (≥ 7): SPUBLISH/SSUBSCRIBE, a channel per
 * thread. The cluster itself is covered by faults/redisCluster.faults.test.ts.
 */
describe('two nodes with the sharded adapter on one Redis', () => {
  let db: TestDatabase | undefined;
  let admin: Redis | undefined;
  const prefix = uniqueRedisPrefix();
  const nodes: TestNode[] = [];
  const sockets = new SocketPool();

  before(async () => {
    admin = await connectTestRedis();
    db = await createTestDatabase('postgres');
  });
  afterEach(async () => {
    sockets.closeAll();
    for (const node of nodes.splice(0)) await node.close();
  });
  after(async () => {
    await db?.cleanup();
    if (admin) {
      await deleteKeys(admin, prefix);
      await admin.quit();
    }
  });

  async function start(name: string): Promise<TestNode> {
    const node = await startNode({ db: db!, rateLimits: false, syncIntervalMs: SLOW_SYNC_MS, redis: { url: namedRedisUrl(name), prefix, adapter: 'sharded' } });
    nodes.push(node);
    return node;
  }

  async function reader(node: TestNode, slug: string, afterSeq: number): Promise<ThreadReader> {
    const r = new ThreadReader(await sockets.connect(node.baseUrl), node.baseUrl, slug);
    await r.start(afterSeq);
    return r;
  }

  /** `nodes` nodes hold the thread's channel (only those with readers of it do): what is published from now on reaches them. */
  const subscribedNodes = (slug: string, nodes: number) =>
    waitFor(`${nodes} node(s) to subscribe to the thread’s channel`, async () => {
      const [, count] = (await admin!.call('PUBSUB', 'SHARDNUMSUB', shardedRoomChannel(prefix, threadRoom(slug)))) as [string, number];
      return Number(count) === nodes;
    });

  async function post(node: TestNode, slug: string, body: string): Promise<number> {
    const res = await new HttpGuest(node.baseUrl).post(slug, { body, authorName: 'Poster' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return CommentResponseSchema.parse(res.body).comment.seq;
  }

  test('a comment posted on A reaches a reader on B live, and the other way', async () => {
    const [a, b] = [await start(`${prefix}-a`), await start(`${prefix}-b`)];
    const t = await createOpenThread(a.services, 'sharded');
    const onA = await reader(a, t.slug, t.seq);
    const onB = await reader(b, t.slug, t.seq);
    await subscribedNodes(t.slug, 2);
    const seqs = [await post(a, t.slug, 'on A'), await post(b, t.slug, 'on B')];
    for (const r of [onA, onB]) {
      await r.waitUntilAt(seqs[1]!);
      assert.deepEqual(r.seqs('live'), seqs);
    }
  });

  test('its subscriber connection killed: the node subscribes again, and delivery resumes', async () => {
    const names = { a: `${prefix}-kill-a`, b: `${prefix}-kill-b` };
    const [a, b] = [await start(names.a), await start(names.b)];
    const t = await createOpenThread(a.services, 'sharded-kill');
    const onB = await reader(b, t.slug, t.seq);
    // A has no reader of the thread, so it does not subscribe to it; it only publishes.
    await subscribedNodes(t.slug, 1);
    const subscriber = await waitFor('B’s sharded subscriber', async () => (await listClients(admin!)).find((c) => c.name === names.b && c.flags.includes('P')));
    assert.equal(Number(await admin!.call('CLIENT', 'KILL', 'ID', subscriber.id)), 1);
    // Back once B's new connection holds the thread's channel again.
    await subscribedNodes(t.slug, 1);
    const seq = await post(a, t.slug, 'after the reconnection');
    await onB.waitUntilAt(seq);
    assert.deepEqual(onB.errors, []);
    assert.ok(onB.seqs('live').includes(seq), 'heard live through the new subscription');
  });
});
