import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommentResponseSchema } from '../../lib/contract';
import { threadRoom } from '../../lib/contract/socket';
import { shardedRoomChannel } from '../realtime/redisAdapter';
import { HttpGuest } from '../testing/http';
import { createOpenThread, type TestNode } from '../testing/nodes';
import { listClients, namedRedisUrl } from '../testing/redis';
import { ThreadReader } from '../testing/threadReader';
import { waitFor } from '../testing/wait';
import { useNodes } from '../testing/suites';

/** Only fan-out (never the periodic seq sync) can bring a reader a comment posted on the other node. */
const SLOW_SYNC_MS = 120_000;

/**
 * REDIS_ADAPTER=sharded on one Redis (≥ 7): SPUBLISH/SSUBSCRIBE, a channel per
 * thread. The cluster itself is covered by faults/redisCluster.faults.test.ts.
 */
describe('two nodes with the sharded adapter on one Redis', () => {
  const suite = useNodes({ redis: true, closeNodes: 'afterEach' });
  const { prefix, sockets } = suite;

  const start = (name: string) => suite.start({ rateLimits: false, syncIntervalMs: SLOW_SYNC_MS, redis: { url: namedRedisUrl(name), prefix, adapter: 'sharded' } });

  async function reader(node: TestNode, slug: string, afterSeq: number): Promise<ThreadReader> {
    const r = new ThreadReader(await sockets.connect(node.baseUrl), node.baseUrl, slug);
    await r.start(afterSeq);
    return r;
  }

  /** `nodes` nodes hold the thread's channel (only those with readers of it do): what is published from now on reaches them. */
  const subscribedNodes = (slug: string, nodes: number) =>
    waitFor(`${nodes} node(s) to subscribe to the thread’s channel`, async () => {
      const [, count] = (await suite.admin.call('PUBSUB', 'SHARDNUMSUB', shardedRoomChannel(prefix, threadRoom(slug)))) as [string, number];
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
    const subscriber = await waitFor('B’s sharded subscriber', async () => (await listClients(suite.admin)).find((c) => c.name === names.b && c.flags.includes('P')));
    assert.equal(Number(await suite.admin.call('CLIENT', 'KILL', 'ID', subscriber.id)), 1);
    // Back once B's new connection holds the thread's channel again.
    await subscribedNodes(t.slug, 1);
    const seq = await post(a, t.slug, 'after the reconnection');
    await onB.waitUntilAt(seq);
    assert.deepEqual(onB.errors, []);
    assert.ok(onB.seqs('live').includes(seq), 'heard live through the new subscription');
  });
});
