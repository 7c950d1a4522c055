import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  CATCH_UP_LIMIT,
  CatchUpSchema,
  CommentResponseSchema,
  ErrorResponseSchema,
  ThreadEventWireSchema,
  type CatchUp,
  type CommentView,
  type ThreadEventWire,
} from '../../lib/contract';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { createViaSocket, record, SocketPool, subscribe, subscribeAck, type ClientSocket } from '../testing/sockets';
import { ThreadReader } from '../testing/threadReader';
import { waitFor } from '../testing/wait';

const SYNC_INTERVAL_MS = 50;
const PRESENCE_FLUSH_MS = 20;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const commentId = (e: ThreadEventWire) => (e.type === 'comment.created' || e.type === 'comment.updated' ? e.comment.id : null);

/**
 * The live side of the protocol on one node: thread events, catch-up by seq
 * after a reconnect or a gap, seq sync, typing and presence.
 */
for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`realtime on one node (${kind})`, () => {
    let db: TestDatabase | undefined;
    let node: TestNode;
    const sockets = new SocketPool();

    before(async () => {
      db = await createTestDatabase(kind);
      node = await startNode({ db, rateLimits: false, syncIntervalMs: SYNC_INTERVAL_MS, presenceFlushMs: PRESENCE_FLUSH_MS });
    });
    afterEach(() => sockets.closeAll());
    after(async () => {
      sockets.closeAll();
      await node?.close();
      await db?.cleanup();
    });

    const connect = (cookie?: string) => sockets.connect(node.baseUrl, { cookie });
    const thread = (label = 'live') => createOpenThread(node.services, label);
    const writer = () => new HttpGuest(node.baseUrl);

    async function post(slug: string, body: string, parentId?: string): Promise<CommentView> {
      const res = await writer().post(slug, { body, authorName: 'Writer', ...(parentId !== undefined && { parentId }) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return CommentResponseSchema.parse(res.body).comment;
    }

    async function events(slug: string, after: number | string) {
      const res = await writer().get(`/api/threads/${slug}/events?after=${after}`);
      assert.equal(res.status, 200, `GET …/events?after=${after}: ${res.status} ${JSON.stringify(res.body)}`);
      return CatchUpSchema.parse(res.body);
    }

    /** Resolves once the server has dropped this socket (its rooms are left). */
    async function disconnectAndWait(socket: ClientSocket): Promise<void> {
      const id = socket.id;
      assert.ok(id);
      socket.disconnect();
      await waitFor(`the server to drop socket ${id}`, () => !node.app.io.of('/').sockets.has(id));
    }

    test('(a) a comment posted by one client reaches the other as thread:event with the right seq', async () => {
      const t = await thread();
      const elsewhere = await thread('elsewhere');
      const alice = await connect();
      const bob = await connect();
      const outsider = await connect();
      const aliceEvents = record(alice, 'thread:event');
      const bobEvents = record(bob, 'thread:event');
      const outsiderEvents = record(outsider, 'thread:event');

      assert.deepEqual(await subscribe(alice, t.slug, t.seq), { thread: { slug: t.slug, seq: t.seq, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: false });
      await subscribe(bob, t.slug, t.seq);
      await subscribe(outsider, elsewhere.slug, elsewhere.seq);

      const ack = await createViaSocket(alice, { slug: t.slug, body: 'hello, Bob', authorName: 'Alice' });
      assert.ok(ack.ok, JSON.stringify(ack));
      const atBob = await bobEvents.find('Alice’s comment at Bob', (e) => e.seq === t.seq + 1);
      assert.deepEqual(ThreadEventWireSchema.parse(atBob), { slug: t.slug, seq: t.seq + 1, type: 'comment.created', comment: ack.comment });
      assert.deepEqual(await aliceEvents.find('Alice’s own comment', (e) => e.seq === t.seq + 1), atBob);

      // A comment over HTTP and an edit arrive the same way, with the next seqs.
      const guest = writer();
      const res = await guest.post(t.slug, { parentId: ack.comment.id, body: 'hi, Alice', authorName: 'Carl' });
      const reply = CommentResponseSchema.parse(res.body).comment;
      assert.deepEqual(await bobEvents.find('the HTTP reply at Bob', (e) => e.seq === t.seq + 2), {
        slug: t.slug,
        seq: t.seq + 2,
        type: 'comment.created',
        comment: reply,
      });
      const edited = CommentResponseSchema.parse((await guest.patch(reply.id, { body: 'hi again, Alice' })).body).comment;
      assert.deepEqual(await bobEvents.find('the edit at Bob', (e) => e.seq === t.seq + 3), {
        slug: t.slug,
        seq: t.seq + 3,
        type: 'comment.updated',
        comment: edited,
      });

      // Once each, and nothing of this thread reaches a reader of another one.
      const marker = await post(t.slug, 'marker');
      await bobEvents.find('the marker at Bob', (e) => e.seq === marker.seq);
      await aliceEvents.find('the marker at Alice', (e) => e.seq === marker.seq);
      assert.deepEqual(
        bobEvents.items.map((e) => e.seq),
        range(t.seq + 1, t.seq + 4),
      );
      assert.deepEqual(
        aliceEvents.items.map((e) => e.seq),
        range(t.seq + 1, t.seq + 4),
      );
      const there = await post(elsewhere.slug, 'elsewhere');
      await outsiderEvents.find('the other thread’s comment', (e) => e.seq === there.seq);
      assert.deepEqual(
        outsiderEvents.items.map((e) => [e.slug, e.seq]),
        [[elsewhere.slug, there.seq]],
      );

      // After thread:unsubscribe, Bob gets no more.
      assert.deepEqual(await bob.timeout(5000).emitWithAck('thread:unsubscribe', { slug: t.slug }), { ok: true });
      const afterLeaving = await post(t.slug, 'after Bob left');
      await aliceEvents.find('the comment after Bob left', (e) => e.seq === afterLeaving.seq);
      await subscribe(bob, elsewhere.slug, there.seq);
      const barrier = await post(elsewhere.slug, 'barrier');
      await bobEvents.find('the barrier at Bob', (e) => e.seq === barrier.seq && e.slug === elsewhere.slug);
      assert.ok(!bobEvents.items.some((e) => e.slug === t.slug && e.seq === afterLeaving.seq));
    });

    test('(b) a reader that reconnects with its last seq gets exactly the N events it missed, in order', async () => {
      const t = await thread();
      let reader = await connect();
      let live = record(reader, 'thread:event');
      await subscribe(reader, t.slug, t.seq);
      const seen = await post(t.slug, 'seen live');
      await live.find('the first comment', (e) => e.seq === seen.seq);
      const last = live.items.at(-1)!.seq;
      await disconnectAndWait(reader);

      const N = 5;
      const missedComments: CommentView[] = [];
      for (let i = 1; i <= N; i++) missedComments.push(await post(t.slug, `while away ${i}`, i % 2 === 0 ? seen.id : undefined));

      reader = await connect();
      live = record(reader, 'thread:event');
      const catchUp = await subscribe(reader, t.slug, last);
      assert.equal(catchUp.resync, false);
      assert.deepEqual(catchUp.thread, { slug: t.slug, seq: last + N, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false });
      assert.deepEqual(
        catchUp.missed.map((e) => ThreadEventWireSchema.parse(e)),
        missedComments.map((comment, i) => ({ slug: t.slug, seq: last + 1 + i, type: 'comment.created', comment })),
      );

      // And live delivery goes on from there.
      const next = await post(t.slug, 'back again');
      assert.equal(next.seq, last + N + 1);
      await live.find('the next live comment', (e) => e.seq === next.seq);
    });

    test('(b) resubscribing with an older seq returns copies that "apply if seq > last" drops', async () => {
      const t = await thread();
      const reader = await connect();
      const live = record(reader, 'thread:event');
      await subscribe(reader, t.slug, t.seq);
      for (let i = 1; i <= 6; i++) await post(t.slug, `comment ${i}`);
      await live.find('all six', (e) => e.seq === t.seq + 6);

      // The client's rule: apply an event only if it is newer than the last applied.
      const applied: number[] = [];
      const dropped: number[] = [];
      let last = t.seq;
      const apply = (e: ThreadEventWire) => {
        if (e.seq > last) {
          applied.push(e.seq);
          last = e.seq;
        } else dropped.push(e.seq);
      };
      live.items.forEach(apply);
      assert.equal(last, t.seq + 6);

      const older = await subscribe(reader, t.slug, t.seq + 2);
      assert.deepEqual(
        older.missed.map((e) => e.seq),
        range(t.seq + 3, t.seq + 6),
      );
      older.missed.forEach(apply);
      assert.deepEqual(dropped, range(t.seq + 3, t.seq + 6), 'every copy is dropped');

      // Subscribing again did not double the live delivery.
      const next = await post(t.slug, 'after resubscribing');
      const barrier = await post(t.slug, 'barrier');
      await live.find('the barrier', (e) => e.seq === barrier.seq);
      live.items.slice(6).forEach(apply);
      assert.deepEqual(
        live.items.map((e) => e.seq),
        range(t.seq + 1, barrier.seq),
        'each live event once',
      );
      assert.deepEqual(applied, range(t.seq + 1, barrier.seq));
      assert.equal(next.seq, t.seq + 7);
    });

    test('(b) a forced gap: events after k, over HTTP and by subscribing, are exactly the rest', async () => {
      const t = await thread();
      const author = writer();
      const comments: CommentView[] = [];
      for (let i = 1; i <= 5; i++) {
        const res = await author.post(t.slug, { body: `comment ${i}`, authorName: 'Author' });
        comments.push(CommentResponseSchema.parse(res.body).comment);
      }
      assert.equal((await author.patch(comments[1]!.id, { body: 'comment 2, edited' })).status, 200);
      assert.equal((await author.remove(comments[3]!.id)).status, 200);
      const end = t.seq + 7;

      const all = await events(t.slug, 0);
      assert.deepEqual(
        all.missed.map((e) => [e.seq, e.type]),
        [
          [t.seq, 'thread.created'],
          ...comments.map((_, i) => [t.seq + 1 + i, 'comment.created']),
          [t.seq + 6, 'comment.updated'],
          [t.seq + 7, 'comment.updated'],
        ],
      );

      // The client applied up to k and lost k + 1; whatever it receives next reveals the gap.
      const k = t.seq + 2;
      const rest = all.missed.filter((e) => e.seq > k);
      const overHttp = await events(t.slug, k);
      assert.deepEqual(overHttp, { thread: { slug: t.slug, seq: end, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: rest, resync: false });
      const reader = await connect();
      assert.deepEqual(await subscribe(reader, t.slug, k), overHttp);
      assert.deepEqual(
        overHttp.missed.map((e) => e.seq),
        range(k + 1, end),
      );
      // Comment events carry the comment as it is now.
      assert.deepEqual(
        overHttp.missed.filter((e) => commentId(e) === comments[3]!.id).map((e) => (e.type === 'comment.updated' || e.type === 'comment.created' ? e.comment.status : null)),
        ['deleted', 'deleted'],
      );
      assert.deepEqual(await events(t.slug, end), { thread: { slug: t.slug, seq: end, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: false });
    });

    test('(b) subscribing while comments are being posted: missed + live, without copies, leaves no gap', async () => {
      const t = await thread();
      const total = 30;
      let posted = 0;
      const posting = (async () => {
        for (let i = 1; i <= total; i++) {
          await node.services.comments.create({ slug: t.slug, input: { parentId: null, body: `burst ${i}`, authorName: 'Burst' }, guestId: 'burstguest', address: '127.0.0.1' });
          posted++;
        }
      })();
      await waitFor('a few comments to be posted', () => posted >= 5);
      const reader = new ThreadReader(await connect(), node.baseUrl, t.slug);
      await reader.start(t.seq);
      await posting;
      await reader.waitUntilAt(t.seq + total);
      reader.stop();
      assert.deepEqual(reader.seqs(), range(t.seq + 1, t.seq + total));
      assert.equal(reader.catchUps, 0, 'join-then-read: the catch-up and the live events meet with no hole between them');
      assert.deepEqual(reader.errors, []);
    });

    test('(b) concurrent writers: a reader applying in order converges on exactly the stored events', async () => {
      const t = await thread();
      const reader = new ThreadReader(await connect(), node.baseUrl, t.slug);
      await reader.start(t.seq);
      const lanes = 5;
      const perLane = 8;
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          for (let i = 1; i <= perLane; i++) {
            await node.services.comments.create({ slug: t.slug, input: { parentId: null, body: `lane ${lane} #${i}`, authorName: 'Lane' }, guestId: `lane${lane}`, address: '127.0.0.1' });
          }
        }),
      );
      const end = t.seq + lanes * perLane;
      await reader.waitUntilAt(end);
      reader.stop();
      const stored = await events(t.slug, t.seq);
      assert.deepEqual(
        reader.applied.map((a) => [a.event.seq, a.event.type, commentId(a.event)]),
        stored.missed.map((e) => [e.seq, e.type, commentId(e)]),
      );
      assert.deepEqual(reader.seqs(), range(t.seq + 1, end));
    });

    test('(b) subscribing without afterSeq sends nothing missed, then live events', async () => {
      const t = await thread();
      await post(t.slug, 'before');
      const reader = await connect();
      const live = record(reader, 'thread:event');
      const ack = await subscribeAck(reader, t.slug);
      assert.deepEqual(ack, { ok: true, thread: { slug: t.slug, seq: t.seq + 1, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: false });
      const next = await post(t.slug, 'after');
      await live.find('the live comment', (e) => e.seq === next.seq);
    });

    test('(b) a catch-up from beyond the thread’s seq is a resync (the reader saw what this database does not have), whatever the number', async () => {
      const t = await thread();
      const expected: CatchUp = { thread: { slug: t.slug, seq: t.seq, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: true };
      assert.deepEqual(await events(t.slug, t.seq + 10), expected);
      // Past 32-bit integers: a client with a corrupted (or hostile) seq.
      assert.deepEqual(await events(t.slug, 2 ** 31), expected);
      const reader = await connect();
      assert.deepEqual(await subscribeAck(reader, t.slug, 2 ** 31), { ok: true, ...expected });
    });

    test('(b) GET …/events validates `after` and the slug', async () => {
      const t = await thread();
      for (const after of ['abc', '-1', '1.5']) {
        const res = await writer().get(`/api/threads/${t.slug}/events?after=${after}`);
        assert.equal(res.status, 400, `after=${after}`);
        const { error } = ErrorResponseSchema.parse(res.body);
        assert.equal(error.code, 'invalid_request');
        assert.ok(error.fields?.after?.length, `after=${after}: ${JSON.stringify(error.fields)}`);
      }
      assert.deepEqual((await events(t.slug, '')).missed.length, 1, 'no `after` means from the start');
      const unknown = await writer().get('/api/threads/no-such-thread-here/events?after=0');
      assert.equal(unknown.status, 404);
      assert.equal(ErrorResponseSchema.parse(unknown.body).error.code, 'thread_not_found');
      const reader = await connect();
      const ack = await subscribeAck(reader, 'no-such-thread-here', 0);
      assert.ok(!ack.ok && ack.error.code === 'thread_not_found', JSON.stringify(ack));
    });

    test(`(b) more than CATCH_UP_LIMIT (${CATCH_UP_LIMIT}) missed events: resync instead of a replay`, async () => {
      const t = await thread('long');
      const stored = await node.store.findThreadBySlug(t.slug);
      assert.ok(stored);
      for (let i = 0; i < CATCH_UP_LIMIT + 1; i++) {
        await node.store.createComment({ threadId: stored.id, parentId: null, authorName: 'Many', authorGuestId: 'manyguest', body: `#${i}`, clientId: null });
      }
      const end = t.seq + CATCH_UP_LIMIT + 1;
      assert.deepEqual(await events(t.slug, t.seq), { thread: { slug: t.slug, seq: end, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: true });
      const exactly = await events(t.slug, t.seq + 1);
      assert.equal(exactly.resync, false);
      assert.deepEqual(
        exactly.missed.map((e) => e.seq),
        range(t.seq + 2, end),
      );
      const reader = await connect();
      assert.deepEqual(await subscribe(reader, t.slug, t.seq), { thread: { slug: t.slug, seq: end, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [], resync: true });
    });

    test('(c) thread:sync announces a thread\'s seq when it changed since the last announcement, and a reader behind it catches up', async () => {
      const t = await thread();
      const elsewhere = await thread('elsewhere');
      const socket = await connect();
      const syncs = record(socket, 'thread:sync');
      const reader = new ThreadReader(socket, node.baseUrl, t.slug);
      await reader.start(t.seq);
      const other = await connect();
      const otherSyncs = record(other, 'thread:sync');
      await subscribe(other, elsewhere.slug, elsewhere.seq);

      await syncs.find('a sync with the current seq', (n) => n.slug === t.slug && n.seq === t.seq);

      // A change whose live event never reached the reader (written to the store directly: nothing is published).
      const unannounced = async (slug: string, body: string) => {
        const threadId = (await node.store.findThreadBySlug(slug))!.id;
        return (await node.store.createComment({ threadId, parentId: null, authorName: 'Ghost', authorGuestId: 'ghostguest', body, clientId: null })).comment;
      };
      const comment = await unannounced(t.slug, 'unannounced');
      await syncs.find('a sync with the new seq', (n) => n.slug === t.slug && n.seq === comment.seq);
      await reader.waitUntilAt(comment.seq);
      reader.stop();
      assert.deepEqual(
        reader.applied.map((a) => [a.event.seq, a.source, commentId(a.event)]),
        [[comment.seq, 'catch-up', comment.id]],
      );

      // Two more changes elsewhere take at least two more ticks; the first thread, unchanged, is not re-announced.
      for (const body of ['one', 'two']) {
        const elsewhereComment = await unannounced(elsewhere.slug, body);
        await otherSyncs.find(`a sync for the other thread at ${elsewhereComment.seq}`, (n) => n.seq === elsewhereComment.seq);
      }
      assert.deepEqual(
        syncs.items.map((n) => [n.slug, n.seq]),
        [
          [t.slug, t.seq],
          [t.slug, comment.seq],
        ],
        'a socket is told only about threads it follows, and only when they change',
      );
      assert.deepEqual(
        otherSyncs.items.map((n) => n.seq),
        [elsewhere.seq, elsewhere.seq + 1, elsewhere.seq + 2],
      );
    });

    test('(d) typing goes to the other readers of the thread only', async () => {
      const t = await thread();
      const elsewhere = await thread('elsewhere');
      const top = await post(t.slug, 'what do you think?');
      const [alice, bob, carol, dave] = [await connect(), await connect(), await connect(), await connect()];
      const typing = { alice: record(alice, 'thread:typing'), bob: record(bob, 'thread:typing'), carol: record(carol, 'thread:typing'), dave: record(dave, 'thread:typing') };
      const seen = { alice: record(alice, 'thread:event'), bob: record(bob, 'thread:event'), carol: record(carol, 'thread:event'), dave: record(dave, 'thread:event') };
      await subscribe(alice, t.slug, top.seq);
      await subscribe(bob, t.slug, top.seq);
      await subscribe(carol, elsewhere.slug, elsewhere.seq);

      // At most one signal per socket every 2 s: a burst is one notice.
      for (let i = 0; i < 3; i++) alice.emit('comment:typing', { slug: t.slug, parentId: top.id });
      assert.deepEqual(await typing.bob.find('Alice typing, at Bob', () => true), { slug: t.slug, parentId: top.id });

      // Dave follows nothing: his signal goes nowhere. An invalid signal is ignored.
      dave.emit('comment:typing', { slug: t.slug, parentId: null });
      bob.emit('comment:typing', { slug: t.slug, parentId: 'NOT AN ID' } as unknown as { slug: string; parentId: null });
      // Each socket's packets are handled in order: once these are answered, the signals above were handled.
      for (const s of [alice, bob, dave]) assert.equal((await s.timeout(5000).emitWithAck('server:hello')).ok, true);
      await subscribe(dave, t.slug, top.seq);

      // Barrier: anything sent to a socket before these comments reaches it before them.
      const here = await post(t.slug, 'barrier here');
      const there = await post(elsewhere.slug, 'barrier there');
      for (const [who, recorder] of [['Alice', seen.alice], ['Bob', seen.bob], ['Dave', seen.dave]] as const) {
        await recorder.find(`the barrier at ${who}`, (e) => e.seq === here.seq && e.slug === t.slug);
      }
      await seen.carol.find('the barrier at Carol', (e) => e.seq === there.seq && e.slug === elsewhere.slug);
      assert.deepEqual(typing.alice.items, [], 'not back to the one typing');
      assert.deepEqual(typing.bob.items, [{ slug: t.slug, parentId: top.id }], 'one notice, from Alice’s burst');
      assert.deepEqual(typing.carol.items, [], 'not to readers of another thread');
      assert.deepEqual(typing.dave.items, []);
    });

    test('(d) a typing signal may name the clientId its comment will carry: passed on as sent', async () => {
      const t = await thread();
      const [alice, bob] = [await connect(), await connect()];
      const atBob = record(bob, 'thread:typing');
      await subscribe(alice, t.slug, t.seq);
      await subscribe(bob, t.slug, t.seq);
      alice.emit('comment:typing', { slug: t.slug, parentId: null, clientId: 'page-1-top' });
      assert.deepEqual(await atBob.find('Alice typing, at Bob', () => true), { slug: t.slug, parentId: null, clientId: 'page-1-top' });
    });

    test('(d) presence counts the readers of each thread', async () => {
      const t = await thread();
      const elsewhere = await thread('elsewhere');
      const reading = async (socket: ClientSocket, slug: string, seq: number) => {
        const notices = record(socket, 'thread:presence');
        await subscribe(socket, slug, seq);
        return notices;
      };
      const latestIs = (notices: { items: { slug: string; reading: number }[] }, slug: string, n: number, who: string) =>
        waitFor(`${who} to see ${n} reading ${slug}`, () => {
          const last = notices.items.filter((x) => x.slug === slug).at(-1);
          return last?.reading === n;
        });

      const alice = await connect();
      const atAlice = await reading(alice, t.slug, t.seq);
      await latestIs(atAlice, t.slug, 1, 'Alice');

      const bob = await connect();
      const atBob = await reading(bob, t.slug, t.seq);
      await latestIs(atAlice, t.slug, 2, 'Alice');
      await latestIs(atBob, t.slug, 2, 'Bob');

      const carol = await connect();
      const atCarol = await reading(carol, elsewhere.slug, elsewhere.seq);
      await latestIs(atCarol, elsewhere.slug, 1, 'Carol');

      // Two pages of one guest are two readers.
      const guest = writer();
      await guest.post(t.slug, { body: 'for a cookie', authorName: 'Gus' });
      const gus1 = await connect(guest.cookie);
      const gus2 = await connect(guest.cookie);
      await reading(gus1, t.slug, t.seq);
      await reading(gus2, t.slug, t.seq);
      await latestIs(atAlice, t.slug, 4, 'Alice');

      await disconnectAndWait(bob);
      assert.deepEqual(await gus2.timeout(5000).emitWithAck('thread:unsubscribe', { slug: t.slug }), { ok: true });
      await latestIs(atAlice, t.slug, 2, 'Alice');
      assert.ok(atAlice.items.every((n) => n.slug === t.slug), 'Alice hears only about her thread');
      assert.ok(atCarol.items.every((n) => n.slug === elsewhere.slug && n.reading === 1), 'Carol’s count is her thread’s');
    });

    test('(d) a reader who comes back hears the count even when it did not change', async () => {
      const t = await thread();
      const alice = await connect();
      const bob = await connect();
      const atAlice = record(alice, 'thread:presence');
      const atBob = record(bob, 'thread:presence');
      await subscribe(alice, t.slug, t.seq);
      await subscribe(bob, t.slug, t.seq);
      const heard = (notices: { items: { reading: number }[] }, n: number, who: string) => waitFor(`${who} to hear ${n} reading`, () => notices.items.at(-1)?.reading === n);
      await heard(atAlice, 2, 'Alice');
      await heard(atBob, 2, 'Bob');
      // Leave and come back at once: usually inside one flush, so the count (2) never changes and only Bob is told.
      const before = atBob.items.length;
      assert.deepEqual(await bob.timeout(5000).emitWithAck('thread:unsubscribe', { slug: t.slug }), { ok: true });
      await subscribe(bob, t.slug, t.seq);
      await waitFor('Bob to hear the count again', () => atBob.items.length > before && atBob.items.at(-1)?.reading === 2);
    });
  });
}
