import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, ThreadDetailSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { toWireEvent } from '../../lib/services/commentView';
import type { HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST } from '../testing/nodes';
import { record, subscribe } from '../testing/sockets';
import { staffMember, WebClient } from '../testing/staff';
import { ThreadReader } from '../testing/threadReader';
import { DATABASE_KINDS, useNode } from '../testing/suites';

const POSTS = 100;
/** The moderator locks once this many of the posts have been committed (seen live). */
const LOCK_AFTER = 10;
/** How many comments each two-moderator race is run on. */
const RACES = 12;

const summary = (e: ThreadEventWire) => [e.seq, e.type, e.type === 'comment.created' || e.type === 'comment.updated' ? e.comment.id : null] as const;

/**
 * Races between moderators and everyone else, on PostgreSQL (row locks
 * between pooled connections) and on SQLite (one writer): a lock in the middle
 * of a burst of posts, and two moderators acting on one comment at once.
 */
for (const kind of DATABASE_KINDS) {
  describe(`moderation races on ${kind}`, () => {
    // Distinct guests and no posting limit: the burst is refused only by the lock.
    const suite = useNode(kind, { rateLimits: false, passwordCost: TEST_PASSWORD_COST });
    const { sockets } = suite;

    async function storedEvents(slug: string, afterSeq: number): Promise<ThreadEventWire[]> {
      const thread = await suite.node.store.findThreadBySlug(slug);
      assert.ok(thread);
      return (await suite.node.store.eventsAfter({ threadId: thread.id, afterSeq })).map((e) => toWireEvent(slug, e));
    }

    test(`THE LOCK RACE: ${POSTS} concurrent posts while a moderator locks the thread; no comment lands after the lock`, async (t) => {
      const { client: moderator } = await staffMember(suite.node, 'moderator', 'locker');
      const thread = await createOpenThread(suite.node.services, 'lock-race');

      const rawSocket = await sockets.connect(suite.node.baseUrl);
      const raw = record(rawSocket, 'thread:event');
      await subscribe(rawSocket, thread.slug, thread.seq);
      const reader = new ThreadReader(await sockets.connect(suite.node.baseUrl), suite.node.baseUrl, thread.slug);
      await reader.start(thread.seq);

      // The lock goes out from the live stream: once LOCK_AFTER posts have committed, with the rest in flight.
      let lock: Promise<HttpResult> | undefined;
      let committed = 0;
      const trigger = (event: ThreadEventWire) => {
        if (event.slug === thread.slug && event.type === 'comment.created' && ++committed === LOCK_AFTER) lock = moderator.lock(thread.slug, 'race');
      };
      rawSocket.on('thread:event', trigger);
      const posts = await Promise.all(
        Array.from({ length: POSTS }, (_, i) => new WebClient(suite.node.baseUrl).comment(thread.slug, { body: `racing post ${i}`, authorName: `Racer ${i}`, clientId: `race-${i}` })),
      );
      rawSocket.off('thread:event', trigger);
      assert.ok(lock, `the lock was sent (after ${committed} committed posts)`);
      const lockRes = await lock;
      assert.equal(lockRes.status, 200, JSON.stringify(lockRes.body));
      const locked = ThreadDetailSchema.parse((lockRes.body as { thread: unknown }).thread);
      assert.equal(locked.locked, true);
      const lockSeq = locked.seq;

      const accepted: CommentView[] = [];
      let refused = 0;
      for (const [i, res] of posts.entries()) {
        if (res.status === 201) accepted.push(CommentResponseSchema.parse(res.body).comment);
        else if (res.status === 423) {
          assert.equal(ErrorResponseSchema.parse(res.body).error.code, 'thread_locked', `post ${i}`);
          refused++;
        } else assert.fail(`post ${i}: expected 201 or 423, got ${res.status} ${JSON.stringify(res.body)}`);
      }
      t.diagnostic(`${kind}: ${accepted.length} accepted, ${refused} refused; lock at seq ${lockSeq}`);
      assert.ok(accepted.length >= LOCK_AFTER, `${accepted.length} accepted`);
      assert.equal(accepted.length + refused, POSTS);

      for (const c of accepted) assert.ok(c.seq < lockSeq, `comment ${c.id} (seq ${c.seq}) was accepted after the lock (seq ${lockSeq})`);
      // Every seq up to the lock is an accepted comment, and nothing else.
      assert.deepEqual(
        accepted.map((c) => c.seq).sort((a, b) => a - b),
        Array.from({ length: lockSeq - thread.seq - 1 }, (_, i) => thread.seq + 1 + i),
      );

      // Stored: exactly the accepted comments, then the lock, and nothing after it.
      const stored = await storedEvents(thread.slug, thread.seq);
      assert.equal(stored.length, accepted.length + 1);
      assert.deepEqual(stored.at(-1), { slug: thread.slug, seq: lockSeq, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false } });
      const byId = new Map(accepted.map((c) => [c.id, c]));
      for (const e of stored.slice(0, -1)) {
        assert.ok(e.type === 'comment.created', JSON.stringify(e));
        assert.deepEqual(e.comment, byId.get(e.comment.id), `stored event ${e.seq} is an accepted comment as its author was told`);
      }
      const comments = await suite.node.store.listComments({ threadId: (await suite.node.store.findThreadBySlug(thread.slug))!.id });
      assert.deepEqual(comments.map((c) => c.id).sort(), [...byId.keys()].sort(), 'every accepted comment is stored; no refused one is');

      // The plain socket received each event exactly once; the reader applied them in seq order.
      await raw.find('the lock event on the plain socket', (e) => e.seq === lockSeq);
      await reader.waitUntilAt(lockSeq);
      const received = raw.items.filter((e) => e.slug === thread.slug);
      assert.deepEqual(
        [...received].sort((a, b) => a.seq - b.seq).map(summary),
        stored.map(summary),
        'the plain socket got every accepted comment and the lock, once each',
      );
      for (const e of received) assert.deepEqual(e, stored.find((s) => s.seq === e.seq), `live event ${e.seq} is the stored one`);
      const inversions = received.filter((e, i) => i > 0 && e.seq < received[i - 1]!.seq).length;
      t.diagnostic(`${kind}: plain socket arrival order had ${inversions} inversion(s); the reader caught up ${reader.catchUps} time(s)`);
      reader.stop();
      assert.deepEqual(reader.errors, []);
      assert.deepEqual(
        reader.applied.map((a) => summary(a.event)),
        stored.map(summary),
        'the ThreadReader applied every accepted comment and the lock, in seq order',
      );

      // From now on every post is refused and takes no seq.
      const late = await Promise.all(Array.from({ length: 5 }, (_, i) => new WebClient(suite.node.baseUrl).comment(thread.slug, { body: `late ${i}`, authorName: 'Late' })));
      for (const res of late) {
        assert.equal(res.status, 423, JSON.stringify(res.body));
        assert.equal(ErrorResponseSchema.parse(res.body).error.code, 'thread_locked');
      }
      assert.equal((await suite.node.store.findThreadBySlug(thread.slug))?.seq, lockSeq);
    });

    /** RACES held comments (pre-moderation) on a fresh thread. */
    async function heldComments(label: string): Promise<{ slug: string; comments: CommentView[] }> {
      const { client: admin } = await staffMember(suite.node, 'admin', 'setup');
      const thread = await createOpenThread(suite.node.services, label);
      assert.equal((await admin.settings(thread.slug, { preModeration: true })).status, 200);
      const comments = await Promise.all(
        Array.from({ length: RACES }, async (_, i) => {
          const res = await new WebClient(suite.node.baseUrl).comment(thread.slug, { body: `held ${i}`, authorName: 'Held' });
          const c = CommentResponseSchema.parse(res.body).comment;
          assert.equal(c.status, 'pending');
          return c;
        }),
      );
      return { slug: thread.slug, comments };
    }

    /** Runs both moderators' actions on each comment at once and checks that exactly one of each pair won. */
    async function race(slug: string, comments: CommentView[], a: { client: WebClient; action: string }, b: { client: WebClient; action: string }) {
      const startSeq = (await suite.node.store.findThreadBySlug(slug))!.seq;
      const outcomes = await Promise.all(comments.map((c) => Promise.all([a.client.act(c.id, a.action), b.client.act(c.id, b.action)])));
      const problems: string[] = [];
      const winners: ('a' | 'b')[] = [];
      for (const [i, [ra, rb]] of outcomes.entries()) {
        const statuses = [ra.status, rb.status];
        const loser = ra.status === 200 ? rb : ra;
        const oneWon = statuses.filter((s) => s === 200).length === 1;
        const otherWasTold = loser.status === 409 && (loser.body as { error?: { code?: string } }).error?.code === 'already_handled';
        if (!oneWon || !otherWasTold) problems.push(`comment ${i} (${comments[i]!.id}): ${a.action} → ${ra.status}, ${b.action} → ${rb.status}`);
        winners.push(ra.status === 200 ? 'a' : 'b');
      }
      return { startSeq, outcomes, problems, winners };
    }

    test('two moderators act on the same held comment at once, approve against reject: exactly one succeeds, the other gets 409', async () => {
      const first = await staffMember(suite.node, 'moderator', 'approver');
      const second = await staffMember(suite.node, 'moderator', 'rejecter');
      const { slug, comments } = await heldComments('approve-reject');
      const { startSeq, problems, winners } = await race(slug, comments, { client: first.client, action: 'approve' }, { client: second.client, action: 'reject' });
      assert.deepEqual(problems, [], 'each pair: one 200 and one 409 already_handled');

      // The store agrees with the winner, with one event and one audit entry per comment.
      const events = await storedEvents(slug, startSeq);
      const audit = await suite.node.store.moderation.listAudit({ limit: 1000 });
      for (const [i, c] of comments.entries()) {
        const stored = await suite.node.store.findComment({ id: c.id });
        const expected = winners[i] === 'a' ? 'visible' : 'deleted';
        assert.equal(stored?.status, expected, `comment ${i}: the winner's action stands`);
        assert.equal(events.filter((e) => e.type === 'comment.updated' && e.comment.id === c.id).length, 1, `comment ${i}: one event`);
        const entries = audit.filter((e) => e.commentId === c.id);
        assert.deepEqual(
          entries.map((e) => [e.action, e.actorName]),
          [winners[i] === 'a' ? ['comment.approve', first.account.username] : ['comment.reject', second.account.username]],
          `comment ${i}: one audit entry, the winner's`,
        );
      }
      assert.equal(events.length, comments.length, 'no other event');
    });

    test('two moderators approve the same held comment at once: exactly one succeeds, the other gets 409', async () => {
      const first = await staffMember(suite.node, 'moderator', 'approver1');
      const second = await staffMember(suite.node, 'moderator', 'approver2');
      const { slug, comments } = await heldComments('approve-approve');
      const { startSeq, problems } = await race(slug, comments, { client: first.client, action: 'approve' }, { client: second.client, action: 'approve' });
      const events = await storedEvents(slug, startSeq);
      const audit = (await suite.node.store.moderation.listAudit({ limit: 1000 })).filter((e) => comments.some((c) => c.id === e.commentId));
      assert.deepEqual(
        problems,
        [],
        `each pair: one 200 and one 409 already_handled; instead both moderators were told they approved it ` +
          `(${events.length} comment.updated events and ${audit.length} audit entries for ${comments.length} comments)`,
      );
      assert.equal(events.length, comments.length, 'one approval event per comment');
    });

    test('two moderators keep the same reported comment at once, or remove it at once: exactly one succeeds each time', async () => {
      const first = await staffMember(suite.node, 'moderator', 'keeper1');
      const second = await staffMember(suite.node, 'moderator', 'keeper2');
      const thread = await createOpenThread(suite.node.services, 'keep-race');
      const comments = await Promise.all(
        Array.from({ length: RACES }, async (_, i) => {
          const c = CommentResponseSchema.parse((await new WebClient(suite.node.baseUrl).comment(thread.slug, { body: `reported ${i}`, authorName: 'R' })).body).comment;
          assert.equal((await new WebClient(suite.node.baseUrl).report(c.id, `report ${i}`)).status, 201);
          return c;
        }),
      );
      const kept = await race(thread.slug, comments, { client: first.client, action: 'approve' }, { client: second.client, action: 'approve' });
      assert.deepEqual(kept.problems, [], 'keep against keep');
      assert.equal((await storedEvents(thread.slug, kept.startSeq)).length, 0, 'keeping is not a thread event');
      const queue = await suite.node.services.moderation.queue({});
      assert.ok(!queue.some((i) => comments.some((c) => c.id === i.comment.id)), 'all reports closed');

      const removed = await race(thread.slug, comments, { client: first.client, action: 'remove' }, { client: second.client, action: 'remove' });
      assert.deepEqual(removed.problems, [], 'remove against remove');
      assert.equal((await storedEvents(thread.slug, removed.startSeq)).length, comments.length, 'one removal event per comment');
    });
  });
}
