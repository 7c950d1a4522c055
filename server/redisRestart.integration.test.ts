import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommentResponseSchema } from '../lib/contract';
import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { HttpGuest } from './testing/http';
import { createOpenThread, startNode, type TestNode } from './testing/nodes';
import { uniqueRedisPrefix } from './testing/redis';
import { OwnRedisServer } from './testing/redisServer';
import { SocketPool } from './testing/sockets';
import { ThreadReader } from './testing/threadReader';
import { waitFor } from './testing/wait';

/**
 * A real Redis restart in the middle of a conversation (a Redis server of the
 * test's own, so the machine's shared one is left alone): both nodes stay up,
 * posting never stops, and every reader ends with exactly the database's events.
 */
let db: TestDatabase | undefined;
let redis: OwnRedisServer | undefined;
const nodes: TestNode[] = [];
const sockets = new SocketPool();

before(async () => {
  db = await createTestDatabase('postgres');
  redis = await OwnRedisServer.start();
});

after(async () => {
  sockets.closeAll();
  for (const node of nodes.splice(0)) await node.close();
  await redis?.stop();
  await db?.cleanup();
});

test('Redis restarted mid-stream: nodes stay up, posting works, delivery resumes and readers converge', async () => {
  const prefix = uniqueRedisPrefix();
  for (let i = 0; i < 2; i++) {
    nodes.push(await startNode({ db: db!, rateLimits: false, syncIntervalMs: 500, redis: { url: redis!.url, prefix } }));
  }
  const [a, b] = nodes as [TestNode, TestNode];
  const thread = await createOpenThread(a.services, 'redis restart');
  const readerA = new ThreadReader(await sockets.connect(a.baseUrl), a.baseUrl, thread.slug);
  const readerB = new ThreadReader(await sockets.connect(b.baseUrl), b.baseUrl, thread.slug);
  await readerA.start(thread.seq);
  await readerB.start(thread.seq);
  const onA = new HttpGuest(a.baseUrl);
  const onB = new HttpGuest(b.baseUrl);

  async function post(guest: HttpGuest, body: string): Promise<number> {
    const res = await guest.post(thread.slug, { body, authorName: 'Riley' });
    assert.equal(res.status, 201, `posting "${body}" answered ${res.status}: ${JSON.stringify(res.body)}`);
    return CommentResponseSchema.parse(res.body).comment.seq;
  }

  // Cross-node delivery works before the restart.
  const first = await post(onA, 'before the restart');
  await readerB.waitUntilAt(first);

  await redis!.stop();
  // Posting keeps working on both nodes while Redis is gone.
  await post(onA, 'while Redis is down, on A');
  const duringB = await post(onB, 'while Redis is down, on B');
  const health = await fetch(`${b.baseUrl}/api/health`);
  assert.equal(health.status, 200, 'the node keeps serving');
  // Each reader converges even now: the seq sync comes from the database, not from Redis.
  await readerA.waitUntilAt(duringB);
  await readerB.waitUntilAt(duringB);

  await redis!.start();
  const back = Date.now();
  const afterRestart = await post(onA, 'after the restart');
  // Delivery resumes within 5 s of Redis being back (live, or through the sync).
  await readerB.waitUntilAt(afterRestart, Math.max(1, 5000 - (Date.now() - back)));
  // And live cross-node fan-out is back: a later post reaches B as a live event.
  const live = await waitFor(
    'a post on A to reach the reader on B live through Redis again',
    async () => {
      const seq = await post(onA, `live again ${Date.now()}`);
      await readerB.waitUntilAt(seq);
      return readerB.applied.find((x) => x.event.seq === seq)?.source === 'live' ? seq : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  await readerA.waitUntilAt(live);

  // Both readers hold exactly the database's events: every seq once, in order.
  const stored = await a.services.threads.catchUp({ slug: thread.slug, afterSeq: thread.seq });
  const expected = stored.missed.map((e) => e.seq);
  assert.deepEqual(readerA.seqs(), expected);
  assert.deepEqual(readerB.seqs(), expected);
  assert.deepEqual(readerA.errors, []);
  assert.deepEqual(readerB.errors, []);
});
