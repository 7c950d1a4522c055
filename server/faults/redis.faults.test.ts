import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { ThreadEventWire } from '../../lib/contract';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { FailoverReader } from '../testing/failoverReader';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { killSubscriber, uniqueRedisPrefix, waitForSubscriber } from '../testing/redis';
import { OwnRedisServer } from '../testing/redisServer';
import { SocketPool } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { assertConverged, startWriter, storedSeqs } from './cluster';

/** The bound: cross-node delivery is back this soon after Redis is. */
const RESUME_WITHIN_MS = 5000;
const READERS_PER_NODE = 10;
const OUTAGE_MS = 3000;

/**
 * Redis failures under a steady stream of posts on both nodes, with a Redis
 * server of the test's own (the machine's shared one is never touched): both
 * nodes stay up and keep taking posts, live delivery across nodes comes back
 * within 5 s, and every reader ends with exactly the database's events.
 */
describe('Redis failures with two nodes', () => {
  let db: TestDatabase | undefined;
  let redis: OwnRedisServer | undefined;
  const nodes: TestNode[] = [];
  const sockets = new SocketPool();

  before(async () => {
    db = await createTestDatabase('postgres');
    redis = await OwnRedisServer.start();
  });
  afterEach(async () => {
    sockets.closeAll();
    for (const node of nodes.splice(0)) await node.close();
  });
  after(async () => {
    await redis?.stop();
    await db?.cleanup();
  });

  async function startCluster(names: [string, string]) {
    const prefix = uniqueRedisPrefix();
    for (const name of names) {
      const url = new URL(redis!.url);
      url.searchParams.set('connectionName', name);
      nodes.push(await startNode({ db: db!, rateLimits: false, syncIntervalMs: 500, redis: { url: url.toString(), prefix } }));
    }
    const [a, b] = nodes as [TestNode, TestNode];
    const t = await createOpenThread(a.services, 'redis fault');
    const urls = [a.baseUrl, b.baseUrl];
    const readers = Array.from({ length: 2 * READERS_PER_NODE }, () => new FailoverReader(sockets, urls, t.slug));
    await Promise.all(readers.map((r, i) => r.start({ node: i % 2, afterSeq: t.seq })));
    // Every arrival on B's readers' sockets, timed: a live event posted on A can only have come through Redis.
    const liveOnB = new Map<number, number>();
    for (const r of readers.filter((_, i) => i % 2 === 1)) {
      r.reader.socket.on('thread:event', (e: ThreadEventWire) => {
        if (!liveOnB.has(e.seq)) liveOnB.set(e.seq, Date.now());
      });
    }
    return { a, b, t, urls, readers, liveOnB };
  }

  type Cluster = Awaited<ReturnType<typeof startCluster>>;

  /** How long after `since` a post acknowledged by A arrived live on B, for the first such post. */
  async function crossNodeResumesWithin(cluster: Cluster, writer: ReturnType<typeof startWriter>, since: number): Promise<number> {
    const firstLive = await waitFor(
      'a post on A to reach a reader on B live again',
      () => {
        const arrivals = writer.acks
          .filter((ack) => ack.url === cluster.a.baseUrl && ack.at >= since)
          .map((ack) => cluster.liveOnB.get(ack.seq))
          .filter((at): at is number => at !== undefined);
        return arrivals.length > 0 ? Math.min(...arrivals) : undefined;
      },
      { timeoutMs: 3 * RESUME_WITHIN_MS },
    );
    return firstLive - since;
  }

  async function finish(cluster: Cluster, writer: ReturnType<typeof startWriter>): Promise<void> {
    await writer.stop();
    assert.deepEqual(writer.failures, [], 'posting worked on both nodes throughout');
    const stored = await storedSeqs(cluster.a.store, cluster.t.slug, cluster.t.seq);
    for (const seq of writer.acknowledged) assert.ok(stored.includes(seq), `acknowledged seq ${seq} is stored`);
    const last = stored.at(-1)!;
    await Promise.all(cluster.readers.map((r) => r.reader.waitUntilAt(last, 20_000)));
    for (const r of cluster.readers) r.stop();
    assertConverged(cluster.readers, stored);
    for (const r of cluster.readers) assert.equal(r.reader.moves, 0, 'no reader lost its connection: the nodes kept serving');
    for (const node of [cluster.a, cluster.b]) assert.equal((await fetch(`${node.baseUrl}/healthz`)).status, 200);
  }

  test('Redis restarted mid-stream: nodes stay up, posting works, cross-node delivery is live again within 5 s, readers converge', async (t) => {
    const cluster = await startCluster([`${uniqueRedisPrefix()}-a`, `${uniqueRedisPrefix()}-b`]);
    const writer = startWriter({ urls: cluster.urls, slug: cluster.t.slug, intervalMs: 25 });
    await crossNodeResumesWithin(cluster, writer, 0);

    await redis!.stop();
    const stoppedAt = writer.acknowledged.length;
    const stoppedTime = Date.now();
    // Long enough for the nodes' reconnection back-off to reach its cap (2 s): the worst case for resuming.
    const duringOutage = await waitFor(
      'three seconds of posts on each node while Redis is down',
      () => {
        const during = writer.acks.slice(stoppedAt + 1);
        const each = cluster.urls.every((url) => during.filter((a) => a.url === url).length >= 10);
        return each && Date.now() - stoppedTime >= OUTAGE_MS ? during : undefined;
      },
      { timeoutMs: OUTAGE_MS + 10_000 },
    );
    await waitFor('the readers on B to catch up from the database while Redis is down', () =>
      cluster.readers.every((r) => r.reader.last >= duringOutage.at(-1)!.seq),
    );
    assert.ok(
      duringOutage.some((ack) => ack.url === cluster.a.baseUrl && !cluster.liveOnB.has(ack.seq)),
      'the outage was real: some of A’s posts never reached B live',
    );
    const ready = await fetch(`${cluster.b.baseUrl}/readyz`);
    assert.equal(ready.status, 503, 'not ready without Redis');

    await redis!.start();
    const back = Date.now();
    const resumedAfter = await crossNodeResumesWithin(cluster, writer, back);
    assert.ok(resumedAfter <= RESUME_WITHIN_MS, `cross-node delivery resumed ${resumedAfter} ms after Redis was back`);
    t.diagnostic(`cross-node delivery live again ${resumedAfter} ms after Redis was back`);
    await waitFor('ready again', async () => (await fetch(`${cluster.b.baseUrl}/readyz`)).status === 200);
    await finish(cluster, writer);
  });

  test('CLIENT KILL TYPE pubsub on both nodes’ subscribers: no crash, posting works, live delivery resumes within 5 s, readers converge', async (t) => {
    const names: [string, string] = [`${uniqueRedisPrefix()}-a`, `${uniqueRedisPrefix()}-b`];
    const cluster = await startCluster(names);
    const admin = new Redis(redis!.url);
    try {
      await waitForSubscriber(admin, names[0]);
      await waitForSubscriber(admin, names[1]);
      const writer = startWriter({ urls: cluster.urls, slug: cluster.t.slug, intervalMs: 25 });
      await crossNodeResumesWithin(cluster, writer, 0);

      await killSubscriber(admin, names[0]);
      await killSubscriber(admin, names[1]);
      const killed = Date.now();
      const resumedAfter = await crossNodeResumesWithin(cluster, writer, killed);
      assert.ok(resumedAfter <= RESUME_WITHIN_MS, `cross-node delivery resumed ${resumedAfter} ms after the subscribers were killed`);
    t.diagnostic(`cross-node delivery live again ${resumedAfter} ms after CLIENT KILL TYPE pubsub`);
      await waitForSubscriber(admin, names[0]);
      await waitForSubscriber(admin, names[1]);
      await finish(cluster, writer);
    } finally {
      admin.disconnect();
    }
  });
});
