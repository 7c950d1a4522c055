import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { before, describe, test } from 'node:test';
import {
  AdminThreadListResponseSchema,
  CatchUpSchema,
  CommentResponseSchema,
  DeletedThreadSchema,
  ThreadDetailSchema,
  ThreadListResponseSchema,
  ThreadResponseSchema,
  type CommentView,
  type QueueItem,
} from '../../lib/contract';
import { threadRoom, type DeletedNotice, type QueueChangeNotice } from '../../lib/contract/socket';
import type { Thread } from '../../lib/domain/types';
import type { AuditRecord } from '../../lib/store/moderationStore';
import type { HttpResult } from '../testing/http';
import { TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createViaSocket, record, subscribe, subscribeAck, type ClientSocket } from '../testing/sockets';
import { expectError, expectStatus, moderationSubscribe, staffMember, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNodes, useStaffNode } from '../testing/suites';
import { waitFor } from '../testing/wait';

/** Stands in for Next.js, so the no-JavaScript form's route is reachable too. */
function noPages(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('a page');
}

const detailOf = (res: HttpResult, what = '', status = 200) => ThreadDetailSchema.parse((expectStatus(res, status, what) as { thread: unknown }).thread);
const commentOf = (res: HttpResult, status: number, what = ''): CommentView => CommentResponseSchema.parse(expectStatus(res, status, what)).comment;

/**
 * Threads nobody wanted (issue 14.3), as an attacker and an admin meet them
 * over the real app, on SQLite and PostgreSQL: the thread list is paged, an
 * admin hides a thread (gone for everyone else, everywhere, at once, posting
 * refused on every path) or deletes it (every row but its audit entry, its
 * open pages told), and nobody else can do either.
 */
for (const kind of DATABASE_KINDS) {
  describe(`threads nobody wanted on ${kind}`, () => {
    const suite = useStaffNode(kind, { pageHandler: noPages });
    const { sockets } = suite;

    const node = () => suite.node;
    const guest = () => new WebClient(node().baseUrl);
    const newThread = async (label: string) => (await node().services.threads.createThread({ title: `${label} ${randomBytes(4).toString('hex')}` })).slug;

    async function post(client: WebClient, slug: string, body: string): Promise<CommentView> {
      return commentOf(await client.comment(slug, { body, authorName: 'Poster' }), 201, `post "${body}"`);
    }

    /** A reader's socket on the thread from its current seq, recording its events and any deletion notice. */
    async function reader(slug: string, cookie?: string) {
      const socket = await sockets.connect(node().baseUrl, { cookie });
      const events = record(socket, 'thread:event');
      const deleted = record(socket, 'thread:deleted');
      const { thread } = await subscribe(socket, slug);
      return { socket, events, deleted, seq: thread.seq };
    }

    async function audit(): Promise<AuditRecord[]> {
      return (expectStatus(await suite.admin.client.get('/api/moderation/audit'), 200, 'audit') as { entries: AuditRecord[] }).entries;
    }

    async function listed(client: WebClient = guest()): Promise<string[]> {
      const slugs: string[] = [];
      let path = '/api/threads?limit=100';
      for (;;) {
        const page = ThreadListResponseSchema.parse(expectStatus(await client.get(path), 200, path));
        slugs.push(...page.threads.map((t) => t.slug));
        if (page.next === null) return slugs;
        path = `/api/threads?limit=100&after=${page.next}`;
      }
    }

    describe('the thread list', () => {
      test('GET /api/threads after a flood of 120 threads: 50 a page by default, newest first, each thread once, walking `next` to the end', async () => {
        const made: Thread[] = [];
        for (let i = 0; i < 120; i++) made.push(await node().store.createThread({ slug: `flood-${i}-${randomBytes(3).toString('hex')}`, title: `Flood ${i}` }));
        const first = ThreadListResponseSchema.parse(expectStatus(await guest().get('/api/threads'), 200));
        assert.equal(first.threads.length, 50, 'one default page, not every thread');
        assert.ok(first.next, 'and the cursor of the next');
        // Many are made within one millisecond: those come in id order, newest id first.
        const newestFirst = [...made].sort((x, y) => (x.createdAt === y.createdAt ? y.id.localeCompare(x.id, 'en') : y.createdAt.localeCompare(x.createdAt, 'en')));
        assert.deepEqual(
          first.threads.map((t) => t.slug),
          newestFirst.slice(0, 50).map((t) => t.slug),
          'newest first',
        );
        const all = await listed();
        assert.equal(new Set(all).size, all.length, 'no thread twice');
        for (const { slug } of made) assert.ok(all.includes(slug), `${slug} is in the list`);
        const small = ThreadListResponseSchema.parse(expectStatus(await guest().get('/api/threads?limit=7'), 200));
        assert.equal(small.threads.length, 7);
        assert.deepEqual(small.threads, first.threads.slice(0, 7));
        const second = ThreadListResponseSchema.parse(expectStatus(await guest().get(`/api/threads?limit=7&after=${small.next!}`), 200));
        assert.deepEqual(second.threads, first.threads.slice(7, 14), 'the cursor goes on where the page stopped');
      });

      test('a bad limit or cursor is a 400 invalid_request naming the field', async () => {
        for (const limit of ['0', '101', 'x', '2.5', '-1']) {
          const error = expectError(await guest().get(`/api/threads?limit=${limit}`), 400, 'invalid_request', `limit=${limit}`);
          assert.ok(error.fields?.limit, `limit=${limit} names limit: ${JSON.stringify(error)}`);
        }
        const forged = Buffer.from('2026-01-01T00:00:00.000Z not-an-id!').toString('base64url');
        // A NUL after a time Date.parse reads: PostgreSQL cannot compare it (once a 500).
        const withNul = Buffer.from('2026-01-01\u0000 abc').toString('base64url');
        for (const after of ['%2F%2F', 'a'.repeat(201), forged, Buffer.from('yesterday abc').toString('base64url'), 'abc', withNul]) {
          const error = expectError(await guest().get(`/api/threads?after=${after}`), 400, 'invalid_request', `after=${after}`);
          assert.ok(error.fields?.after, `after=${after} names after: ${JSON.stringify(error)}`);
        }
      });
    });

    describe('hiding a thread', () => {
      test('14.3 an admin hides a thread: its reader is told at once under the next seq; for everyone but staff it is 404 on every read and gone from the list; nobody posts to it over HTTP, the socket or the form; shown again, all is back', async () => {
        const slug = await newThread('hidden');
        const author = guest();
        const mine = await post(author, slug, 'a comment before');
        const other = await post(guest(), slug, 'someone else’s, to like');
        const open = await reader(slug);
        // A moderator reading the thread when it is hidden.
        const staffReader = await sockets.connect(node().baseUrl, { cookie: suite.mod.client.cookie });
        await subscribe(staffReader, slug, 0);

        const hidden = detailOf(await suite.admin.client.post(`/api/threads/${slug}/hide`, { reason: 'an attacker made it' }), 'hide');
        assert.equal(hidden.hidden, true);
        const event = await open.events.find('the hide at the next seq', (e) => e.seq === open.seq + 1);
        assert.deepEqual(event, { slug, seq: open.seq + 1, type: 'thread.updated', thread: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: true } });
        // Told, the reader's socket leaves the room, whatever its page does with the news: it hears nothing more of the thread.
        await waitFor('the reader’s socket to leave the hidden thread’s room', () => !node().app.io.of('/').adapter.rooms.get(threadRoom(slug))?.has(open.socket.id!));
        assert.ok(node().app.io.of('/').adapter.rooms.get(threadRoom(slug))?.has(staffReader.id!), 'the moderator’s socket stays: staff follow hidden threads');
        // Hiding twice changes nothing: no event, no second audit entry.
        detailOf(await suite.admin.client.post(`/api/threads/${slug}/hide`), 'hide again');

        // Readers: exactly what a slug no thread has answers.
        const nobody = await guest().get(`/api/threads/no-such-${slug}`);
        for (const path of [`/api/threads/${slug}`, `/api/threads/${slug}/events?after=0`, `/articles/${slug}/feed.xml`]) {
          const res = await author.get(path);
          expectError(res, 404, 'thread_not_found', path);
          assert.deepEqual(res.body, nobody.body, `${path}: no sign that it exists`);
        }
        assert.ok(!(await listed()).includes(slug), 'not listed');
        assert.ok(!(await listed(suite.admin.client)).includes(slug), 'not in the public list even for an admin (the desk lists it)');
        const adminList = AdminThreadListResponseSchema.parse(expectStatus(await suite.admin.client.get('/api/moderation/threads?limit=100'), 200));
        assert.equal(adminList.threads.find((t) => t.slug === slug)?.hidden, true, 'the desk lists it, marked');

        // Staff still read it (moderators too), marked hidden, and follow it.
        for (const staff of [suite.admin.client, suite.mod.client]) {
          assert.equal(ThreadResponseSchema.parse(expectStatus(await staff.get(`/api/threads/${slug}`), 200)).thread.hidden, true);
          assert.equal(CatchUpSchema.parse(expectStatus(await staff.get(`/api/threads/${slug}/events?after=0`), 200)).thread.hidden, true);
          expectStatus(await staff.get(`/articles/${slug}/feed.xml`), 200);
        }
        const staffSocket = await sockets.connect(node().baseUrl, { cookie: suite.admin.client.cookie });
        assert.equal((await subscribe(staffSocket, slug, 0)).thread.hidden, true);

        // A reader who missed the event, or one who never had the page: not found, and not left in the room.
        const late = await sockets.connect(node().baseUrl);
        for (const afterSeq of [open.seq, undefined]) {
          const ack = await subscribeAck(late, slug, afterSeq);
          assert.ok(!ack.ok && ack.error.code === 'thread_not_found', JSON.stringify(ack));
        }
        assert.ok(!node().app.io.of('/').adapter.rooms.get(threadRoom(slug))?.has(late.id!), 'the refused socket left the room');

        // Posting, on every path, by anyone (staff included): refused as for a missing thread, nothing stored.
        const before = (await node().store.findThreadRowBySlug(slug))!.seq;
        expectError(await author.comment(slug, { body: 'over HTTP', authorName: 'A' }), 404, 'thread_not_found', 'HTTP post');
        expectError(await suite.admin.client.comment(slug, { body: 'as an admin', authorName: 'A' }), 404, 'thread_not_found', 'an admin posting');
        const overSocket = await createViaSocket(open.socket, { slug, body: 'over the socket', authorName: 'S' });
        assert.ok(!overSocket.ok && overSocket.error.code === 'thread_not_found', JSON.stringify(overSocket));
        const form = await author.request('POST', `/articles/${slug}/comments`, {
          raw: new URLSearchParams({ body: 'without JavaScript', authorName: 'F' }).toString(),
          contentType: 'application/x-www-form-urlencoded',
        });
        expectError(form, 404, 'thread_not_found', 'the no-JavaScript form');
        // Nor is anything in it changed by readers: an edit, a like, a report.
        expectError(await author.request('PATCH', `/api/comments/${mine.id}`, { json: { body: 'edited while hidden' } }), 404, 'comment_not_found', 'edit');
        expectError(await author.request('PUT', `/api/comments/${other.id}/like`), 404, 'comment_not_found', 'like');
        expectError(await author.report(mine.id, { category: 'spam' }), 404, 'comment_not_found', 'report');
        assert.equal((await node().store.findThreadRowBySlug(slug))!.seq, before, 'no seq taken: nothing was written');

        // Shown again: everything is back, for everyone.
        assert.equal(detailOf(await suite.admin.client.post(`/api/threads/${slug}/unhide`), 'unhide').hidden, false);
        expectStatus(await author.get(`/api/threads/${slug}`), 200);
        assert.ok((await listed()).includes(slug));
        await post(author, slug, 'a comment after');
        const entries = (await audit()).filter((e) => e.target === slug).map((e) => [e.action, e.actorName, e.reason]);
        assert.deepEqual(entries, [
          ['thread.unhide', suite.admin.account.username, null],
          ['thread.hide', suite.admin.account.username, 'an attacker made it'],
        ]);
      });
    });

    describe('deleting a thread', () => {
      test('14.3 an admin deletes a thread: its readers are told, every read is 404, every row is gone but the audit entry, the desks drop its queued comments, and the freed slug can be used again', async () => {
        const slug = await newThread('doomed');
        const author = guest();
        const top = await post(author, slug, 'first');
        const reply = commentOf(await author.comment(slug, { body: 'a reply', authorName: 'R', parentId: top.id }), 201);
        expectStatus(await guest().request('PUT', `/api/comments/${top.id}/like`), 200);
        expectStatus(await guest().report(reply.id, { category: 'abuse' }), 201);
        const open = await reader(slug);
        const desk = await sockets.connect(node().baseUrl, { cookie: suite.mod.client.cookie });
        const queue = record(desk, 'moderation:queue');
        const subscribed = await moderationSubscribe(desk);
        assert.ok(subscribed.ok && subscribed.items.some((i: QueueItem) => i.comment.id === reply.id), 'the reported reply is on the desk');
        const threadId = (await node().store.findThreadRowBySlug(slug))!.id;

        const res = await suite.admin.client.request('DELETE', `/api/threads/${slug}`, { json: { reason: 'spam run' } });
        const { deleted } = expectStatus(res, 200, 'delete') as { deleted: unknown };
        const title = (await node().store.moderation.listAudit({ limit: 1 }))[0]!.details.title as string;
        assert.deepEqual(DeletedThreadSchema.parse(deleted), { slug, title, comments: 2 });

        const notice: DeletedNotice = await open.deleted.find('the deletion notice', (n) => n.slug === slug);
        assert.deepEqual(notice, { slug });
        const dropped: QueueChangeNotice = await queue.find('the reply leaving the desk', (c) => c.commentId === reply.id);
        assert.equal(dropped.item, null);

        for (const path of [`/api/threads/${slug}`, `/api/threads/${slug}/events?after=0`, `/articles/${slug}/feed.xml`]) {
          expectError(await suite.admin.client.get(path), 404, 'thread_not_found', `${path}, even for an admin`);
        }
        expectError(await author.comment(slug, { body: 'too late', authorName: 'L' }), 404, 'thread_not_found');
        const ack = await subscribeAck(open.socket, slug, open.seq);
        assert.ok(!ack.ok && ack.error.code === 'thread_not_found', 'a page that missed the notice learns it when catching up');
        expectError(await suite.admin.client.request('DELETE', `/api/threads/${slug}`), 404, 'thread_not_found', 'deleting twice');
        assert.equal(await node().store.findComment({ id: top.id }), undefined);
        assert.equal(await node().store.findThreadById(threadId), undefined);

        const [entry] = (await audit()).filter((e) => e.action === 'thread.delete' && e.target === slug);
        assert.ok(entry, 'the deletion is in the audit log');
        assert.equal(entry.actorName, suite.admin.account.username);
        assert.equal(entry.threadId, threadId);
        assert.equal(entry.reason, 'spam run');
        assert.ok(Math.abs(Date.parse(entry.at) - Date.now()) < 60_000, 'when');
        assert.deepEqual({ title: entry.details.title, comments: entry.details.comments }, { title, comments: 2 });

        // The slug is free: a new thread takes it, with nothing of the old one; posting there works.
        const reborn = detailOf(await suite.admin.client.post('/api/threads', { title: 'A new story', slug }), 'reopen', 201);
        assert.equal(reborn.slug, slug);
        assert.equal(reborn.commentCount, 0);
        await post(author, slug, 'first in the new thread');
        const page = ThreadResponseSchema.parse(expectStatus(await guest().get(`/api/threads/${slug}`), 200));
        assert.deepEqual(page.comments.map((c) => c.body), ['first in the new thread']);
      });
    });

    describe('who may', () => {
      test('14.3 a moderator who is not an admin gets 403 forbidden and a guest 401 not_signed_in on hide, unhide, delete and the admins\' list; nothing changes', async () => {
        const slug = await newThread('guarded');
        await post(guest(), slug, 'still here');
        const routes: [string, string][] = [
          ['POST', `/api/threads/${slug}/hide`],
          ['POST', `/api/threads/${slug}/unhide`],
          ['DELETE', `/api/threads/${slug}`],
          ['GET', '/api/moderation/threads'],
        ];
        const before = { thread: await node().store.findThreadBySlug(slug), audit: (await audit()).length };
        for (const [method, path] of routes) {
          expectError(await suite.mod.client.request(method, path), 403, 'forbidden', `${method} ${path} by a moderator`);
          expectError(await guest().request(method, path), 401, 'not_signed_in', `${method} ${path} by a guest`);
          expectError(await new WebClient(node().baseUrl, { tl_session: 'forged' }).request(method, path), 401, 'not_signed_in', `${method} ${path} with a forged session`);
        }
        // The service refuses a moderator too, whoever calls it (a script, a socket handler).
        const moderator = (await node().services.auth.authenticate(suite.mod.client.sessionToken))!.user;
        await assert.rejects(node().services.moderation.deleteThread({ slug, actor: moderator }), { code: 'forbidden' });
        await assert.rejects(node().services.moderation.setThreadHidden({ slug, hidden: true, actor: moderator }), { code: 'forbidden' });
        assert.deepEqual({ thread: await node().store.findThreadBySlug(slug), audit: (await audit()).length }, before);
      });
    });
  });

  /**
   * Two nodes on one database, the Redis adapter between them: node B remembers
   * a thread's id by its slug (posting), node A deletes it. B must not post
   * into the deleted thread, nor refuse the new thread that takes its slug.
   */
  describe(`a thread deleted on another node, on ${kind}`, () => {
    const suite = useNodes({ kind, redis: true });
    let a: TestNode;
    let b: TestNode;
    let adminOnA: WebClient;

    before(async () => {
      ({ a, b } = await suite.startPair('del', () => ({ passwordCost: TEST_PASSWORD_COST })));
      adminOnA = (await staffMember(a, 'admin')).client;
    });

    test('14.3 node B, which remembered the slug, neither posts into the deleted thread nor refuses the new thread with its slug; its readers are told', async () => {
      const slug = `freed-${randomBytes(4).toString('hex')}`;
      await a.store.createThread({ slug, title: 'The first one' });
      const onB = new WebClient(b.baseUrl);
      commentOf(await onB.comment(slug, { body: 'B remembers this slug now', authorName: 'B' }), 201);
      const readerOnB: ClientSocket = await suite.sockets.connect(b.baseUrl);
      const told = record(readerOnB, 'thread:deleted');
      await subscribe(readerOnB, slug);

      expectStatus(await adminOnA.request('DELETE', `/api/threads/${slug}`), 200, 'delete on A');
      await told.find('the deletion told to a reader on B, through Redis', (n) => n.slug === slug);
      expectError(await onB.comment(slug, { body: 'into the deleted thread?', authorName: 'B' }), 404, 'thread_not_found', 'B posting after the deletion');
      const overSocket = await createViaSocket(readerOnB, { slug, body: 'over B’s socket', authorName: 'B' });
      assert.ok(!overSocket.ok && overSocket.error.code === 'thread_not_found', JSON.stringify(overSocket));

      const reborn = await a.store.createThread({ slug, title: 'The second one' });
      const posted = commentOf(await onB.comment(slug, { body: 'into the new thread', authorName: 'B' }), 201, 'B posting to the new thread with the freed slug');
      const stored = await b.store.findComment({ id: posted.id });
      assert.equal(stored?.threadId, reborn.id, 'stored in the new thread');
      const overSocketAgain = await createViaSocket(readerOnB, { slug, body: 'again over the socket', authorName: 'B' });
      assert.ok(overSocketAgain.ok, JSON.stringify(overSocketAgain));
      // Each node's pages read the new thread only.
      for (const node of [a, b]) {
        const page = ThreadResponseSchema.parse(expectStatus(await new WebClient(node.baseUrl).get(`/api/threads/${slug}`), 200));
        assert.deepEqual(page.comments.map((c) => c.body).sort(), ['again over the socket', 'into the new thread']);
      }
      await waitFor('both nodes to agree on the new thread', async () => (await b.store.findThreadRowBySlug(slug))?.id === reborn.id);
    });
  });
}
