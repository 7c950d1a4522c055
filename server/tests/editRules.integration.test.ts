import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CommentResponseSchema, QueueItemSchema, type CommentView, type QueueItem, type ThreadEventWire } from '../../lib/contract';
import type { QueueChangeNotice } from '../../lib/contract/socket';
import { GUEST_COOKIE, newGuestId, signGuestToken } from '../../lib/domain/guestToken';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, TEST_SESSION_SECRET } from '../testing/nodes';
import { createViaSocket, record, subscribe, type Recorder } from '../testing/sockets';
import { expectError, expectStatus, moderationSubscribe, staffMember, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';

const commentOf = (res: HttpResult, status: number, what = ''): CommentView => CommentResponseSchema.parse(expectStatus(res, status, what)).comment;

/**
 * Issue 14, point 4: an edit passes the rules a post passes (ban, pre-moderation,
 * banned words, the thread's and the branch's lock), done as an attacker would:
 * post (over the socket or HTTP), get approved, then edit over HTTP, while
 * another reader follows the thread on a socket and a moderator's desk is open.
 * Each attack fails, and a normal edit still works.
 */
for (const kind of DATABASE_KINDS) {
  describe(`edits pass the posting rules on ${kind}`, () => {
    const suite = useNode(kind, { passwordCost: TEST_PASSWORD_COST });
    const { sockets } = suite;
    let mod: WebClient;
    let admin: WebClient;

    before(async () => {
      mod = (await staffMember(suite.node, 'moderator')).client;
      admin = (await staffMember(suite.node, 'admin')).client;
    });

    // A reader who has loaded a page: they have a guest cookie, which their socket sends too.
    const guest = () => new WebClient(suite.node.baseUrl, { [GUEST_COOKIE]: signGuestToken(newGuestId(), TEST_SESSION_SECRET) });
    const edit = (client: WebClient, id: string, body: string) => client.request('PATCH', `/api/comments/${id}`, { json: { body } });

    /** The thread as a reader with no cookie reads it. */
    const threadView = (slug: string) => new HttpGuest(suite.node.baseUrl).threadPage(slug, '');

    async function post(client: WebClient, slug: string, body: string, parentId?: string): Promise<CommentView> {
      return commentOf(await client.comment(slug, { body, authorName: 'Poster', ...(parentId !== undefined && { parentId }) }), 201, `post "${body}"`);
    }

    /** Posted over the socket with the client's cookie: the same guest as its HTTP requests. */
    async function postBySocket(client: WebClient, slug: string, body: string): Promise<CommentView> {
      const socket = await sockets.connect(suite.node.baseUrl, { cookie: client.cookie });
      const ack = await createViaSocket(socket, { slug, body, authorName: 'Poster' });
      assert.ok(ack.ok, JSON.stringify(ack));
      return ack.comment;
    }

    /** Another reader following the thread live, from its current seq. */
    async function watch(slug: string): Promise<Recorder<ThreadEventWire>> {
      const socket = await sockets.connect(suite.node.baseUrl);
      const events = record(socket, 'thread:event');
      await subscribe(socket, slug, (await threadView(slug)).thread.seq);
      return events;
    }

    async function moderatorDesk(): Promise<Recorder<QueueChangeNotice>> {
      const socket = await sockets.connect(suite.node.baseUrl, { cookie: mod.cookie });
      const notices = record(socket, 'moderation:queue');
      const ack = await moderationSubscribe(socket);
      assert.ok(ack.ok, JSON.stringify(ack));
      return notices;
    }

    async function queueItem(commentId: string): Promise<QueueItem | undefined> {
      const body = expectStatus(await mod.get('/api/moderation/queue'), 200, 'queue') as { items: unknown[] };
      return body.items.map((i) => QueueItemSchema.parse(i)).find((i) => i.comment.id === commentId);
    }

    /** What a reader who is not the author gets of the comment: over HTTP, and from a socket catching up from before the edit. */
    async function seenByOthers(slug: string, commentId: string, afterSeq: number) {
      const listed = (await threadView(slug)).comments.find((c) => c.id === commentId);
      const socket = await sockets.connect(suite.node.baseUrl);
      const { missed } = await subscribe(socket, slug, afterSeq);
      const caughtUp = missed.flatMap((e) => (e.type === 'comment.updated' && e.comment.id === commentId ? [e.comment] : []));
      return { listed, caughtUp };
    }

    async function setBannedWords(words: string[]) {
      expectStatus(await admin.request('PUT', '/api/moderation/banned-words', { json: { words } }), 200, 'banned words');
    }

    test('14.4 an approved comment edited into a spam link on a pre-moderated thread goes back to review: the room sees it leave, no other reader can read it, the desk queues it as edited', async () => {
      const t = await createOpenThread(suite.node.services, 'premod-edit');
      expectStatus(await mod.settings(t.slug, { preModeration: true }), 200, 'pre-moderation on');
      const spammer = guest();
      const held = await postBySocket(spammer, t.slug, 'A thoughtful, harmless comment.');
      assert.equal(held.status, 'pending');
      commentOf(await mod.act(held.id, 'approve'), 200, 'approve');
      assert.equal((await threadView(t.slug)).comments.find((c) => c.id === held.id)?.status, 'visible');

      const events = await watch(t.slug);
      const desk = await moderatorDesk();
      const before = (await threadView(t.slug)).thread.seq;
      const spam = 'Great deals at [cheap pills](https://spam.example/buy)!';
      const edited = commentOf(await edit(spammer, held.id, spam), 200, 'the edit');
      assert.equal(edited.status, 'pending', 'the edit went straight out instead of back to review');
      assert.equal(edited.body, spam, 'the author still sees what they wrote');
      assert.ok(edited.editedAt);

      const live = await events.find('the edit’s event', (e) => e.seq === before + 1);
      assert.ok(live.type === 'comment.updated' && live.comment.id === held.id, JSON.stringify(live));
      assert.deepEqual([live.comment.status, live.comment.body, live.comment.html, live.comment.author.name], ['pending', '', '', null], 'the room sees it leave, without its text');
      const others = await seenByOthers(t.slug, held.id, before);
      assert.equal(others.listed, undefined, 'another reader does not get it from the API');
      assert.deepEqual(others.caughtUp.map((c) => [c.status, c.body]), [['pending', '']], 'nor from catching up');
      assert.equal((await threadView(t.slug)).thread.commentCount, 0);

      const item = await queueItem(held.id);
      assert.ok(item, 'the edited comment is back in the queue');
      assert.equal(item.heldReason, 'edited');
      assert.equal(item.comment.body, spam, 'the desk reads the new text');
      const notice = await desk.find('the desk’s notice', (n) => n.commentId === held.id && n.item !== null);
      assert.equal(notice.item?.heldReason, 'edited');

      // Approved again, it is out with its new text.
      commentOf(await mod.act(held.id, 'approve'), 200, 'approve the edit');
      assert.equal((await threadView(t.slug)).comments.find((c) => c.id === held.id)?.body, spam);
    });

    test('14.4 a pinned comment that is edited goes back to review, on a pre-moderated thread and on an open one; approved, it is pinned again', async () => {
      for (const preModeration of [true, false]) {
        const t = await createOpenThread(suite.node.services, 'pinned-edit');
        const author = guest();
        // Posted before pre-moderation was turned on: visible without an approval, then featured.
        const featured = await post(author, t.slug, 'An insightful comment worth featuring.');
        expectStatus(await mod.settings(t.slug, { preModeration }), 200, 'settings');
        assert.equal(commentOf(await mod.act(featured.id, 'pin'), 200, 'pin').pinned, true);
        const events = await watch(t.slug);
        const before = (await threadView(t.slug)).thread.seq;

        const edited = commentOf(await edit(author, featured.id, 'Now buy at https://spam.example'), 200, 'the edit');
        assert.equal(edited.status, 'pending', `preModeration ${preModeration}`);
        const live = await events.find('the edit’s event', (e) => e.seq === before + 1);
        assert.ok(live.type === 'comment.updated' && live.comment.status === 'pending' && live.comment.body === '' && !live.comment.pinned, JSON.stringify(live));
        assert.equal((await seenByOthers(t.slug, featured.id, before)).listed, undefined);
        assert.equal((await queueItem(featured.id))?.heldReason, 'edited');

        commentOf(await mod.act(featured.id, 'approve'), 200, 'approve');
        const back = (await threadView(t.slug)).comments.find((c) => c.id === featured.id);
        assert.deepEqual([back?.status, back?.pinned, back?.body], ['visible', true, 'Now buy at https://spam.example']);
      }
    });

    test('14.4 a banned guest cannot edit: 403 banned with the ban’s reason, and nothing changes', async () => {
      const t = await createOpenThread(suite.node.services, 'banned-edit');
      const troll = guest();
      const comment = await postBySocket(troll, t.slug, 'A mild opinion.');
      expectStatus(await mod.post('/api/bans', { guestId: troll.guestId, reason: 'serial abuse' }), 201, 'ban');
      const before = (await threadView(t.slug)).thread.seq;

      const refused = expectError(await edit(troll, comment.id, 'Abuse, now that I am banned'), 403, 'banned', 'the banned guest’s edit');
      assert.match(refused.message, /serial abuse/);
      const view = await threadView(t.slug);
      assert.equal(view.thread.seq, before, 'no seq taken, no event');
      assert.equal(view.comments.find((c) => c.id === comment.id)?.body, 'A mild opinion.');
      // Another guest edits as before.
      const other = guest();
      const own = await post(other, t.slug, 'typo hree');
      assert.equal(commentOf(await edit(other, own.id, 'typo here'), 200).body, 'typo here');
    });

    test('14.4 a banned word in an edit holds the comment as it would hold a post: the room sees it leave, the desk queues it as banned_word', async () => {
      const t = await createOpenThread(suite.node.services, 'word-edit');
      const author = guest();
      const comment = await postBySocket(author, t.slug, 'A perfectly clean comment.');
      await setBannedWords(['scamlink']);
      try {
        const events = await watch(t.slug);
        const before = (await threadView(t.slug)).thread.seq;
        const edited = commentOf(await edit(author, comment.id, 'Now visit SCAMLINK today'), 200, 'the edit');
        assert.equal(edited.status, 'pending');
        const live = await events.find('the edit’s event', (e) => e.seq === before + 1);
        assert.ok(live.type === 'comment.updated' && live.comment.status === 'pending' && live.comment.body === '', JSON.stringify(live));
        assert.equal((await seenByOthers(t.slug, comment.id, before)).listed, undefined);
        assert.equal((await queueItem(comment.id))?.heldReason, 'banned_word');
      } finally {
        await setBannedWords([]);
      }
    });

    test('14.4 a locked thread or branch refuses edits as it refuses replies (423 thread_locked, branch_locked); a sibling branch still edits', async () => {
      const t = await createOpenThread(suite.node.services, 'locked-edit');
      const author = guest();
      const top = await post(author, t.slug, 'top');
      const reply = await post(author, t.slug, 'reply', top.id);
      const sibling = await post(author, t.slug, 'another top');
      const replier = guest();
      const replyBelow = await post(replier, t.slug, 'below the reply', reply.id);

      commentOf(await mod.act(reply.id, 'lock'), 200, 'lock the branch');
      const before = (await threadView(t.slug)).thread.seq;
      expectError(await edit(author, reply.id, 'the locked comment itself'), 423, 'branch_locked');
      expectError(await edit(replier, replyBelow.id, 'below the locked comment'), 423, 'branch_locked');
      const lockedAbove = await post(author, t.slug, 'not below the lock', top.id);
      assert.equal(commentOf(await edit(author, lockedAbove.id, 'above it, edited'), 200).body, 'above it, edited', 'a reply beside the locked one');
      assert.equal(commentOf(await edit(author, top.id, 'top, edited'), 200).body, 'top, edited', 'the comment above the lock');
      assert.equal((await threadView(t.slug)).thread.seq, before + 3, 'the refused edit took no seq');

      commentOf(await mod.act(top.id, 'lock'), 200, 'lock the whole branch');
      expectError(await edit(author, lockedAbove.id, 'below a lock now'), 423, 'branch_locked');
      assert.equal(commentOf(await edit(author, sibling.id, 'another top, edited'), 200).body, 'another top, edited');

      expectStatus(await mod.lock(t.slug), 200, 'lock the thread');
      expectError(await edit(author, sibling.id, 'after the thread lock'), 423, 'thread_locked');
      const view = await threadView(t.slug);
      assert.deepEqual(
        [reply.id, lockedAbove.id, sibling.id].map((id) => view.comments.find((c) => c.id === id)?.body),
        ['reply', 'above it, edited', 'another top, edited'],
      );
    });

    test('14.4 a held comment cannot be edited (409 comment_held): what the moderator reviews is what gets published', async () => {
      const t = await createOpenThread(suite.node.services, 'held-edit');
      expectStatus(await mod.settings(t.slug, { preModeration: true }), 200, 'pre-moderation on');
      const author = guest();
      const held = await post(author, t.slug, 'Harmless, to get approved.');
      expectError(await edit(author, held.id, 'Swapped for spam before the moderator clicks'), 409, 'comment_held');
      assert.equal((await queueItem(held.id))?.comment.body, 'Harmless, to get approved.');
      commentOf(await mod.act(held.id, 'approve'), 200, 'approve');
      assert.equal((await threadView(t.slug)).comments.find((c) => c.id === held.id)?.body, 'Harmless, to get approved.');
    });

    test('14.4 a normal edit still works, at once on a slow-mode thread, and its event carries the new text', async () => {
      const t = await createOpenThread(suite.node.services, 'normal-edit');
      expectStatus(await mod.settings(t.slug, { slowModeSeconds: 600 }), 200, 'slow mode on');
      const author = guest();
      const comment = await postBySocket(author, t.slug, 'teh first draft');
      const events = await watch(t.slug);
      const edited = commentOf(await edit(author, comment.id, 'the first draft'), 200, 'an edit right after posting, under slow mode');
      assert.deepEqual([edited.status, edited.body], ['visible', 'the first draft']);
      const live = await events.find('the edit’s event', (e) => e.type === 'comment.updated' && e.comment.id === comment.id);
      assert.ok(live.type === 'comment.updated' && live.comment.body === 'the first draft' && live.comment.status === 'visible');
      assert.equal((await threadView(t.slug)).comments.find((c) => c.id === comment.id)?.body, 'the first draft');
      // The same text again changes nothing, and takes no seq.
      const seq = (await threadView(t.slug)).thread.seq;
      assert.deepEqual(commentOf(await edit(author, comment.id, 'the first draft'), 200), edited);
      assert.equal((await threadView(t.slug)).thread.seq, seq);
      // Slow mode still paces new comments.
      expectError(await author.comment(t.slug, { body: 'a second comment', authorName: 'Poster' }), 429, 'slow_mode');
    });
  });
}
