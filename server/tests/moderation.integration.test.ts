import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CommentResponseSchema,
  MeSchema,
  QueueItemSchema,
  ThreadDetailSchema,
  ThreadResponseSchema,
  type CommentView,
  type QueueItem,
  type ThreadEventWire,
} from '../../lib/contract';
import { COMMENT_ACTIONS, moderationRoom, type QueueChangeNotice } from '../../lib/contract/socket';
import { sessionIdOf } from '../../lib/services/authService';
import { STAFF_COOKIE } from '../http/staffSession';
import { waitFor } from '../testing/wait';
import { AppError } from '../../lib/domain/errors';
import type { AuditRecord } from '../../lib/store/moderationStore';
import type { SessionUser } from '../../lib/store/accountStore';
import type { HttpResult } from '../testing/http';
import { createOpenThread, startNode, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createViaSocket, record, subscribe, type Recorder } from '../testing/sockets';
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
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface RouteCase {
  method: Method;
  path: string;
  json?: unknown;
  adminOnly: boolean;
}

const commentOf = (res: HttpResult, status = 200, what = ''): CommentView => CommentResponseSchema.parse(expectStatus(res, status, what)).comment;
const threadOf = (res: HttpResult, status = 200, what = '') => ThreadDetailSchema.parse((expectStatus(res, status, what) as { thread: unknown }).thread);

/**
 * Moderation over the real app, on SQLite and PostgreSQL: sign-in and
 * sessions, the role check of every staff route, and what each moderator
 * action does to posting, to the public API, to the queue, to the audit log
 * and to the live `thread:event` stream.
 */
for (const kind of DATABASE_KINDS) {
  describe(`moderation on ${kind}`, () => {
    const suite = useStaffNode(kind);
    const { sockets } = suite;

    const guest = () => new WebClient(suite.node.baseUrl);
    const thread = (label = 'moderation') => createOpenThread(suite.node.services, label);

    async function threadView(slug: string) {
      const res = await guest().get(`/api/threads/${slug}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return ThreadResponseSchema.parse(res.body);
    }

    async function post(client: WebClient, slug: string, body: string, parentId?: string): Promise<CommentView> {
      return commentOf(await client.comment(slug, { body, authorName: 'Poster', ...(parentId !== undefined && { parentId }) }), 201, `post "${body}"`);
    }

    /** A socket following the thread from its current seq, recording every thread:event. */
    async function watch(slug: string): Promise<Recorder<ThreadEventWire>> {
      const socket = await sockets.connect(suite.node.baseUrl);
      const events = record(socket, 'thread:event');
      await subscribe(socket, slug, (await threadView(slug)).thread.seq);
      return events;
    }

    /** The thread's latest event, as the watching socket received it: the one the action just committed. */
    async function latestEvent(slug: string, events: Recorder<ThreadEventWire>, previousSeq: number): Promise<ThreadEventWire> {
      const { seq } = (await threadView(slug)).thread;
      assert.equal(seq, previousSeq + 1, 'the action took exactly one seq');
      return events.find(`the thread:event at seq ${seq}`, (e) => e.seq === seq);
    }

    async function queue(client: WebClient = suite.mod.client): Promise<QueueItem[]> {
      const body = expectStatus(await client.get('/api/moderation/queue'), 200, 'queue') as { items: unknown[] };
      return body.items.map((i) => QueueItemSchema.parse(i));
    }

    async function audit(): Promise<AuditRecord[]> {
      return (expectStatus(await suite.admin.client.get('/api/moderation/audit'), 200, 'audit') as { entries: AuditRecord[] }).entries;
    }

    async function moderatorDesk(client: WebClient = suite.mod.client): Promise<Recorder<QueueChangeNotice>> {
      const socket = await sockets.connect(suite.node.baseUrl, { cookie: client.cookie });
      const notices = record(socket, 'moderation:queue');
      const ack = await moderationSubscribe(socket);
      assert.ok(ack.ok, JSON.stringify(ack));
      return notices;
    }

    describe('signing in', () => {
      test('login: 200 with an HttpOnly, SameSite=Lax session cookie; /api/auth/me; a wrong password and an unknown user are the same 401; logout revokes', async () => {
        const account = await createAccount(suite.node, 'moderator', 'login');
        const browser = guest();
        expectError(await browser.get('/api/auth/me'), 401, 'not_signed_in', 'me before signing in');

        const res = await browser.login(account.username.toUpperCase(), account.password);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, { user: { username: account.username, role: 'moderator' } }, 'the username is matched case-insensitively');
        const cookie = res.setCookies.find((c) => c.startsWith('tl_session='));
        assert.ok(cookie, `a tl_session cookie in ${JSON.stringify(res.setCookies)}`);
        assert.match(cookie, /; HttpOnly(;|$)/);
        assert.match(cookie, /; SameSite=Lax(;|$)/);
        assert.match(cookie, /; Path=\/(;|$)/);
        assert.match(cookie, /; Max-Age=604800(;|$)/, 'a week');
        assert.doesNotMatch(cookie, /; Secure/, 'not Secure over plain HTTP');
        const token = browser.sessionToken;
        assert.ok(token && token.length >= 40, 'an opaque, long token');
        assert.doesNotMatch(JSON.stringify(res.body), new RegExp(token), 'the token is only in the cookie');

        const me = await browser.get('/api/auth/me');
        assert.equal(me.status, 200);
        assert.deepEqual(MeSchema.parse((me.body as { user: unknown }).user), { username: account.username, role: 'moderator' });

        const wrong = expectError(await guest().login(account.username, `${account.password}x`), 401, 'invalid_credentials', 'wrong password');
        const unknown = expectError(await guest().login(`nobody-${account.username}`, account.password), 401, 'invalid_credentials', 'unknown user');
        assert.equal(wrong.message, unknown.message, 'a wrong password and an unknown user cannot be told apart');

        // The session is real: the moderator can act with it.
        const t = await thread();
        threadOf(await browser.lock(t.slug), 200, 'lock with the new session');

        const out = await browser.logout();
        assert.equal(out.status, 200);
        const cleared = out.setCookies.find((c) => c.startsWith('tl_session='));
        assert.ok(cleared && /Max-Age=0/.test(cleared), `the cookie is cleared: ${JSON.stringify(out.setCookies)}`);
        // The old cookie, kept by someone who copied it, has no rights from now on.
        const stolen = new WebClient(suite.node.baseUrl, { tl_session: token });
        expectError(await stolen.get('/api/auth/me'), 401, 'not_signed_in', 'me after logout');
        expectError(await stolen.unlock(t.slug), 401, 'not_signed_in', 'unlock after logout');
        assert.equal((await threadView(t.slug)).thread.locked, true);
        const logins = (await audit()).filter((e) => e.action === 'auth.login' && e.actorName === account.username);
        assert.equal(logins.length, 1, 'one successful sign-in, in the audit log');
      });

      test('login: a malformed body is 400; 429 rate_limited after 5 attempts a minute from one address; failures from other addresses lock nobody out', async () => {
        // A node of its own: the limit is per client address, and every test is 127.0.0.1.
        const limited = await startNode({ db: suite.db, passwordCost: TEST_PASSWORD_COST });
        try {
          const account = await createAccount(limited, 'moderator', 'limit');
          const browser = new WebClient(limited.baseUrl);
          expectError(await browser.request('POST', '/api/auth/login', { json: { username: account.username } }), 400, 'invalid_request', 'no password');
          expectError(await browser.request('POST', '/api/auth/login', { json: { username: account.username, password: 'x', remember: true } }), 400, 'invalid_request', 'unknown field');
          for (let i = 1; i <= 5; i++) expectError(await browser.login(account.username, `wrong-${i}`), 401, 'invalid_credentials', `attempt ${i}`);
          const refused = expectError(await browser.login(account.username, account.password), 429, 'rate_limited', 'the 6th attempt, even with the right password');
          assert.ok(Number.isInteger(refused.retryAfter) && refused.retryAfter! >= 1 && refused.retryAfter! <= 60, `retryAfter ${String(refused.retryAfter)}`);
          expectError(await browser.login(`other-${account.username}`, 'whatever'), 429, 'rate_limited', 'another username from the same address');
          assert.equal(browser.sessionToken, undefined);

          // Failures count per username *and* address: tries at one username from five addresses lock nobody out (issue 14).
          const target = await createAccount(limited, 'moderator', 'target');
          for (let i = 1; i <= 5; i++) {
            await assert.rejects(limited.services.auth.login({ username: target.username, password: 'wrong', clientKey: `addr-${i}` }), (e: unknown) => AppError.is(e) && e.code === 'invalid_credentials');
          }
          const { user } = await limited.services.auth.login({ username: target.username, password: target.password, clientKey: 'addr-6' });
          assert.equal(user.username, target.username);
        } finally {
          await limited.close();
        }
      });
    });

    describe('staff sockets', () => {
      test('signing out disconnects the session’s sockets, and its desk hears nothing more', async () => {
        const account = await createAccount(suite.node, 'moderator', 'sockets');
        const client = await signIn(suite.node, account);
        const control = await moderatorDesk();
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: client.cookie });
        await waitForStaffSocket(suite.node, socket, client.sessionToken!);
        const notices = record(socket, 'moderation:queue');
        assert.ok((await moderationSubscribe(socket)).ok);
        const gone = disconnection(socket);
        expectStatus(await client.logout(), 200);
        assert.equal(await gone, 'io server disconnect');

        const t = await thread('sockets');
        threadOf(await suite.mod.client.settings(t.slug, { preModeration: true }), 200);
        const held = await post(guest(), t.slug, 'for the desk only');
        await control.find('the held comment on a signed-in desk', (n) => n.commentId === held.id);
        assert.deepEqual(notices.items, []);
      });

      test('a session that expires while its desk is open: the desk is disconnected and hears nothing more', async () => {
        const account = await createAccount(suite.node, 'moderator', 'expiry');
        const user = (await suite.node.store.accounts.findUserByUsername(account.username))!;
        const token = `expiring-${randomBytes(12).toString('hex')}`;
        await suite.node.store.accounts.createSession({ id: sessionIdOf(token), userId: user.id, expiresAt: new Date(Date.now() + 1500).toISOString() });
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: `${STAFF_COOKIE}=${token}` });
        await waitForStaffSocket(suite.node, socket, token);
        const id = socket.id!;
        const gone = disconnection(socket);
        assert.ok((await moderationSubscribe(socket)).ok, 'the session is still valid when the desk opens');
        assert.ok(suite.node.app.io.of('/').adapter.rooms.get(moderationRoom())?.has(id));
        assert.equal(await gone, 'io server disconnect');
        await waitFor('the expired desk to leave the moderation room', () => !suite.node.app.io.of('/').adapter.rooms.get(moderationRoom())?.has(id));
      });

      test('a session signed out while its socket is connecting: the socket is not left on the desk', async () => {
        // The node's session check on connection is held after it has read the (still valid) session,
        // until the session has been signed out: the order a slow read produces.
        let holdNext: { arrived: () => void; released: Promise<void> } | undefined;
        // The handshake checks the person behind the session (any role), the desk the staff member: whichever comes first is held.
        const holding = (check: (token: string | null | undefined) => Promise<SessionUser | null>) => async (token: string | null | undefined) => {
          const session = await check(token);
          const hold = holdNext;
          holdNext = undefined;
          if (hold) {
            hold.arrived();
            await hold.released;
          }
          return session;
        };
        const gated = await startNode({
          db: suite.db,
          passwordCost: TEST_PASSWORD_COST,
          services: (_store, defaults) => ({
            ...defaults,
            auth: { ...defaults.auth, authenticate: holding(defaults.auth.authenticate), person: holding(defaults.auth.person) },
          }),
        });
        try {
          const account = await createAccount(gated, 'moderator', 'slowcheck');
          const client = await signIn(gated, account);
          const other = (await staffMember(gated, 'moderator', 'control')).client;
          const control = await sockets.connect(gated.baseUrl, { cookie: other.cookie });
          const controlNotices = record(control, 'moderation:queue');
          assert.ok((await moderationSubscribe(control)).ok);
          // Its own session check on connection is done: the next check is the one of the socket below.
          await waitForStaffSocket(gated, control, other.sessionToken!);

          let release = () => {};
          let arrived = () => {};
          const checkReached = new Promise<void>((resolve) => (arrived = resolve));
          holdNext = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
          // The handshake's session check reads a valid session, then waits while the session is signed out.
          const connecting = sockets.connect(gated.baseUrl, { cookie: client.cookie });
          await checkReached;
          expectStatus(await client.on(gated.baseUrl).logout(), 200);
          release();
          const socket = await connecting;
          const notices = record(socket, 'moderation:queue');
          // Whatever it tries now, the desk is refused: its rights are checked again.
          const desk = socket.connected ? await moderationSubscribe(socket).catch(() => undefined) : undefined;
          assert.ok(!desk?.ok, `a signed-out session opened the desk: ${JSON.stringify(desk)}`);

          const t = await createOpenThread(gated.services, 'slowcheck');
          threadOf(await other.settings(t.slug, { preModeration: true }), 200);
          const held = await post(new WebClient(gated.baseUrl), t.slug, 'a held comment with a guest id');
          await controlNotices.find('the held comment on the signed-in desk', (n) => n.commentId === held.id);
          assert.deepEqual(
            notices.items.map((n) => n.item?.comment.body ?? null),
            [],
            `a socket of a signed-out session still receives the moderators' queue (connected: ${socket.connected})`,
          );
        } finally {
          await gated.close();
        }
      });
    });

    describe('role checks', () => {
      function routes(slug: string, commentId: string, username: string, guestId: string): RouteCase[] {
        return [
          { method: 'POST', path: `/api/threads/${slug}/lock`, adminOnly: false },
          { method: 'POST', path: `/api/threads/${slug}/unlock`, adminOnly: false },
          { method: 'PATCH', path: `/api/threads/${slug}`, json: { slowModeSeconds: 30, preModeration: true }, adminOnly: false },
          ...COMMENT_ACTIONS.map((action): RouteCase => ({ method: 'POST', path: `/api/comments/${commentId}/${action}`, json: { reason: 'because' }, adminOnly: false })),
          { method: 'POST', path: '/api/bans', json: { guestId, reason: 'spam' }, adminOnly: false },
          { method: 'GET', path: '/api/moderation/queue', adminOnly: false },
          { method: 'GET', path: '/api/moderation/banned-words', adminOnly: false },
          { method: 'GET', path: '/api/auth/me', adminOnly: false },
          { method: 'GET', path: '/api/moderation/audit', adminOnly: true },
          { method: 'PUT', path: '/api/moderation/banned-words', json: { words: ['forbiddenword'] }, adminOnly: true },
          { method: 'POST', path: '/api/threads', json: { title: 'Opened by someone who may not' }, adminOnly: true },
          { method: 'GET', path: '/api/users', adminOnly: true },
          { method: 'DELETE', path: `/api/users/${username}`, adminOnly: true },
        ];
      }

      /** Everything a staff route could have changed, to compare before and after. */
      async function snapshot(slug: string, guestId: string) {
        const t = await suite.node.store.findThreadBySlug(slug);
        assert.ok(t);
        return {
          thread: await threadView(slug),
          comments: await suite.node.store.listComments({ threadId: t.id }),
          threads: (await suite.node.store.listThreads()).map((x) => x.slug),
          words: await suite.node.store.moderation.listBannedWords(),
          ban: (await suite.node.store.moderation.activeBan({ guestId, now: new Date().toISOString() })) ?? null,
          users: await suite.node.services.auth.listUsers(),
          audit: (await suite.node.store.moderation.listAudit({ limit: 1000 })).length,
        };
      }

      async function scene() {
        const t = await thread('roles');
        const author = guest();
        const comment = await post(author, t.slug, 'a comment to act on');
        const target = await createAccount(suite.node, 'moderator', 'target');
        return { t, comment, target, guestId: author.guestId! };
      }

      test('a guest gets 401 not_signed_in on every staff route, with or without a (forged) session cookie, and nothing changes', async () => {
        const { t, comment, target, guestId } = await scene();
        const before = await snapshot(t.slug, guestId);
        const visitors = [
          ['no cookie at all', guest()],
          ['a guest cookie', await (async () => {
            const g = guest();
            await post(g, t.slug, 'I am a guest');
            return g;
          })()],
          ['a forged session cookie', new WebClient(suite.node.baseUrl, { tl_session: 'forged-token-that-names-no-session-at-all-000000' })],
          ['an empty session cookie', new WebClient(suite.node.baseUrl, { tl_session: '' })],
        ] as const;
        const afterGuestPost = await snapshot(t.slug, guestId);
        for (const [who, client] of visitors) {
          for (const route of routes(t.slug, comment.id, target.username, guestId)) {
            expectError(await client.request(route.method, route.path, route.json === undefined ? {} : { json: route.json }), 401, 'not_signed_in', `${who}: ${route.method} ${route.path}`);
          }
        }
        const now = await snapshot(t.slug, guestId);
        assert.deepEqual(now, afterGuestPost, 'no refused request changed anything');
        assert.equal(now.thread.thread.seq, before.thread.thread.seq + 1, 'the thread seq moved only for the guest’s own comment');
      });

      test('a moderator gets 403 forbidden on the admin-only routes, and nothing changes; the moderator routes are theirs', async () => {
        const { t, comment, target, guestId } = await scene();
        const before = await snapshot(t.slug, guestId);
        const all = routes(t.slug, comment.id, target.username, guestId);
        for (const route of all.filter((r) => r.adminOnly)) {
          expectError(await suite.mod.client.request(route.method, route.path, route.json === undefined ? {} : { json: route.json }), 403, 'forbidden', `moderator: ${route.method} ${route.path}`);
        }
        assert.deepEqual(await snapshot(t.slug, guestId), before);
        // The same account may use the rest (each is exercised in depth below).
        expectStatus(await suite.mod.client.get('/api/moderation/queue'), 200);
        expectStatus(await suite.mod.client.get('/api/moderation/banned-words'), 200);
        threadOf(await suite.mod.client.settings(t.slug, { slowModeSeconds: 5 }), 200);
        commentOf(await suite.mod.client.act(comment.id, 'pin'), 200);
        // And an admin may use the admin routes.
        expectStatus(await suite.admin.client.get('/api/users'), 200);
        expectStatus(await suite.admin.client.get('/api/moderation/audit'), 200);
      });

      test('a revoked session has no rights at once: after logout, and after an admin removes the account', async () => {
        const { t, comment, guestId } = await scene();
        const account = await createAccount(suite.node, 'moderator', 'revoked');
        const first = await signIn(suite.node, account);
        const second = await signIn(suite.node, account);
        expectStatus(await first.get('/api/auth/me'), 200);
        expectStatus(await second.get('/api/auth/me'), 200);

        const token = first.sessionToken!;
        expectStatus(await first.logout(), 200);
        const old = new WebClient(suite.node.baseUrl, { tl_session: token });
        const before = await snapshot(t.slug, guestId);
        for (const route of routes(t.slug, comment.id, suite.admin.account.username, guestId)) {
          expectError(await old.request(route.method, route.path, route.json === undefined ? {} : { json: route.json }), 401, 'not_signed_in', `logged out: ${route.method} ${route.path}`);
        }
        assert.deepEqual(await snapshot(t.slug, guestId), before);
        // Signing out one session leaves the account's other sessions alone.
        threadOf(await second.lock(t.slug), 200, 'the other session');

        // An admin removes the account: every session of it ends at once.
        const removed = expectStatus(await suite.admin.client.request('DELETE', `/api/users/${account.username}`), 200) as { user: { username: string; removedAt: string | null } };
        assert.equal(removed.user.username, account.username);
        assert.ok(removed.user.removedAt);
        const snap = await snapshot(t.slug, guestId);
        for (const route of routes(t.slug, comment.id, suite.admin.account.username, guestId)) {
          expectError(await second.request(route.method, route.path, route.json === undefined ? {} : { json: route.json }), 401, 'not_signed_in', `removed: ${route.method} ${route.path}`);
        }
        assert.deepEqual(await snapshot(t.slug, guestId), snap);
        await assert.rejects(
          suite.node.services.auth.login({ username: account.username, password: account.password, clientKey: 'removed-account' }),
          (e: unknown) => AppError.is(e) && e.code === 'invalid_credentials',
          'a removed account cannot sign in',
        );
        const users = (expectStatus(await suite.admin.client.get('/api/users'), 200) as { users: { username: string; removedAt: string | null }[] }).users;
        assert.ok(users.find((u) => u.username === account.username)?.removedAt, 'listed as removed');
        expectError(await suite.admin.client.request('DELETE', `/api/users/${suite.admin.account.username}`), 403, 'forbidden', 'an admin cannot remove their own account');
        expectError(await suite.admin.client.request('DELETE', '/api/users/no-such-user-here'), 404, 'user_not_found');
        expectStatus(await suite.admin.client.get('/api/auth/me'), 200);
      });
    });

    describe('moderator actions', () => {
      test('lock: posts, replies and socket posts get 423 thread_locked; unlock: posting works again; both announced as thread.updated', async () => {
        const t = await thread('lock');
        const top = await post(guest(), t.slug, 'before the lock');
        const events = await watch(t.slug);

        const locked = threadOf(await suite.mod.client.lock(t.slug, 'heated'), 200, 'lock');
        assert.equal(locked.locked, true);
        assert.equal(locked.seq, top.seq + 1);
        const lockEvent = await latestEvent(t.slug, events, top.seq);
        assert.deepEqual(lockEvent, { slug: t.slug, seq: top.seq + 1, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false } });

        expectError(await guest().comment(t.slug, { body: 'too late', authorName: 'Late' }), 423, 'thread_locked');
        expectError(await guest().comment(t.slug, { body: 'too late', authorName: 'Late', parentId: top.id }), 423, 'thread_locked');
        const socket = await sockets.connect(suite.node.baseUrl);
        const ack = await createViaSocket(socket, { slug: t.slug, body: 'too late', authorName: 'Late' });
        assert.ok(!ack.ok && ack.error.code === 'thread_locked', JSON.stringify(ack));
        const view = await threadView(t.slug);
        assert.equal(view.thread.locked, true);
        assert.equal(view.thread.seq, lockEvent.seq, 'refused posts took no seq');
        // Locking again is harmless and still one event.
        // Locking a locked thread (a double click, a second moderator) changes nothing: no new seq.
        const again = threadOf(await suite.mod.client.lock(t.slug), 200, 'lock again');
        assert.equal(again.seq, lockEvent.seq);

        const unlocked = threadOf(await suite.mod.client.unlock(t.slug), 200, 'unlock');
        assert.equal(unlocked.locked, false);
        const unlockEvent = await latestEvent(t.slug, events, lockEvent.seq);
        assert.deepEqual(unlockEvent, { slug: t.slug, seq: lockEvent.seq + 1, type: 'thread.updated', thread: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: false } });
        const afterUnlock = await post(guest(), t.slug, 'open again', top.id);
        assert.equal(afterUnlock.seq, unlockEvent.seq + 1);
        expectError(await suite.mod.client.lock('no-such-thread-here'), 404, 'thread_not_found');
      });

      test('branch lock: a reply to the comment or anything below it gets 423 branch_locked, elsewhere posting works; comment.updated carries locked', async () => {
        const t = await thread('branch');
        const g = guest();
        const a = await post(g, t.slug, 'A');
        const a1 = await post(g, t.slug, 'A1', a.id);
        const a11 = await post(g, t.slug, 'A11', a1.id);
        const b = await post(g, t.slug, 'B');
        const events = await watch(t.slug);

        const locked = commentOf(await suite.mod.client.act(a1.id, 'lock', 'going in circles'), 200, 'lock branch');
        assert.equal(locked.locked, true);
        const event = await latestEvent(t.slug, events, b.seq);
        assert.equal(event.type, 'comment.updated');
        assert.ok(event.type === 'comment.updated');
        assert.deepEqual({ id: event.comment.id, locked: event.comment.locked, status: event.comment.status, body: event.comment.body }, { id: a1.id, locked: true, status: 'visible', body: 'A1' });

        const someone = guest();
        expectError(await someone.comment(t.slug, { body: 'to A1', authorName: 'X', parentId: a1.id }), 423, 'branch_locked');
        expectError(await someone.comment(t.slug, { body: 'to A11', authorName: 'X', parentId: a11.id }), 423, 'branch_locked');
        const socket = await sockets.connect(suite.node.baseUrl);
        const ack = await createViaSocket(socket, { slug: t.slug, parentId: a11.id, body: 'to A11 by socket', authorName: 'X' });
        assert.ok(!ack.ok && ack.error.code === 'branch_locked', JSON.stringify(ack));
        assert.equal((await threadView(t.slug)).thread.seq, event.seq, 'refused replies took no seq');
        // Above the locked comment, beside it and elsewhere: open.
        await post(someone, t.slug, 'to A', a.id);
        await post(someone, t.slug, 'to B', b.id);
        await post(someone, t.slug, 'a new top-level comment');
        const view = await threadView(t.slug);
        assert.deepEqual(
          view.comments.filter((c) => c.locked).map((c) => c.id),
          [a1.id],
          'the API shows the lock on A1 only',
        );

        const unlocked = commentOf(await suite.mod.client.act(a1.id, 'unlock'), 200, 'unlock branch');
        assert.equal(unlocked.locked, false);
        const unlockEvent = await latestEvent(t.slug, events, view.thread.seq);
        assert.ok(unlockEvent.type === 'comment.updated' && unlockEvent.comment.id === a1.id && unlockEvent.comment.locked === false);
        await post(someone, t.slug, 'to A11 at last', a11.id);
        expectError(await suite.mod.client.act('zzzzzzzzzzzz', 'lock'), 404, 'comment_not_found');
      });

      test('remove: status removed with an empty body, replies stay; restore brings it back; each a comment.updated', async () => {
        const t = await thread('remove');
        const top = await post(guest(), t.slug, 'something rude');
        const reply = await post(guest(), t.slug, 'a fair reply', top.id);
        const events = await watch(t.slug);

        const removed = commentOf(await suite.mod.client.act(top.id, 'remove', 'insults'), 200, 'remove');
        assert.equal(removed.status, 'removed');
        const event = await latestEvent(t.slug, events, reply.seq);
        assert.ok(event.type === 'comment.updated');
        assert.deepEqual(
          { id: event.comment.id, status: event.comment.status, body: event.comment.body, html: event.comment.html, name: event.comment.author.name, seq: event.comment.seq },
          { id: top.id, status: 'removed', body: '', html: '', name: null, seq: top.seq },
        );
        let view = await threadView(t.slug);
        assert.deepEqual(
          view.comments.map((c) => [c.id, c.status, c.body, c.author.name]),
          [
            [top.id, 'removed', '', null],
            [reply.id, 'visible', 'a fair reply', 'Poster'],
          ],
        );
        assert.equal(view.thread.commentCount, 1);
        expectError(await guest().comment(t.slug, { body: 'to the removed one', authorName: 'X', parentId: top.id }), 404, 'parent_not_found');
        expectError(await suite.mod.client.act(top.id, 'remove'), 409, 'already_handled', 'removing twice');
        expectError(await suite.mod.client.act(reply.id, 'restore'), 409, 'already_handled', 'restoring a visible comment');

        const restored = commentOf(await suite.mod.client.act(top.id, 'restore'), 200, 'restore');
        assert.equal(restored.status, 'visible');
        const restoreEvent = await latestEvent(t.slug, events, event.seq);
        assert.ok(restoreEvent.type === 'comment.updated' && restoreEvent.comment.status === 'visible' && restoreEvent.comment.body === 'something rude');
        view = await threadView(t.slug);
        assert.deepEqual(
          view.comments.map((c) => [c.id, c.status, c.body]),
          [
            [top.id, 'visible', 'something rude'],
            [reply.id, 'visible', 'a fair reply'],
          ],
        );
        assert.equal(view.thread.commentCount, 2);
      });

      test('pin and unpin: pinned in the answer, the event and the API; a removed comment is unpinned', async () => {
        const t = await thread('pin');
        const c = await post(guest(), t.slug, 'worth reading');
        const events = await watch(t.slug);

        assert.equal(commentOf(await suite.mod.client.act(c.id, 'pin'), 200, 'pin').pinned, true);
        const pinEvent = await latestEvent(t.slug, events, c.seq);
        assert.ok(pinEvent.type === 'comment.updated' && pinEvent.comment.id === c.id && pinEvent.comment.pinned === true);
        assert.equal((await threadView(t.slug)).comments[0]?.pinned, true);

        assert.equal(commentOf(await suite.mod.client.act(c.id, 'unpin'), 200, 'unpin').pinned, false);
        const unpinEvent = await latestEvent(t.slug, events, pinEvent.seq);
        assert.ok(unpinEvent.type === 'comment.updated' && unpinEvent.comment.pinned === false);
        assert.equal((await threadView(t.slug)).comments[0]?.pinned, false);

        commentOf(await suite.mod.client.act(c.id, 'pin'), 200, 'pin again');
        commentOf(await suite.mod.client.act(c.id, 'remove'), 200, 'remove the pinned comment');
        expectError(await suite.mod.client.act(c.id, 'pin'), 409, 'already_handled', 'a removed comment cannot be pinned');
        commentOf(await suite.mod.client.act(c.id, 'restore'), 200, 'restore');
        assert.equal((await threadView(t.slug)).comments[0]?.pinned, false, 'removing unpinned it for good');
      });

      test('pre-moderation: new comments are pending, hidden from others, queued; approve shows one, reject drops another', async () => {
        const t = await thread('premod');
        const events = await watch(t.slug);
        const desk = await moderatorDesk();

        const on = threadOf(await suite.mod.client.settings(t.slug, { preModeration: true }), 200, 'pre-moderation on');
        assert.equal(on.preModeration, true);
        const onEvent = await latestEvent(t.slug, events, t.seq);
        assert.deepEqual(onEvent, { slug: t.slug, seq: t.seq + 1, type: 'thread.updated', thread: { locked: false, slowModeSeconds: 0, preModeration: true, hidden: false } });

        const author = guest();
        const held = commentOf(await author.comment(t.slug, { body: 'please approve me', authorName: 'Hopeful' }), 201, 'held post');
        assert.equal(held.status, 'pending');
        assert.equal(held.body, 'please approve me', 'the author sees their own held comment');
        const heldLive = await events.find('the held comment’s event', (e) => e.seq === held.seq);
        assert.ok(heldLive.type === 'comment.created' && heldLive.comment.status === 'pending');
        assert.equal(heldLive.comment.body, '', 'readers are not sent the text of a held comment');
        assert.equal(heldLive.comment.author.name, null);

        let view = await threadView(t.slug);
        assert.deepEqual(view.comments, [], 'others do not see the held comment');
        assert.equal(view.thread.commentCount, 0);
        const item = (await queue()).find((i) => i.comment.id === held.id);
        assert.ok(item, 'the held comment is in the queue');
        assert.equal(item.heldReason, 'pre_moderation');
        assert.equal(item.comment.body, 'please approve me');
        assert.deepEqual(item.comment.author, { name: 'Hopeful', guestId: author.guestId });
        assert.deepEqual(item.thread, { slug: t.slug, title: (await threadView(t.slug)).thread.title });
        assert.deepEqual(item.reports, []);
        const notice = await desk.find('the queue notice of the held comment', (n) => n.commentId === held.id && n.item !== null);
        assert.equal(notice.item?.heldReason, 'pre_moderation');

        const approved = commentOf(await suite.mod.client.act(held.id, 'approve'), 200, 'approve');
        assert.equal(approved.status, 'visible');
        const approveEvent = await latestEvent(t.slug, events, held.seq);
        assert.ok(approveEvent.type === 'comment.updated' && approveEvent.comment.id === held.id);
        assert.deepEqual([approveEvent.comment.status, approveEvent.comment.body], ['visible', 'please approve me']);
        view = await threadView(t.slug);
        assert.deepEqual(
          view.comments.map((c) => [c.id, c.status, c.body]),
          [[held.id, 'visible', 'please approve me']],
        );
        assert.equal(view.thread.commentCount, 1);
        assert.equal((await queue()).find((i) => i.comment.id === held.id), undefined, 'approved: out of the queue');
        await desk.find('the queue notice that it left', (n) => n.commentId === held.id && n.item === null);

        const doomed = await post(guest(), t.slug, 'reject me');
        assert.equal(doomed.status, 'pending');
        await desk.find('the queue notice of the second held comment', (n) => n.commentId === doomed.id && n.item !== null);
        const rejected = commentOf(await suite.mod.client.act(doomed.id, 'reject', 'off topic'), 200, 'reject');
        assert.equal(rejected.status, 'deleted');
        const rejectEvent = await latestEvent(t.slug, events, doomed.seq);
        assert.ok(rejectEvent.type === 'comment.updated' && rejectEvent.comment.id === doomed.id && rejectEvent.comment.status === 'deleted' && rejectEvent.comment.body === '');
        assert.deepEqual(
          (await threadView(t.slug)).comments.map((c) => c.id),
          [held.id],
          'rejected: gone',
        );
        assert.equal((await queue()).find((i) => i.comment.id === doomed.id), undefined);
        await desk.find('the queue notice that the rejected one left', (n) => n.commentId === doomed.id && n.item === null);
        expectError(await suite.mod.client.act(doomed.id, 'approve'), 409, 'already_handled', 'approving a rejected comment');
        expectError(await suite.mod.client.act(doomed.id, 'reject'), 409, 'already_handled', 'rejecting twice');
        expectError(await suite.mod.client.act(held.id, 'reject'), 409, 'already_handled', 'rejecting an approved comment');

        threadOf(await suite.mod.client.settings(t.slug, { preModeration: false }), 200, 'pre-moderation off');
        const offEvent = await latestEvent(t.slug, events, rejectEvent.seq);
        assert.ok(offEvent.type === 'thread.updated' && offEvent.thread.preModeration === false);
        assert.equal((await post(guest(), t.slug, 'straight through')).status, 'visible');
      });

      test('slow mode: a second post within the window is 429 slow_mode with retryAfter; other guests and other threads are not held up', async () => {
        const t = await thread('slow');
        const other = await thread('fast');
        const events = await watch(t.slug);

        for (const bad of [{ slowModeSeconds: -1 }, { slowModeSeconds: 86_401 }, { slowModeSeconds: 1.5 }, { slowModeSeconds: '60' }, {}, { locked: true }, { preModeration: 'yes' }]) {
          expectError(await suite.mod.client.settings(t.slug, bad), 400, 'invalid_request', JSON.stringify(bad));
        }
        assert.equal((await threadView(t.slug)).thread.seq, t.seq, 'invalid settings changed nothing');

        const slowed = threadOf(await suite.mod.client.settings(t.slug, { slowModeSeconds: 60 }), 200, 'slow mode on');
        assert.equal(slowed.slowModeSeconds, 60);
        const onEvent = await latestEvent(t.slug, events, t.seq);
        assert.deepEqual(onEvent, { slug: t.slug, seq: t.seq + 1, type: 'thread.updated', thread: { locked: false, slowModeSeconds: 60, preModeration: false, hidden: false } });

        const chatty = guest();
        const first = await post(chatty, t.slug, 'first');
        const res = await chatty.comment(t.slug, { body: 'second, too soon', authorName: 'Chatty' });
        const error = expectError(res, 429, 'slow_mode');
        assert.ok(Number.isInteger(error.retryAfter) && error.retryAfter! >= 1 && error.retryAfter! <= 60, `retryAfter ${String(error.retryAfter)}`);
        assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
        expectError(await chatty.comment(t.slug, { body: 'a reply, too soon', authorName: 'Chatty', parentId: first.id }), 429, 'slow_mode');
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: chatty.cookie });
        const ack = await createViaSocket(socket, { slug: t.slug, body: 'by socket, too soon', authorName: 'Chatty' });
        assert.ok(!ack.ok && ack.error.code === 'slow_mode' && (ack.error.retryAfter ?? 0) >= 1, JSON.stringify(ack));
        assert.equal((await threadView(t.slug)).thread.seq, first.seq, 'refused posts took no seq');

        await post(guest(), t.slug, 'another guest is fine');
        await post(chatty, other.slug, 'another thread is fine');
        threadOf(await suite.mod.client.settings(t.slug, { slowModeSeconds: 0 }), 200, 'slow mode off');
        assert.equal((await post(chatty, t.slug, 'second, now allowed')).status, 'visible');
      });

      test('banned words: admins set them; a matching comment (body or name) is held with heldReason banned_word', async () => {
        const t = await thread('words');
        try {
          expectError(await suite.mod.client.request('PUT', '/api/moderation/banned-words', { json: { words: ['nope'] } }), 403, 'forbidden');
          expectError(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: [''] } }), 400, 'invalid_request');
          const set = expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: ['  Spam ', 'ＥＧＧＳ', 'bad phrase', 'spam'] } }), 200) as { words: string[] };
          assert.deepEqual(set.words, ['bad phrase', 'eggs', 'spam'], 'trimmed, normalised, lowercased, deduplicated');
          assert.deepEqual(expectStatus(await suite.mod.client.get('/api/moderation/banned-words'), 200), { words: ['bad phrase', 'eggs', 'spam'] }, 'moderators may read them');

          const caught = await post(guest(), t.slug, 'Buy cheap SPAM here!');
          assert.equal(caught.status, 'pending');
          const fullWidth = await post(guest(), t.slug, 'green ｅｇｇｓ and ham');
          assert.equal(fullWidth.status, 'pending');
          const phrase = await post(guest(), t.slug, 'what a Bad Phrase to use');
          assert.equal(phrase.status, 'pending');
          const byName = commentOf(await guest().comment(t.slug, { body: 'an innocent body', authorName: 'Spam King' }), 201);
          assert.equal(byName.status, 'pending', 'the author name is checked too');
          const hyphen = await post(guest(), t.slug, 'a spammer is not spam-free? spamming');
          assert.equal(hyphen.status, 'pending', '"spam-free" contains the whole word "spam"');
          const clean = await post(guest(), t.slug, 'spammers and eggplants are fine');
          assert.equal(clean.status, 'visible', 'whole words only');

          const heldIds = [caught.id, fullWidth.id, phrase.id, byName.id, hyphen.id];
          assert.deepEqual(
            (await threadView(t.slug)).comments.map((c) => c.id),
            [clean.id],
            'held comments are hidden',
          );
          const items = (await queue()).filter((i) => i.thread.slug === t.slug);
          assert.deepEqual(items.map((i) => i.comment.id).sort(), [...heldIds].sort());
          for (const i of items) assert.equal(i.heldReason, 'banned_word', i.comment.body);
          commentOf(await suite.mod.client.act(caught.id, 'approve'), 200, 'a moderator may still approve it');
          assert.ok((await threadView(t.slug)).comments.some((c) => c.id === caught.id));
        } finally {
          expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: [] } }), 200);
        }
        assert.equal((await post(guest(), t.slug, 'spam is allowed again')).status, 'visible');
      });

      test('banned words: an edit cannot slip a banned word past the filter', async () => {
        const t = await thread('words-edit');
        const author = guest();
        const comment = await post(author, t.slug, 'a perfectly clean comment');
        try {
          expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: ['scamlink'] } }), 200);
          const res = await author.request('PATCH', `/api/comments/${comment.id}`, { json: { body: 'now visit scamlink today' } });
          const shown = (await threadView(t.slug)).comments.find((c) => c.id === comment.id);
          assert.ok(
            !shown || !shown.body.includes('scamlink'),
            `the edit (answered ${res.status} ${JSON.stringify(res.body)}) published a banned word to every reader: ${JSON.stringify(shown)}`,
          );
        } finally {
          expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: [] } }), 200);
        }
      });

      test('ban: the guest’s next post is 403 banned (HTTP and socket); an until in the past is refused 400', async () => {
        const t = await thread('ban');
        const troll = guest();
        const c = await post(troll, t.slug, 'trolling');
        const guestId = troll.guestId!;
        assert.match(guestId, /^[a-z0-9]{1,32}$/);

        const past = expectError(await suite.mod.client.post('/api/bans', { guestId, until: new Date(Date.now() - 60_000).toISOString(), reason: 'trolling' }), 400, 'invalid_request', 'until in the past');
        assert.ok(past.fields?.until?.length, JSON.stringify(past));
        expectError(await suite.mod.client.post('/api/bans', { guestId, until: 'tomorrow', reason: 'trolling' }), 400, 'invalid_request', 'until not a date');
        expectError(await suite.mod.client.post('/api/bans', { guestId: 'Not A Guest', reason: 'trolling' }), 400, 'invalid_request', 'a malformed guest id');
        expectError(await suite.mod.client.post('/api/bans', { guestId }), 400, 'invalid_request', 'no reason');
        const stillFree = await post(troll, t.slug, 'not banned yet', c.id);
        assert.equal(stillFree.status, 'visible', 'refused bans banned nobody');

        const ban = (expectStatus(await suite.mod.client.post('/api/bans', { guestId, reason: 'persistent trolling' }), 201) as { ban: { guestId: string; until: string | null; reason: string; createdBy: string } }).ban;
        assert.deepEqual([ban.guestId, ban.until, ban.reason, ban.createdBy], [guestId, null, 'persistent trolling', suite.mod.account.username]);
        const before = (await threadView(t.slug)).thread.seq;
        const refused = expectError(await troll.comment(t.slug, { body: 'let me back', authorName: 'Troll' }), 403, 'banned');
        assert.match(refused.message, /persistent trolling/);
        expectError(await troll.comment(t.slug, { body: 'a reply then', authorName: 'Troll', parentId: c.id }), 403, 'banned');
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: troll.cookie });
        const ack = await createViaSocket(socket, { slug: t.slug, body: 'by socket', authorName: 'Troll' });
        assert.ok(!ack.ok && ack.error.code === 'banned', JSON.stringify(ack));
        const elsewhere = await thread('ban-elsewhere');
        expectError(await troll.comment(elsewhere.slug, { body: 'in another thread', authorName: 'Troll' }), 403, 'banned', 'a ban is everywhere');
        assert.equal((await threadView(t.slug)).thread.seq, before, 'nothing stored');
        await post(guest(), t.slug, 'other guests post as before');

        // A ban for a while names its end.
        const briefly = guest();
        await post(briefly, t.slug, 'me too');
        const until = new Date(Date.now() + 3_600_000).toISOString();
        const timed = (expectStatus(await suite.mod.client.post('/api/bans', { guestId: briefly.guestId, until, reason: 'cool off' }), 201) as { ban: { until: string } }).ban;
        assert.equal(timed.until, until);
        const timedRefusal = expectError(await briefly.comment(t.slug, { body: 'again', authorName: 'Brief' }), 403, 'banned');
        assert.match(timedRefusal.message, /until/);
      });

      test('report: 201, then 200 on repeat; queued with its reasons; keep closes the reports; a second moderator gets 409 already_handled', async () => {
        const t = await thread('report');
        const author = guest();
        const c = await post(author, t.slug, 'a debatable opinion');
        const events = await watch(t.slug);
        const desk = await moderatorDesk();
        const other = await staffMember(suite.node, 'moderator', 'second');

        const readerA = guest();
        const readerB = guest();
        expectError(await readerA.report(c.id, '   '), 400, 'invalid_request', 'an empty reason');
        expectError(await readerA.request('POST', `/api/comments/${c.id}/report`, { json: { reason: 'x', extra: 1 } }), 400, 'invalid_request', 'an unknown field');
        expectError(await readerA.report('zzzzzzzzzzzz', 'spam'), 404, 'comment_not_found');
        assert.deepEqual(expectStatus(await readerA.report(c.id, 'misinformation'), 201), { ok: true });
        assert.deepEqual(expectStatus(await readerA.report(c.id, 'misinformation, again'), 200), { ok: true }, 'a repeat is not a second report');
        expectStatus(await readerB.report(c.id, 'rude'), 201);

        const item = (await queue()).find((i) => i.comment.id === c.id);
        assert.ok(item, 'the reported comment is queued');
        assert.equal(item.heldReason, null);
        assert.deepEqual(
          item.reports.map((r) => r.reason),
          ['misinformation', 'rude'],
        );
        assert.equal(item.comment.status, 'visible');
        assert.deepEqual(item.comment.author, { name: 'Poster', guestId: author.guestId });
        const notice = await desk.find('the queue notice with both reports', (n) => n.commentId === c.id && (n.item?.reports.length ?? 0) === 2);
        assert.deepEqual(
          notice.item?.reports.map((r) => r.reason),
          ['misinformation', 'rude'],
        );
        assert.equal((await threadView(t.slug)).thread.seq, c.seq, 'a report is not a thread event');

        const kept = commentOf(await suite.mod.client.act(c.id, 'approve', 'fair comment'), 200, 'keep');
        assert.equal(kept.status, 'visible');
        assert.equal((await queue()).find((i) => i.comment.id === c.id), undefined, 'the reports are closed');
        await desk.find('the queue notice that it left', (n) => n.commentId === c.id && n.item === null);
        expectError(await other.client.act(c.id, 'approve'), 409, 'already_handled', 'the second moderator');
        assert.equal((await threadView(t.slug)).comments[0]?.status, 'visible');
        assert.equal((await threadView(t.slug)).thread.seq, c.seq, 'keeping changes nothing readers see');
        assert.deepEqual(events.items, []);

        // A report after that is a new report from a new reader.
        expectStatus(await guest().report(c.id, 'still bad'), 201);
        assert.deepEqual(
          (await queue()).find((i) => i.comment.id === c.id)?.reports.map((r) => r.reason),
          ['still bad'],
        );
        // A removed comment cannot be reported, and removing closes its reports.
        commentOf(await suite.mod.client.act(c.id, 'remove'), 200, 'remove');
        assert.equal((await queue()).find((i) => i.comment.id === c.id), undefined);
        expectError(await guest().report(c.id, 'gone?'), 404, 'comment_not_found');
      });

      test('unremove (Undo), over HTTP and the socket: the comment is back as it was, pinned or held, with the reports its removal closed open again; restore reopens none', async () => {
        const t = await thread('unremove');
        const c = await post(guest(), t.slug, 'removed in haste');
        commentOf(await suite.mod.client.act(c.id, 'pin'), 200, 'pin');
        expectStatus(await guest().report(c.id, { category: 'abuse', reason: 'harsh' }), 201);
        expectStatus(await guest().report(c.id, { category: 'spam' }), 201);
        const events = await watch(t.slug);
        const desk = await moderatorDesk();
        const reportsOf = async (id: string) => (await queue()).find((i) => i.comment.id === id)?.reports.map((r) => r.category).sort();
        expectError(await suite.mod.client.act(c.id, 'unremove'), 409, 'already_handled', 'nothing to undo');

        commentOf(await suite.mod.client.act(c.id, 'remove', 'by mistake'), 200, 'remove');
        const removed = await latestEvent(t.slug, events, (await threadView(t.slug)).thread.seq - 1);
        assert.equal(await reportsOf(c.id), undefined, 'removing closes the reports');
        await desk.find('the notice that it left the queue', (n) => n.commentId === c.id && n.item === null);

        const undone = commentOf(await suite.mod.client.act(c.id, 'unremove'), 200, 'unremove');
        assert.deepEqual([undone.status, undone.pinned, undone.body], ['visible', true, 'removed in haste']);
        const undoneEvent = await latestEvent(t.slug, events, removed.seq);
        assert.ok(undoneEvent.type === 'comment.updated' && undoneEvent.comment.status === 'visible' && undoneEvent.comment.pinned, JSON.stringify(undoneEvent));
        assert.deepEqual(await reportsOf(c.id), ['abuse', 'spam'], 'the reports are open again');
        const back = await desk.find('the notice that it is back, with its reports', (n) => n.commentId === c.id && (n.item?.reports.length ?? 0) === 2);
        assert.equal(back.item?.reports.find((r) => r.category === 'abuse')?.reason, 'harsh');
        expectError(await suite.mod.client.act(c.id, 'unremove'), 409, 'already_handled', 'undone once');

        // The same over the socket.
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: suite.mod.client.cookie });
        assert.ok((await moderationAct(socket, { commentId: c.id, action: 'remove' })).ok);
        assert.equal(await reportsOf(c.id), undefined);
        const socketUndo = await moderationAct(socket, { commentId: c.id, action: 'unremove' });
        assert.ok(socketUndo.ok && socketUndo.comment?.status === 'visible' && socketUndo.comment.pinned, JSON.stringify(socketUndo));
        assert.deepEqual(await reportsOf(c.id), ['abuse', 'spam']);

        // A restore is a moderator's judgement, not an undo: the reports stay closed, and a later undo leaves them so.
        commentOf(await suite.mod.client.act(c.id, 'remove'), 200, 'remove again');
        const restored = commentOf(await suite.mod.client.act(c.id, 'restore'), 200, 'restore');
        assert.deepEqual([restored.status, restored.pinned], ['visible', false]);
        assert.equal(await reportsOf(c.id), undefined, 'restoring reopens nothing');
        expectStatus(await guest().report(c.id, { category: 'off_topic' }), 201);
        commentOf(await suite.mod.client.act(c.id, 'remove'), 200, 'remove the newly reported comment');
        commentOf(await suite.mod.client.act(c.id, 'unremove'), 200, 'undo that removal');
        assert.deepEqual(await reportsOf(c.id), ['off_topic'], 'only what that removal closed');

        // A held comment removed at the desk and undone is held again: still hidden from readers.
        const held = await thread('unremove-held');
        threadOf(await suite.mod.client.settings(held.slug, { preModeration: true }), 200);
        const h = await post(guest(), held.slug, 'held, then removed in haste');
        commentOf(await suite.mod.client.act(h.id, 'remove'), 200, 'remove the held comment');
        const heldAgain = commentOf(await suite.mod.client.act(h.id, 'unremove'), 200, 'unremove the held comment');
        assert.equal(heldAgain.status, 'pending');
        assert.deepEqual((await threadView(held.slug)).comments, [], 'readers still do not see it');
        assert.equal((await queue()).find((i) => i.comment.id === h.id)?.heldReason, 'pre_moderation', 'back in the queue as held');

        const mine = (await audit()).filter((e) => e.actorName === suite.mod.account.username && (e.commentId === c.id || e.commentId === h.id)).map((e) => e.action);
        assert.equal(mine.filter((a) => a === 'comment.unremove').length, 4, JSON.stringify(mine));
      });

      test('report categories: a category alone, or with words; `other` needs words; the queue names each', async () => {
        const t = await thread('report-categories');
        const c = await post(guest(), t.slug, 'buy cheap watches');
        const reader = guest();
        expectError(await reader.report(c.id, { category: 'other' }), 400, 'invalid_request', 'other without words');
        expectError(await reader.report(c.id, { category: 'boring' as 'other', reason: 'x' }), 400, 'invalid_request', 'an unknown category');
        expectError(await reader.report(c.id, { category: 'spam', reason: '  ' }), 400, 'invalid_request', 'blank words');
        expectStatus(await reader.report(c.id, { category: 'spam' }), 201);
        expectStatus(await guest().report(c.id, { category: 'abuse', reason: 'insults the seller' }), 201);
        expectStatus(await guest().report(c.id, { category: 'other', reason: 'wrong section' }), 201);
        expectStatus(await guest().report(c.id, 'words alone'), 201);
        // (Reports in the same millisecond have no order between them: compared as a set.)
        assert.deepEqual((await queue()).find((i) => i.comment.id === c.id)?.reports.map(({ category, reason }) => `${category}: ${reason}`).sort(), [
          'abuse: insults the seller',
          'other: words alone',
          'other: wrong section',
          'spam: null',
        ]);
      });

      test('moderation:act over the socket: thread lock and comment actions, with the same effects and events', async () => {
        const t = await thread('socket-act');
        const c = await post(guest(), t.slug, 'act on me');
        const events = await watch(t.slug);
        const socket = await sockets.connect(suite.node.baseUrl, { cookie: suite.mod.client.cookie });

        const lockAck = await moderationAct(socket, { slug: t.slug, action: 'lock', reason: 'by socket' });
        assert.ok(lockAck.ok && lockAck.thread?.locked === true, JSON.stringify(lockAck));
        const lockEvent = await latestEvent(t.slug, events, c.seq);
        assert.ok(lockEvent.type === 'thread.updated' && lockEvent.thread.locked);
        expectError(await guest().comment(t.slug, { body: 'locked?', authorName: 'Q' }), 423, 'thread_locked');

        const pinAck = await moderationAct(socket, { commentId: c.id, action: 'pin' });
        assert.ok(pinAck.ok && pinAck.comment?.pinned === true, JSON.stringify(pinAck));
        const pinEvent = await latestEvent(t.slug, events, lockEvent.seq);
        assert.ok(pinEvent.type === 'comment.updated' && pinEvent.comment.pinned);

        const bad = await moderationAct(socket, { commentId: c.id, action: 'explode' });
        assert.ok(!bad.ok && bad.error.code === 'invalid_request', JSON.stringify(bad));
        const twice = await moderationAct(socket, { commentId: c.id, action: 'restore' });
        assert.ok(!twice.ok && twice.error.code === 'already_handled', JSON.stringify(twice));
        const unlockAck = await moderationAct(socket, { slug: t.slug, action: 'unlock' });
        assert.ok(unlockAck.ok && unlockAck.thread?.locked === false, JSON.stringify(unlockAck));
        await post(guest(), t.slug, 'open again');
      });

      test('an admin opens a thread: 201, with a slug; guests can post to it', async () => {
        const title = `Opened by an admin ${Date.now()}`;
        const created = threadOf(await suite.admin.client.post('/api/threads', { title }), 201, 'create');
        assert.equal(created.title, title);
        assert.equal(created.locked, false);
        const again = threadOf(await suite.admin.client.post('/api/threads', { title }), 201, 'same title');
        assert.notEqual(again.slug, created.slug, 'a taken slug is not reused');
        expectError(await suite.admin.client.post('/api/threads', { title: '  ' }), 400, 'invalid_request');
        await post(guest(), created.slug, 'first!');
      });

      test('the audit log lists every action with its actor, target and reason; refused actions are not logged', async () => {
        const actor = await staffMember(suite.node, 'moderator', 'auditor');
        const m = actor.client;
        const t = await thread('audit');
        const g = guest();
        const c = await post(g, t.slug, 'audited');
        threadOf(await m.lock(t.slug, 'cool down'), 200);
        threadOf(await m.unlock(t.slug), 200);
        threadOf(await m.settings(t.slug, { slowModeSeconds: 10, preModeration: true }), 200);
        const held = await post(guest(), t.slug, 'held for audit');
        const held2 = await post(guest(), t.slug, 'held for audit too');
        threadOf(await m.settings(t.slug, { slowModeSeconds: 0, preModeration: false }), 200);
        for (const action of ['pin', 'unpin', 'lock', 'unlock'] as const) commentOf(await m.act(c.id, action), 200, action);
        commentOf(await m.act(c.id, 'remove', 'rule 3'), 200);
        commentOf(await m.act(c.id, 'restore'), 200);
        commentOf(await m.act(held.id, 'approve'), 200);
        commentOf(await m.act(held2.id, 'reject', 'off topic'), 200);
        expectError(await m.act(held2.id, 'approve'), 409, 'already_handled');
        expectStatus(await guest().report(c.id, 'hmm'), 201);
        commentOf(await m.act(c.id, 'approve', 'fine'), 200);
        expectStatus(await m.post('/api/bans', { guestId: g.guestId, reason: 'for the audit' }), 201);
        expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: [] }), 400);
        expectStatus(await suite.admin.client.request('PUT', '/api/moderation/banned-words', { json: { words: [] } }), 200);
        const opened = threadOf(await suite.admin.client.post('/api/threads', { title: 'An audited thread' }), 201);
        const doomed = await createAccount(suite.node, 'moderator', 'doomed');
        expectStatus(await suite.admin.client.request('DELETE', `/api/users/${doomed.username}`), 200);

        const entries = await audit();
        const mine = entries.filter((e) => e.actorName === actor.account.username);
        const row = (e: AuditRecord) => JSON.stringify([e.action, e.target ?? e.commentId, e.reason]);
        // As a set: two entries written in the same millisecond have no order between them.
        const expected = [
          ['auth.login', null, null],
          ['thread.lock', t.slug, 'cool down'],
          ['thread.unlock', t.slug, null],
          ['thread.settings', t.slug, null],
          ['thread.settings', t.slug, null],
          ['comment.pin', c.id, null],
          ['comment.unpin', c.id, null],
          ['comment.lock', c.id, null],
          ['comment.unlock', c.id, null],
          ['comment.remove', c.id, 'rule 3'],
          ['comment.restore', c.id, null],
          ['comment.approve', held.id, null],
          ['comment.reject', held2.id, 'off topic'],
          ['comment.keep', c.id, 'fine'],
          ['guest.ban', g.guestId, 'for the audit'],
        ].map((x) => JSON.stringify(x));
        assert.deepEqual(mine.map(row).sort(), expected.sort());
        const account = (await suite.node.services.auth.listUsers()).find((u) => u.username === actor.account.username);
        for (const e of mine) assert.equal(e.actorId, account?.id, `${e.action} names the actor's account`);
        assert.deepEqual(
          mine
            .filter((e) => e.action === 'thread.settings')
            .map((e) => e.details)
            .sort((x, y) => Number(y.slowModeSeconds) - Number(x.slowModeSeconds)),
          [
            { slowModeSeconds: 10, preModeration: true },
            { slowModeSeconds: 0, preModeration: false },
          ],
          'the settings changes keep what was set',
        );
        const threadId = (await suite.node.store.findThreadBySlug(t.slug))?.id;
        for (const e of mine.filter((x) => x.action.startsWith('comment.'))) assert.equal(e.threadId, threadId, `${e.action} names the thread`);
        const byAdmin = entries.filter((e) => e.actorName === suite.admin.account.username).map((e) => [e.action, e.target]);
        assert.ok(byAdmin.some(([a]) => a === 'banned_words.set'), JSON.stringify(byAdmin));
        assert.ok(byAdmin.some(([a, target]) => a === 'thread.create' && target === opened.slug), JSON.stringify(byAdmin));
        assert.ok(byAdmin.some(([a, target]) => a === 'user.remove' && target === doomed.username), JSON.stringify(byAdmin));
        // The log is ordered newest first.
        const times = entries.map((e) => Date.parse(e.at));
        assert.deepEqual(times, [...times].sort((x, y) => y - x));
      });

      test('the queue is for staff only, and lists held and reported comments from every thread', async () => {
        const t1 = await thread('queue-1');
        const t2 = await thread('queue-2');
        threadOf(await suite.mod.client.settings(t1.slug, { preModeration: true }), 200);
        const held = await post(guest(), t1.slug, 'held in one');
        const reported = await post(guest(), t2.slug, 'reported in two');
        expectStatus(await guest().report(reported.id, 'hmm'), 201);
        const items = await queue();
        const ids = items.map((i) => i.comment.id);
        assert.ok(ids.includes(held.id) && ids.includes(reported.id), JSON.stringify(ids));
        // Newest first.
        assert.ok(ids.indexOf(reported.id) < ids.indexOf(held.id));
        assert.ok((await queue(suite.admin.client)).some((i) => i.comment.id === held.id), 'admins read the queue too');
      });
    });

    describe('control characters in what staff and readers write besides comments (NUL: PostgreSQL cannot store it)', () => {
      // A node of its own without limits: the suite's writes come near the per-address budget already.
      let node: TestNode;
      let mod: WebClient;
      let admin: WebClient;
      before(async () => {
        // Pages stand in for Next.js, which makes the no-JavaScript sign-in form's route reachable.
        node = await startNode({ db: suite.db, rateLimits: false, pageHandler: (_req, res) => void res.end('page') });
        [mod, admin] = [suite.mod.client.on(node.baseUrl), suite.admin.client.on(node.baseUrl)];
      });
      after(() => node.close());

      const refusedField = (res: HttpResult, field: string, what: string) => assert.ok(expectError(res, 400, 'invalid_request', what).fields?.[field]?.length, `${what}: fields.${field}`);

      test('a reason holding NUL or another control character is a 400 naming reason, never a 500: actions, reports, bans, HTTP and socket', async () => {
        const t = await thread('reason-controls');
        const author = new WebClient(node.baseUrl);
        const c = await post(author, t.slug, 'say why');
        for (const reason of ['a\u0000b', 'ring \u0007']) {
          const what = JSON.stringify(reason);
          for (const action of ['remove', 'pin', 'lock']) refusedField(await mod.act(c.id, action, reason), 'reason', `${action} with ${what}`);
          refusedField(await mod.lock(t.slug, reason), 'reason', `thread lock with ${what}`);
          refusedField(await admin.post(`/api/threads/${t.slug}/hide`, { reason }), 'reason', `thread hide with ${what}`);
          refusedField(await new WebClient(node.baseUrl).report(c.id, reason), 'reason', `report with ${what}`);
          refusedField(await mod.post('/api/bans', { guestId: author.guestId, reason }), 'reason', `ban with ${what}`);
        }
        const socket = await sockets.connect(node.baseUrl, { cookie: mod.cookie });
        const ack = await moderationAct(socket, { commentId: c.id, action: 'remove', reason: 'a\u0000b' });
        assert.ok(!ack.ok && ack.error.code === 'invalid_request' && ack.error.fields?.reason?.length, JSON.stringify(ack));
        assert.equal((await threadView(t.slug)).comments[0]?.status, 'visible', 'nothing was done');
        commentOf(await mod.act(c.id, 'lock', 'tabs\tand\nline breaks are fine'), 200);
      });

      test('a new thread whose title holds NUL or another control character is a 400 naming title, never a 500', async () => {
        for (const title of ['a\u0000b', 'ring \u0007']) refusedField(await admin.post('/api/threads', { title }), 'title', `title ${JSON.stringify(title)}`);
      });

      test('a banned word holding NUL or another control character is a 400 naming it, never a 500; the list stays as it was', async () => {
        const before = expectStatus(await mod.get('/api/moderation/banned-words'), 200);
        for (const word of ['a\u0000b', 'ring \u0007']) {
          refusedField(await admin.request('PUT', '/api/moderation/banned-words', { json: { words: ['fine', word] } }), 'words.1', `word ${JSON.stringify(word)}`);
        }
        assert.deepEqual(expectStatus(await mod.get('/api/moderation/banned-words'), 200), before);
      });

      test('signing in with NUL or another control character in the username: a 400 naming username (the form: back to it with the error), never a 500', async () => {
        for (const username of ['a\u0000b', 'ring\u0007']) {
          const what = `username ${JSON.stringify(username)}`;
          refusedField(await new WebClient(node.baseUrl).login(username, 'whatever'), 'username', what);
          const form = await new WebClient(node.baseUrl).request('POST', '/login', { raw: new URLSearchParams({ username, password: 'whatever' }).toString(), contentType: 'application/x-www-form-urlencoded' });
          assert.equal(form.status, 303, `${what} by the form: ${form.status} ${JSON.stringify(form.body)}`);
          assert.equal(new URL(form.headers.get('location')!, node.baseUrl).searchParams.get('error'), 'invalid_request', what);
        }
      });
    });
  });
}
