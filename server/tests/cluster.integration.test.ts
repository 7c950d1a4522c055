import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ThreadEventWireSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { toWireEvent } from '../../lib/services/commentView';
import { HttpGuest } from '../testing/http';
import { createOpenThread, type TestNode } from '../testing/nodes';
import { killSubscriber, listClients, waitForSubscriber } from '../testing/redis';
import { createViaSocket, record, subscribe, type ClientSocket } from '../testing/sockets';
import { ThreadReader } from '../testing/threadReader';
import { waitFor } from '../testing/wait';
import { useNodes, type NodePair } from '../testing/suites';

const PRESENCE_FLUSH_MS = 25;
/** Long enough that only the sync run on reconnection can be what a reader reacts to. */
const SLOW_SYNC_MS = 120_000;

const commentId = (e: ThreadEventWire) => (e.type === 'comment.created' || e.type === 'comment.updated' ? e.comment.id : null);
const summary = (e: ThreadEventWire) => [e.seq, e.type, commentId(e)] as const;

/**
 * Two nodes (two apps, each with its own PostgreSQL pool on the same schema)
 * joined by the Redis adapter on the shared development Redis, under a key
 * prefix of this run's own. Connection failures are simulated by killing this
 * test's own Redis connections (found by name in CLIENT LIST), never by
 * restarting Redis.
 */
describe('two nodes on PostgreSQL and Redis', () => {
  const suite = useNodes({ redis: true, closeNodes: 'afterEach' });
  const { sockets } = suite;
  let clusterCount = 0;

  async function startCluster(options: { syncIntervalMs?: { a?: number; b?: number } } = {}): Promise<NodePair> {
    return suite.startPair(String(++clusterCount), (which) => ({ rateLimits: false, presenceFlushMs: PRESENCE_FLUSH_MS, syncIntervalMs: options.syncIntervalMs?.[which] ?? SLOW_SYNC_MS }));
  }

  async function post(node: TestNode, slug: string, body: string, parentId?: string): Promise<CommentView> {
    const res = await new HttpGuest(node.baseUrl).post(slug, { body, authorName: 'Poster', ...(parentId !== undefined && { parentId }) });
    assert.equal(res.status, 201, `POST on ${node.baseUrl}: ${res.status} ${JSON.stringify(res.body)}`);
    return CommentResponseSchema.parse(res.body).comment;
  }

  async function healthy(node: TestNode): Promise<void> {
    const res = await fetch(`${node.baseUrl}/api/health`);
    assert.equal(res.status, 200);
  }

  /** The thread's events as stored, as readers receive them. */
  async function storedEvents(node: TestNode, slug: string, afterSeq: number): Promise<ThreadEventWire[]> {
    const thread = await node.store.findThreadBySlug(slug);
    assert.ok(thread);
    return (await node.store.eventsAfter({ threadId: thread.id, afterSeq })).map((e) => toWireEvent(slug, e));
  }

  async function reader(node: TestNode, slug: string, afterSeq: number): Promise<ThreadReader> {
    const r = new ThreadReader(await sockets.connect(node.baseUrl), node.baseUrl, slug);
    await r.start(afterSeq);
    return r;
  }

  test('a reply posted over HTTP on node A reaches a socket client on node B', async () => {
    const { a, b } = await startCluster();
    const t = await createOpenThread(a.services, 'cluster');
    const top = await post(a, t.slug, 'top-level, on A');

    const onB = await sockets.connect(b.baseUrl);
    const onA = await sockets.connect(a.baseUrl);
    const atB = record(onB, 'thread:event');
    const atA = record(onA, 'thread:event');
    assert.deepEqual(await subscribe(onB, t.slug, t.seq), {
      thread: { slug: t.slug, seq: top.seq, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false },
      missed: [{ slug: t.slug, seq: top.seq, type: 'comment.created', comment: top }],
      resync: false,
    });
    await subscribe(onA, t.slug, top.seq);

    const reply = await post(a, t.slug, 'a reply, on A', top.id);
    const delivered = ThreadEventWireSchema.parse(await atB.find('A’s reply on node B', (e) => e.seq === reply.seq));
    assert.deepEqual(delivered, { slug: t.slug, seq: top.seq + 1, type: 'comment.created', comment: reply });
    assert.equal(reply.parentId, top.id);
    assert.equal(reply.depth, 2);
    await atA.find('A’s reply on node A', (e) => e.seq === reply.seq);

    // The other way: posted over B's socket, read on A.
    const ack = await createViaSocket(onB, { slug: t.slug, parentId: reply.id, body: 'from B', authorName: 'Bea' });
    assert.ok(ack.ok, JSON.stringify(ack));
    assert.deepEqual(await atA.find('B’s comment on node A', (e) => e.seq === ack.comment.seq), {
      slug: t.slug,
      seq: reply.seq + 1,
      type: 'comment.created',
      comment: ack.comment,
    });

    // "Someone is replying" crosses nodes too, and is not echoed to the one typing.
    const typingAtB = record(onB, 'thread:typing');
    const typingAtA = record(onA, 'thread:typing');
    onA.emit('comment:typing', { slug: t.slug, parentId: reply.id });
    assert.deepEqual(await typingAtB.find('A’s typing on node B', () => true), { slug: t.slug, parentId: reply.id });

    // Each event once on each node (anything sent before the barrier arrives before it).
    const barrier = await post(b, t.slug, 'barrier');
    await atA.find('the barrier on A', (e) => e.seq === barrier.seq);
    await atB.find('the barrier on B', (e) => e.seq === barrier.seq);
    assert.deepEqual(typingAtA.items, []);
    assert.equal(typingAtB.items.length, 1);
    const expected = [reply.seq, ack.comment.seq, barrier.seq];
    assert.deepEqual(
      atB.items.map((e) => e.seq),
      expected,
    );
    assert.deepEqual(
      atA.items.map((e) => e.seq),
      expected,
    );
  });

  test('presence sums the readers on both nodes', async () => {
    const { a, b } = await startCluster();
    const t = await createOpenThread(a.services, 'presence');
    const join = async (node: TestNode) => {
      const socket = await sockets.connect(node.baseUrl);
      const notices = record(socket, 'thread:presence');
      await subscribe(socket, t.slug, t.seq);
      return { socket, notices };
    };
    const sees = (who: string, r: { notices: { items: { slug: string; reading: number }[] } }, n: number) =>
      waitFor(`${who} to see ${n} reading`, () => r.notices.items.filter((x) => x.slug === t.slug).at(-1)?.reading === n);

    const alice = await join(a);
    await sees('Alice (A)', alice, 1);
    const bob = await join(b);
    await sees('Bob (B)', bob, 2);
    await sees('Alice (A)', alice, 2);
    const carol = await join(b);
    const dan = await join(a);
    for (const [who, r] of [['Alice (A)', alice], ['Bob (B)', bob], ['Carol (B)', carol], ['Dan (A)', dan]] as const) await sees(who, r, 4);

    const leave = async (socket: ClientSocket, node: TestNode) => {
      const id = socket.id;
      socket.disconnect();
      await waitFor('the server to drop the socket', () => !node.app.io.of('/').sockets.has(id!));
    };
    await leave(bob.socket, b);
    await leave(carol.socket, b);
    await sees('Alice (A)', alice, 2);
    await sees('Dan (A)', dan, 2);
  });

  test('killing the Redis subscriber: no crash, posting goes on, delivery resumes, and readers converge on the stored events', async () => {
    const { a, b, names } = await startCluster();
    const t = await createOpenThread(a.services, 'outage');
    const onA = await reader(a, t.slug, t.seq);
    const onB = await reader(b, t.slug, t.seq);

    const first = await post(a, t.slug, 'before the outage');
    await onB.waitUntilAt(first.seq);
    assert.equal(onB.applied.at(-1)?.source, 'live');

    // B's subscriber goes; what A publishes meanwhile never reaches B. The race
    // (ioredis reconnects after 200 ms) is lost rarely; then the outage is repeated.
    let recovered: CommentView[] | undefined;
    for (let attempt = 1; attempt <= 5 && !recovered; attempt++) {
      const syncsBefore = onB.syncs.length;
      await killSubscriber(suite.admin, names.b);
      const during = [await post(a, t.slug, `during outage ${attempt}.1`), await post(a, t.slug, `during outage ${attempt}.2`)];
      await healthy(b);
      await onB.waitUntilAt(during.at(-1)!.seq, 20_000);
      await onA.waitUntilAt(during.at(-1)!.seq);
      // Back subscribed before anything else happens.
      await waitForSubscriber(suite.admin, names.b, 20_000);
      await waitFor('the sync that B runs when Redis is back', () => onB.syncs.length > syncsBefore);
      const sources = during.map((c) => onB.applied.find((x) => x.event.seq === c.seq)?.source);
      if (sources.includes('catch-up')) recovered = during;
    }
    assert.ok(recovered, 'B’s reader missed what A published during the outage and caught up through thread:sync');
    assert.ok(
      onB.syncs.some((n) => n.seq >= recovered!.at(-1)!.seq),
      `B announced the new seq on reconnecting: ${JSON.stringify(onB.syncs)}`,
    );

    // Delivery across nodes resumes.
    const resumed = await post(a, t.slug, 'after the outage');
    await onB.waitUntilAt(resumed.seq);
    assert.equal(onB.applied.find((x) => x.event.seq === resumed.seq)?.source, 'live');

    // Both subscribers go: both nodes keep taking posts and serving their own readers.
    await killSubscriber(suite.admin, names.a);
    await killSubscriber(suite.admin, names.b);
    const onNodeB = await post(b, t.slug, 'posted on B while both are cut off');
    const onNodeA = await post(a, t.slug, 'posted on A while both are cut off');
    await healthy(a);
    await healthy(b);
    await waitForSubscriber(suite.admin, names.a, 20_000);
    await waitForSubscriber(suite.admin, names.b, 20_000);
    const end = Math.max(onNodeA.seq, onNodeB.seq);
    await onA.waitUntilAt(end, 20_000);
    await onB.waitUntilAt(end, 20_000);

    const last = await post(b, t.slug, 'all well again');
    await onA.waitUntilAt(last.seq);
    await onB.waitUntilAt(last.seq);
    assert.equal(onA.applied.at(-1)?.source, 'live');
    assert.equal(onB.applied.at(-1)?.source, 'live');

    onA.stop();
    onB.stop();
    const stored = (await storedEvents(a, t.slug, t.seq)).map(summary);
    assert.equal(stored.length, last.seq - t.seq);
    for (const [name, r] of [['A', onA], ['B', onB]] as const) {
      assert.deepEqual(r.errors, [], `reader on ${name}`);
      assert.deepEqual(
        r.applied.map((x) => summary(x.event)),
        stored,
        `the reader on ${name} holds exactly the stored events, in order`,
      );
      assert.ok(r.socket.connected, `the reader’s socket on ${name} stayed connected`);
    }
  });

  test('killing a node’s Redis publisher: the post still succeeds and the other node’s reader converges', async () => {
    // B tells its readers the seq often, so a lost message is noticed without waiting for the next one.
    const { a, b, names } = await startCluster({ syncIntervalMs: { b: 100 } });
    const t = await createOpenThread(a.services, 'publisher');
    const onB = await reader(b, t.slug, t.seq);

    const publisher = (await listClients(suite.admin)).find((c) => c.name === names.a && c.sub === 0 && c.psub === 0);
    assert.ok(publisher, 'node A’s publisher connection');
    assert.equal(Number(await suite.admin.call('CLIENT', 'KILL', 'ID', publisher.id)), 1);
    const during = await post(a, t.slug, 'published into the void, perhaps');
    await healthy(a);
    await onB.waitUntilAt(during.seq, 20_000);

    await waitFor('A’s publisher to reconnect', async () => (await listClients(suite.admin!)).some((c) => c.name === names.a && c.sub === 0 && c.psub === 0));
    const next = await post(a, t.slug, 'after');
    await onB.waitUntilAt(next.seq);
    onB.stop();
    assert.deepEqual(onB.errors, []);
    assert.deepEqual(
      onB.applied.map((x) => summary(x.event)),
      (await storedEvents(b, t.slug, t.seq)).map(summary),
    );
  });
});
