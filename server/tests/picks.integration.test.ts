import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ThreadResponseSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { PicksResponseSchema } from '../../lib/contract/picks';
import type { HttpResult } from '../testing/http';
import { createOpenThread } from '../testing/nodes';
import { record, subscribe, type Recorder } from '../testing/sockets';
import { expectError, expectStatus, moderationAct, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

const commentOf = (res: HttpResult, status = 200, what = ''): CommentView => CommentResponseSchema.parse(expectStatus(res, status, what)).comment;

/**
 * Editors' picks (issue 19.1) over the real app, on SQLite and PostgreSQL: featuring with a note over
 * HTTP and the socket, each change one thread event under the next seq, the picks in the thread's API,
 * their own endpoint and their own Atom feed, and what a removal, a deletion and an Undo do to them.
 */
for (const kind of DATABASE_KINDS) {
  describe(`editors' picks on ${kind}`, () => {
    const suite = useStaffNode(kind);
    const guest = () => new WebClient(suite.node.baseUrl);

    async function seqOf(slug: string): Promise<number> {
      return ThreadResponseSchema.parse(expectStatus(await guest().get(`/api/threads/${slug}`), 200, 'thread')).thread.seq;
    }
    async function picks(slug: string) {
      return PicksResponseSchema.parse(expectStatus(await guest().get(`/api/threads/${slug}/picks`), 200, 'picks')).picks;
    }
    async function post(client: WebClient, slug: string, body: string): Promise<CommentView> {
      return commentOf(await client.comment(slug, { body, authorName: 'Poster' }), 201, `post "${body}"`);
    }
    async function watch(slug: string): Promise<Recorder<ThreadEventWire>> {
      const socket = await suite.sockets.connect(suite.node.baseUrl);
      const events = record(socket, 'thread:event');
      await subscribe(socket, slug, await seqOf(slug));
      return events;
    }
    /** The one event the action took, at the seq after `previous`. */
    async function eventAfter(slug: string, events: Recorder<ThreadEventWire>, previous: number) {
      const seq = await seqOf(slug);
      assert.equal(seq, previous + 1, 'the action took exactly one seq');
      const event = await events.find(`the thread:event at seq ${seq}`, (e) => e.seq === seq);
      assert.ok(event.type === 'comment.updated', JSON.stringify(event));
      return event;
    }
    const feature = (id: string, note?: string) => suite.mod.client.post(`/api/comments/${id}/pin`, note === undefined ? undefined : { note });

    test('featured with a note: in the answer, in one event under the next seq, in the thread, the picks API (newest first) and its order', async () => {
      const t = await createOpenThread(suite.node.services, 'picks');
      const first = await post(guest(), t.slug, 'A first insight.');
      const second = await post(guest(), t.slug, 'A second insight.');
      const events = await watch(t.slug);
      assert.deepEqual(await picks(t.slug), []);

      const featured = commentOf(await feature(first.id, '  Why this matters:\n the first  word '), 200, 'feature');
      assert.equal(featured.pinned, true);
      assert.equal(featured.pick?.note, 'Why this matters: the first word', 'one line: line breaks and runs of spaces become one space');
      assert.ok(featured.pick?.at && Date.parse(featured.pick.at) > 0);
      const event = await eventAfter(t.slug, events, second.seq);
      assert.deepEqual(event.comment.pick, featured.pick);

      const view = ThreadResponseSchema.parse(expectStatus(await guest().get(`/api/threads/${t.slug}`), 200));
      assert.deepEqual(view.comments.find((c) => c.id === first.id)?.pick, featured.pick);
      assert.equal(view.comments.find((c) => c.id === second.id)?.pick, undefined, 'a comment never featured has no pick');

      commentOf(await feature(second.id), 200, 'feature without a note');
      const both = await picks(t.slug);
      assert.deepEqual(both.map((c) => [c.id, c.pick?.note]), [[second.id, null], [first.id, 'Why this matters: the first word']], 'newest pick first');

      // Featured again: its note changes, its place in the strip does not, and it is one more event.
      const seq = await seqOf(t.slug);
      const renoted = commentOf(await feature(first.id, 'A better note'), 200, 'a new note');
      assert.deepEqual(renoted.pick, { note: 'A better note', at: featured.pick!.at });
      assert.equal((await eventAfter(t.slug, events, seq)).comment.pick?.note, 'A better note');
    });

    test('a bad note is refused with its field, never stored: too long, control characters, invisible, or on another action', async () => {
      const t = await createOpenThread(suite.node.services, 'picks-bad');
      const c = await post(guest(), t.slug, 'Worth a pick?');
      const seq = await seqOf(t.slug);
      for (const note of ['x'.repeat(141), 'bell\u0007', '\u200b', '', 42]) {
        const res = expectError(await suite.mod.client.post(`/api/comments/${c.id}/pin`, { note }), 400, 'invalid_request', JSON.stringify(note));
        assert.ok(JSON.stringify(res).includes('"note"'), JSON.stringify(res));
      }
      const onRemove = expectError(await suite.mod.client.post(`/api/comments/${c.id}/remove`, { note: 'a note' }), 400, 'invalid_request', 'a note on a removal');
      assert.ok(JSON.stringify(onRemove).includes('only featuring'), JSON.stringify(onRemove));
      assert.equal(commentOf(await feature(c.id, 'x'.repeat(140)), 200, '140 characters').pick?.note?.length, 140);
      assert.equal(await seqOf(t.slug), seq + 1, 'the refusals took no seq');
      expectError(await guest().post(`/api/comments/${c.id}/pin`, { note: 'a reader' }), 401, 'not_signed_in', 'a reader cannot feature');
    });

    test('over the socket’s moderation:act too, the same rules', async () => {
      const t = await createOpenThread(suite.node.services, 'picks-socket');
      const c = await post(guest(), t.slug, 'Featured by socket.');
      const socket = await suite.sockets.connect(suite.node.baseUrl, { cookie: suite.mod.client.cookie });
      const ack = await moderationAct(socket, { commentId: c.id, action: 'pin', note: 'From the desk' });
      assert.ok(ack.ok && ack.comment?.pick?.note === 'From the desk', JSON.stringify(ack));
      const bad = await moderationAct(socket, { commentId: c.id, action: 'lock', note: 'no' });
      assert.ok(!bad.ok && bad.error.code === 'invalid_request' && JSON.stringify(bad.error).includes('note'), JSON.stringify(bad));
      const long = await moderationAct(socket, { commentId: c.id, action: 'pin', note: 'y'.repeat(141) });
      assert.ok(!long.ok && long.error.code === 'invalid_request', JSON.stringify(long));
      assert.deepEqual((await picks(t.slug)).map((p) => p.pick?.note), ['From the desk']);
    });

    test('unfeatured, removed or deleted: out of the picks; an Undo of the removal brings the pick back with its note', async () => {
      const t = await createOpenThread(suite.node.services, 'picks-leave');
      const author = guest();
      const c = await post(author, t.slug, 'Featured, then not.');
      const events = await watch(t.slug);
      commentOf(await feature(c.id, 'Kept for the undo'), 200, 'feature');
      let seq = await seqOf(t.slug);

      const unpinned = commentOf(await suite.mod.client.act(c.id, 'unpin'), 200, 'unfeature');
      assert.equal(unpinned.pick, undefined);
      assert.equal((await eventAfter(t.slug, events, seq)).comment.pinned, false);
      assert.deepEqual(await picks(t.slug), []);

      commentOf(await feature(c.id, 'Kept for the undo'), 200, 'feature again');
      seq = await seqOf(t.slug);
      commentOf(await suite.mod.client.act(c.id, 'remove'), 200, 'remove');
      const removed = await eventAfter(t.slug, events, seq);
      assert.deepEqual([removed.comment.status, removed.comment.pinned, removed.comment.pick], ['removed', false, undefined]);
      assert.deepEqual(await picks(t.slug), []);
      expectError(await feature(c.id), 409, 'already_handled', 'a removed comment cannot be featured');

      commentOf(await suite.mod.client.act(c.id, 'unremove'), 200, 'undo the removal');
      assert.deepEqual((await picks(t.slug)).map((p) => [p.id, p.pick?.note]), [[c.id, 'Kept for the undo']]);

      expectStatus(await author.request('DELETE', `/api/comments/${c.id}`), 200, 'the author deletes it');
      assert.deepEqual(await picks(t.slug), [], 'a deleted comment is no pick');
    });

    test('the Picks sort: only the branches that hold a pick, whole, on one page', async () => {
      const t = await createOpenThread(suite.node.services, 'picks-sort');
      const plain = await post(guest(), t.slug, 'Not featured.');
      const top = await post(guest(), t.slug, 'A branch with a pick below.');
      const reply = commentOf(await guest().comment(t.slug, { body: 'The pick itself.', authorName: 'R', parentId: top.id }), 201, 'reply');
      commentOf(await feature(reply.id, 'Deep in a branch'), 200, 'feature the reply');
      const page = ThreadResponseSchema.parse(expectStatus(await guest().get(`/api/threads/${t.slug}?sort=picks`), 200, 'sort=picks'));
      assert.deepEqual(page.comments.map((c) => c.id), [top.id, reply.id]);
      assert.equal(page.nextCursor, null);
      assert.ok(!page.comments.some((c) => c.id === plain.id));
      expectError(await guest().get(`/api/threads/${t.slug}?sort=best`), 400, 'invalid_request', 'an unknown sort');
    });

    test('/articles/<slug>/picks.xml: an Atom feed of the picks with their notes, an ETag of the seq, 404 for no thread', async () => {
      const t = await createOpenThread(suite.node.services, 'picks-feed');
      const c = await post(guest(), t.slug, 'Quoted in the <feed>.');
      await post(guest(), t.slug, 'Not a pick.');
      commentOf(await feature(c.id, 'Editors & readers agree'), 200, 'feature');
      const res = await fetch(`${suite.node.baseUrl}/articles/${t.slug}/picks.xml`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/atom\+xml/);
      const xml = await res.text();
      assert.match(xml, /<title type="text">Editors’ picks on /);
      assert.match(xml, new RegExp(`<link rel="self" type="application/atom\\+xml" href="[^"]+/articles/${t.slug}/picks\\.xml"/>`));
      assert.equal(xml.split('<entry>').length - 1, 1, 'only the pick');
      assert.ok(xml.includes('&lt;strong&gt;Editors &amp;amp; readers agree&lt;/strong&gt;'), xml);
      assert.ok(xml.includes(`/articles/${t.slug}/comments/${c.id}`), xml);
      const etag = res.headers.get('etag')!;
      assert.equal((await fetch(`${suite.node.baseUrl}/articles/${t.slug}/picks.xml`, { headers: { 'if-none-match': etag } })).status, 304);
      assert.equal((await fetch(`${suite.node.baseUrl}/articles/no-such-thread-${kind}/picks.xml`)).status, 404);
      expectError(await guest().get(`/api/threads/no-such-thread-${kind}/picks`), 404, 'thread_not_found');
    });
  });
}
