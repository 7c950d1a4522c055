import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { CommentResponseSchema, PersonStandingResponseSchema, ThreadResponseSchema, ViewerResponseSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { STAFF_COOKIE } from '../http/staffSession';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createViaSocket, record } from '../testing/sockets';
import { expectStatus, moderationSubscribe, staffMember, WebClient } from '../testing/staff';
import { useNodes } from '../testing/suites';
import { ThreadReader } from '../testing/threadReader';

/** Long enough that only live delivery through Redis can be what a reader reacts to. */
const SLOW_SYNC_MS = 120_000;

/** Whether a thread event carries any of this comment's words or its author's name. */
function carries(event: ThreadEventWire, words: string[]): boolean {
  const text = JSON.stringify(event);
  return words.some((w) => text.includes(w));
}

/**
 * A shadow-banned person's new comments reach them and the moderators alone (docs/moderation.md,
 * "Shadow-ban"), across two nodes on PostgreSQL and Redis: a third reader on the other node never
 * receives the text, live or on reload; an account and a guest alike.
 */
describe('a shadow-ban across two nodes on PostgreSQL and Redis', () => {
  const suite = useNodes({ redis: true });
  const { sockets } = suite;
  let a: TestNode;
  let b: TestNode;

  before(async () => {
    ({ a, b } = await suite.startPair('shadow', () => ({ passwordCost: TEST_PASSWORD_COST, syncIntervalMs: SLOW_SYNC_MS })));
  });

  async function commenter(node: TestNode): Promise<{ client: WebClient; id: string; name: string }> {
    const subject = `shadow-${randomBytes(5).toString('hex')}`;
    const { token, user } = await node.services.auth.signInWith({ identity: { method: 'sso', provider: 'sso', subject, email: null, emailVerified: false, name: subject, badges: null } });
    return { client: new WebClient(node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id, name: user.displayName };
  }

  test("an account's and a guest's comments: seen by them and the moderators, never by a reader on the other node", async () => {
    const { client: moderator } = await staffMember(a, 'moderator', 'shadow');
    const t = await createOpenThread(a.services, 'shadow');
    const author = await commenter(a);
    // A guest gets their id with a first comment, made before the ban.
    const guest = new WebClient(b.baseUrl);
    const first = CommentResponseSchema.parse(expectStatus(await guest.comment(t.slug, { body: 'before the ban', authorName: 'Shady Guest' }), 201)).comment;
    assert.ok(guest.guestId);
    for (const personId of [author.id, guest.guestId]) {
      const res = await moderator.request('PUT', `/api/people/${personId}/shadow-ban`, { json: { shadowBanned: true } });
      assert.deepEqual(PersonStandingResponseSchema.parse(expectStatus(res, 200)).person, { id: personId, trusted: false, shadowBanned: true });
    }

    // The third reader, live on B from the guest's first comment on.
    const reader = new ThreadReader(await sockets.connect(b.baseUrl), b.baseUrl, t.slug);
    const heard = record(reader.socket, 'thread:event');
    await reader.start(first.seq);
    // The moderators' desk, on B.
    const desk = await sockets.connect(b.baseUrl, { cookie: moderator.cookie });
    const queue = record(desk, 'moderation:queue');
    assert.ok((await moderationSubscribe(desk)).ok);

    // The account posts through HTTP on A; the guest through the socket on B.
    const secret = `shadowed-${randomBytes(4).toString('hex')}`;
    const viaHttp = CommentResponseSchema.parse(expectStatus(await author.client.comment(t.slug, { body: `${secret} one`, authorName: 'ignored' }), 201)).comment;
    const guestSocket = await sockets.connect(b.baseUrl, { cookie: guest.cookie });
    const ack = await createViaSocket(guestSocket, { slug: t.slug, body: `${secret} two`, authorName: 'Shady Guest' });
    assert.ok(ack.ok, JSON.stringify(ack));
    const viaSocket: CommentView = ack.comment;
    // To their authors they look published.
    for (const [view, body] of [
      [viaHttp, `${secret} one`],
      [viaSocket, `${secret} two`],
    ] as const) {
      assert.equal(view.status, 'visible');
      assert.equal(view.body, body);
    }

    // The moderators see them, marked.
    for (const id of [viaHttp.id, viaSocket.id]) {
      const notice = await queue.find(`the shadow-banned comment ${id} on B's desk`, (n) => n.commentId === id && n.item !== null);
      assert.equal(notice.item?.heldReason, 'shadow_banned');
      assert.ok(notice.item?.comment.body.startsWith(secret));
    }

    // Someone else's comment after them, through A: once the reader on B has it, it has had every event before it.
    const after = CommentResponseSchema.parse(expectStatus(await new WebClient(a.baseUrl).comment(t.slug, { body: 'a plain comment', authorName: 'Plain' }), 201)).comment;
    await reader.waitUntilAt(after.seq);
    assert.ok(reader.applied.some((x) => x.event.seq === after.seq && x.source === 'live'), 'delivered live through Redis');
    const leaked = heard.items.filter((e) => carries(e, [secret, author.name, 'Shady Guest']) || ('comment' in e && [viaHttp.id, viaSocket.id].includes(e.comment.id) && e.comment.status !== 'pending'));
    assert.deepEqual(leaked, [], 'the reader on B never received the text, the name, or a published copy');

    // On reload: the API's thread, its count and its feed, from B.
    const page = ThreadResponseSchema.parse(expectStatus(await new WebClient(b.baseUrl).get(`/api/threads/${t.slug}`), 200));
    assert.deepEqual(
      page.comments.map((c) => c.id),
      [first.id, after.id],
    );
    assert.equal(page.thread.commentCount, 2);
    const feed = await new WebClient(b.baseUrl).get(`/articles/${t.slug}/feed.xml`);
    assert.equal(feed.status, 200);
    assert.ok(!JSON.stringify(feed.body).includes(secret), "not in the feed");
    // The catch-up a reconnecting reader makes.
    const events = expectStatus(await new WebClient(b.baseUrl).get(`/api/threads/${t.slug}/events?after=0`), 200);
    assert.ok(!JSON.stringify(events).includes(secret), 'not in the events a reader catches up from');

    // The author's own read, on the other node: their comment, as published.
    const own = ViewerResponseSchema.parse(expectStatus(await author.client.on(b.baseUrl).get(`/api/threads/${t.slug}/viewer`), 200)).own;
    assert.deepEqual(
      own.map((c) => [c.id, c.status, c.body]),
      [[viaHttp.id, 'visible', `${secret} one`]],
    );

    // Lifted: the next comment is everyone's.
    expectStatus(await moderator.request('PUT', `/api/people/${author.id}/shadow-ban`, { json: { shadowBanned: false } }), 200);
    const lifted = CommentResponseSchema.parse(expectStatus(await author.client.comment(t.slug, { body: 'after the ban', authorName: 'x' }), 201)).comment;
    await reader.waitUntilAt(lifted.seq);
    assert.ok(heard.items.some((e) => 'comment' in e && e.comment.id === lifted.id && e.comment.body === 'after the ban'));
  });
});
