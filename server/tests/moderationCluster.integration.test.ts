import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CommentResponseSchema, ThreadEventWireSchema, type CommentView } from '../../lib/contract';
import { moderationRoom, sessionRoom, userRoom } from '../../lib/contract/socket';
import { sessionIdOf } from '../../lib/services/authService';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createViaSocket, record, type ClientSocket } from '../testing/sockets';
import {
  createAccount,
  disconnection,
  expectError,
  expectStatus,
  moderationAct,
  moderationSubscribe,
  signIn,
  staffMember,
  waitForStaffSocket,
  WebClient,
} from '../testing/staff';
import { ThreadReader } from '../testing/threadReader';
import { waitFor } from '../testing/wait';
import { useNodes } from '../testing/suites';

/** Long enough that only live delivery through Redis can be what a reader reacts to. */
const SLOW_SYNC_MS = 120_000;

/**
 * Moderation across two nodes (one PostgreSQL schema, the Redis adapter on the
 * shared development Redis under a prefix of this run's own): the moderators'
 * live queue, a lock reaching readers on the other node, and a revoked session
 * taking its sockets away on every node at once.
 */
describe('moderation across two nodes on PostgreSQL and Redis', () => {
  const suite = useNodes({ redis: true });
  const { sockets } = suite;
  let a: TestNode;
  let b: TestNode;
  let adminOnA: WebClient;

  before(async () => {
    ({ a, b } = await suite.startPair('mod', () => ({ passwordCost: TEST_PASSWORD_COST, syncIntervalMs: SLOW_SYNC_MS })));
    adminOnA = (await staffMember(a, 'admin')).client;
  });

  async function post(node: TestNode, slug: string, body: string): Promise<CommentView> {
    const res = await new WebClient(node.baseUrl).comment(slug, { body, authorName: 'Poster' });
    assert.equal(res.status, 201, `POST on ${node.baseUrl}: ${res.status} ${JSON.stringify(res.body)}`);
    return CommentResponseSchema.parse(res.body).comment;
  }

  /** A staff socket on `node`, in its session's room (so that a revocation from now on reaches it). */
  async function staffSocket(node: TestNode, client: WebClient): Promise<ClientSocket> {
    const socket = await sockets.connect(node.baseUrl, { cookie: client.cookie });
    await waitForStaffSocket(node, socket, client.sessionToken!);
    return socket;
  }

  test('a moderator’s desk on node B hears of comments held and reported through node A', async () => {
    const { client: moderator } = await staffMember(a, 'moderator', 'desk');
    const t = await createOpenThread(a.services, 'desk');
    const desk = await sockets.connect(b.baseUrl, { cookie: moderator.cookie });
    const notices = record(desk, 'moderation:queue');
    const subscribed = await moderationSubscribe(desk);
    assert.ok(subscribed.ok, JSON.stringify(subscribed));
    assert.ok(Array.isArray(subscribed.items));
    // A guest's socket on B is not on the desk: it hears nothing.
    const guestSocket = await sockets.connect(b.baseUrl);
    const overheard = record(guestSocket, 'moderation:queue');
    const refused = await moderationSubscribe(guestSocket);
    assert.ok(!refused.ok && refused.error.code === 'not_signed_in', JSON.stringify(refused));

    // Held by pre-moderation, through A.
    expectStatus(await moderator.on(a.baseUrl).settings(t.slug, { preModeration: true }), 200);
    const held = await post(a, t.slug, 'held on A');
    assert.equal(held.status, 'pending');
    const heldNotice = await notices.find('the held comment on B’s desk', (n) => n.commentId === held.id && n.item !== null);
    assert.equal(heldNotice.item?.heldReason, 'pre_moderation');
    assert.equal(heldNotice.item?.comment.body, 'held on A');
    assert.equal(heldNotice.item?.thread.slug, t.slug);

    // Held for a banned word, through A.
    expectStatus(await adminOnA.request('PUT', '/api/moderation/banned-words', { json: { words: ['clusterspam'] } }), 200);
    try {
      expectStatus(await moderator.on(a.baseUrl).settings(t.slug, { preModeration: false }), 200);
      const worded = await post(a, t.slug, 'buy clusterspam now');
      assert.equal(worded.status, 'pending');
      const wordNotice = await notices.find('the banned-word comment on B’s desk', (n) => n.commentId === worded.id && n.item !== null);
      assert.equal(wordNotice.item?.heldReason, 'banned_word');
    } finally {
      expectStatus(await adminOnA.request('PUT', '/api/moderation/banned-words', { json: { words: [] } }), 200);
    }

    // Reported through A.
    const visible = await post(a, t.slug, 'visible on A');
    expectStatus(await new WebClient(a.baseUrl).report(visible.id, 'reported on A'), 201);
    const reportNotice = await notices.find('the report on B’s desk', (n) => n.commentId === visible.id && n.item !== null);
    assert.deepEqual(
      reportNotice.item?.reports.map((r) => r.reason),
      ['reported on A'],
    );

    // Handled on A: it leaves B's desk.
    expectStatus(await moderator.on(a.baseUrl).act(held.id, 'approve'), 200);
    await notices.find('the approved comment leaving B’s desk', (n) => n.commentId === held.id && n.item === null);
    expectStatus(await moderator.on(a.baseUrl).act(visible.id, 'approve'), 200);
    await notices.find('the kept comment leaving B’s desk', (n) => n.commentId === visible.id && n.item === null);
    assert.deepEqual(overheard.items, [], 'a guest socket never hears the queue');
  });

  test('a lock on node A reaches a reader on node B as thread.updated; posting on B is then refused', async () => {
    const { client: moderator } = await staffMember(a, 'moderator', 'locker');
    const t = await createOpenThread(a.services, 'cluster-lock');
    const before = await post(b, t.slug, 'posted on B');
    const reader = new ThreadReader(await sockets.connect(b.baseUrl), b.baseUrl, t.slug);
    const live = record(reader.socket, 'thread:event');
    await reader.start(before.seq);

    const res = await moderator.on(a.baseUrl).lock(t.slug, 'from A');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const lockSeq = (res.body as { thread: { seq: number } }).thread.seq;
    await reader.waitUntilAt(lockSeq);
    const event = ThreadEventWireSchema.parse(await live.find('the lock on B', (e) => e.seq === lockSeq));
    assert.deepEqual(event, { slug: t.slug, seq: lockSeq, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false } });
    assert.equal(reader.applied.find((x) => x.event.seq === lockSeq)?.source, 'live', 'delivered live through Redis, not caught up');
    expectError(await new WebClient(b.baseUrl).comment(t.slug, { body: 'on B, after the lock', authorName: 'Late' }), 423, 'thread_locked');

    // And the other way: a moderator's socket on B unlocks; a reader on A hears it.
    const onA = new ThreadReader(await sockets.connect(a.baseUrl), a.baseUrl, t.slug);
    await onA.start(lockSeq);
    const socketOnB = await sockets.connect(b.baseUrl, { cookie: moderator.cookie });
    const ack = await moderationAct(socketOnB, { slug: t.slug, action: 'unlock' });
    assert.ok(ack.ok && ack.thread?.locked === false, JSON.stringify(ack));
    await onA.waitUntilAt(lockSeq + 1);
    const unlock = onA.applied.at(-1)?.event;
    assert.ok(unlock?.type === 'thread.updated' && unlock.thread.locked === false, JSON.stringify(unlock));
    reader.stop();
    onA.stop();
    assert.deepEqual([...reader.errors, ...onA.errors], []);
  });

  async function assertRevoked(oldClient: WebClient, what: string, slug: string, commentId: string) {
    // HTTP on B with the old cookie: refused at once.
    expectError(await oldClient.on(b.baseUrl).get('/api/auth/me'), 401, 'not_signed_in', `${what}: /api/auth/me on B`);
    expectError(await oldClient.on(b.baseUrl).lock(slug), 401, 'not_signed_in', `${what}: lock on B`);
    // A new socket with the old cookie: its moderation:act is refused and changes nothing.
    const seq = (await b.store.findThreadBySlug(slug))!.seq;
    const late = await sockets.connect(b.baseUrl, { cookie: oldClient.cookie });
    const ack = await moderationAct(late, { commentId, action: 'remove' });
    assert.equal(ack.ok, false, `${what}: moderation:act with the old cookie: ${JSON.stringify(ack)}`);
    const lockAck = await moderationAct(late, { slug, action: 'lock' });
    assert.equal(lockAck.ok, false, JSON.stringify(lockAck));
    const desk = await moderationSubscribe(late);
    assert.equal(desk.ok, false, JSON.stringify(desk));
    assert.equal((await b.store.findThreadBySlug(slug))!.seq, seq, `${what}: nothing changed`);
    assert.equal((await b.store.findComment({ id: commentId }))?.status, 'visible');
  }

  test('logout on node A disconnects the session’s sockets on both nodes at once; the old cookie is refused on B', async () => {
    const account = await createAccount(a, 'moderator', 'logout');
    const moderator = await signIn(a, account);
    const otherSession = await signIn(a, account);
    const t = await createOpenThread(a.services, 'logout');
    const c = await post(a, t.slug, 'a comment for the old session');

    const onB = await staffSocket(b, moderator);
    const deskOnB = await staffSocket(b, moderator);
    assert.ok((await moderationSubscribe(deskOnB)).ok);
    const onA = await staffSocket(a, moderator);
    const otherOnB = await staffSocket(b, otherSession);
    const gone = [disconnection(onB), disconnection(deskOnB), disconnection(onA)];
    const token = moderator.sessionToken!;

    expectStatus(await moderator.logout(), 200);
    assert.equal(moderator.sessionToken, undefined, 'the browser dropped the cleared cookie');
    const reasons = await Promise.all(gone);
    assert.deepEqual(reasons, ['io server disconnect', 'io server disconnect', 'io server disconnect']);
    await waitFor('B to drop the session’s sockets from its moderation room', () => {
      const room = b.app.io.of('/').adapter.rooms.get(moderationRoom());
      return !room?.has(deskOnB.id ?? '');
    });

    await assertRevoked(new WebClient(a.baseUrl, { tl_session: token }), 'after logout', t.slug, c.id);
    // The account's other session is another session: still connected and still a moderator.
    assert.ok(otherOnB.connected, 'the other session’s socket stays');
    const ok = await moderationAct(otherOnB, { commentId: c.id, action: 'pin' });
    assert.ok(ok.ok, JSON.stringify(ok));
  });

  test('an admin on node A removes a moderator: their sockets on node B are disconnected and the old cookie is refused at once', async () => {
    const account = await createAccount(a, 'moderator', 'removed');
    const moderator = await signIn(a, account);
    const second = await signIn(b, account);
    const t = await createOpenThread(a.services, 'removal');
    const c = await post(a, t.slug, 'a comment for the removed moderator');

    const sessionSockets = [await staffSocket(b, moderator), await staffSocket(a, moderator), await staffSocket(b, second), await staffSocket(a, second)];
    const desk = sessionSockets[0]!;
    assert.ok((await moderationSubscribe(desk)).ok);
    // Each socket is also in its account's room, on its own node.
    const user = (await a.services.auth.authenticate(moderator.sessionToken))!.user;
    for (const [i, s] of sessionSockets.entries()) {
      const node = i % 2 === 0 ? b : a;
      await waitFor(`socket ${i} in its account room`, () => node.app.io.of('/').adapter.rooms.get(userRoom(user.id))?.has(s.id ?? '') === true);
    }
    const gone = sessionSockets.map(disconnection);
    const bystander = await staffSocket(b, (await staffMember(a, 'moderator', 'bystander')).client);

    const removed = await adminOnA.request('DELETE', `/api/users/${account.username}`);
    expectStatus(removed, 200);
    assert.deepEqual(await Promise.all(gone), Array(4).fill('io server disconnect'), 'every socket of the account, on both nodes');
    assert.ok(bystander.connected, 'other moderators stay connected');

    for (const client of [moderator, second]) await assertRevoked(client, 'after removal', t.slug, c.id);
    assert.equal(b.app.io.of('/').adapter.rooms.get(sessionRoom(sessionIdOf(second.sessionToken!)))?.size ?? 0, 0);
    const bystanderAck = await moderationAct(bystander, { commentId: c.id, action: 'pin' });
    assert.ok(bystanderAck.ok, JSON.stringify(bystanderAck));
  });

  test('a guest socket’s moderation:act gets { ok: false, error: { code: not_signed_in } } and changes nothing', async () => {
    const t = await createOpenThread(a.services, 'guest-act');
    const c = await post(a, t.slug, 'leave me alone');
    const guest = new WebClient(b.baseUrl);
    await guest.comment(t.slug, { body: 'I am a guest with a cookie', authorName: 'G' });
    const before = (await b.store.findThreadBySlug(t.slug))!.seq;

    for (const [label, socket] of [
      ['a guest socket without a cookie', await sockets.connect(b.baseUrl)],
      ['a guest socket with its guest cookie', await sockets.connect(b.baseUrl, { cookie: guest.cookie })],
    ] as const) {
      for (const request of [
        { slug: t.slug, action: 'lock' },
        { slug: t.slug, action: 'unlock' },
        { commentId: c.id, action: 'remove' },
        { commentId: c.id, action: 'pin' },
        { commentId: c.id, action: 'lock' },
        { commentId: c.id, action: 'approve' },
      ]) {
        const ack = await moderationAct(socket, request);
        assert.equal(ack.ok, false, `${label}: ${JSON.stringify(request)}`);
        if (ack.ok) continue;
        assert.deepEqual(Object.keys(ack).sort(), ['error', 'ok']);
        assert.equal(ack.error.code, 'not_signed_in', `${label}: ${JSON.stringify(request)}`);
        assert.ok(ack.error.message.length > 0);
      }
      // Even an invalid request is refused for who sends it, not for its shape.
      const junk = await moderationAct(socket, { nonsense: true });
      assert.ok(!junk.ok && junk.error.code === 'not_signed_in', JSON.stringify(junk));
      // Posting as a guest still works on the same socket.
      const posted = await createViaSocket(socket, { slug: t.slug, body: `${label} posts`, authorName: 'G' });
      assert.ok(posted.ok, JSON.stringify(posted));
    }
    const thread = await b.store.findThreadBySlug(t.slug);
    assert.equal(thread?.locked, false);
    assert.equal(thread?.seq, before + 2, 'only the two guest posts moved the seq');
    const stored = await b.store.findComment({ id: c.id });
    assert.deepEqual([stored?.status, stored?.pinned, stored?.locked], ['visible', false, false]);
  });
});
