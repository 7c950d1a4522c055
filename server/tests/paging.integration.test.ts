import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { BRANCHES_PER_PAGE, CommentResponseSchema, ErrorResponseSchema, type CommentView, type ThreadResponse } from '../../lib/contract';
import { HttpGuest } from '../testing/http';
import { createOpenThread } from '../testing/nodes';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/**
 * A thread read a page of branches at a time (`GET /api/threads/<slug>?after=&limit=`),
 * in both orders, with each branch whole and the cursor never skipping or repeating one.
 */
for (const kind of DATABASE_KINDS) {
  describe(`paging a thread by branch on ${kind}`, () => {
    const suite = useNode(kind, { rateLimits: false });
    let slug: string;
    const tops: CommentView[] = [];
    const replies = new Map<string, CommentView[]>();

    before(async () => {
      slug = (await createOpenThread(suite.node.services, 'paging')).slug;
      const guest = new HttpGuest(suite.node.baseUrl);
      const post = async (json: object) => {
        const res = await guest.post(slug, { authorName: 'Pat', ...json });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return CommentResponseSchema.parse(res.body).comment;
      };
      // Seven branches; replies posted after later branches began, so seq order and tree order differ.
      for (let i = 0; i < 7; i++) tops.push(await post({ body: `top ${i}` }));
      for (const [i, top] of tops.entries()) {
        if (i % 2 === 1) continue;
        const first = await post({ body: `reply to ${i}`, parentId: top.id });
        const second = await post({ body: `reply to reply ${i}`, parentId: first.id });
        replies.set(top.id, [first, second]);
      }
    });
    const page = (query: string) => new HttpGuest(suite.node.baseUrl).threadPage(slug, query);

    const topBodies = (p: ThreadResponse) => p.comments.filter((c) => c.parentId === null).map((c) => c.body);

    test('pages of three branches, oldest first, each branch whole, until nextCursor is null', async () => {
      const first = await page('limit=3');
      assert.deepEqual(topBodies(first), ['top 0', 'top 1', 'top 2']);
      assert.deepEqual(
        first.comments.map((c) => c.body),
        ['top 0', 'reply to 0', 'reply to reply 0', 'top 1', 'top 2', 'reply to 2', 'reply to reply 2'],
        'depth first: a branch is whole before the next begins',
      );
      assert.equal(first.thread.commentCount, 15, 'the count is the whole thread’s');
      const second = await page(`limit=3&after=${first.nextCursor}`);
      assert.deepEqual(topBodies(second), ['top 3', 'top 4', 'top 5']);
      const last = await page(`limit=3&after=${second.nextCursor}`);
      assert.deepEqual(topBodies(last), ['top 6']);
      assert.equal(last.nextCursor, null);
      assert.ok(last.comments.every((c) => c.rootId === tops[6]!.id));
    });

    test('newest first pages from the other end', async () => {
      const first = await page('sort=newest&limit=4');
      assert.deepEqual(topBodies(first), ['top 6', 'top 5', 'top 4', 'top 3']);
      const rest = await page(`sort=newest&limit=4&after=${first.nextCursor}`);
      assert.deepEqual(topBodies(rest), ['top 2', 'top 1', 'top 0']);
      assert.equal(rest.nextCursor, null);
    });

    test('following every cursor reads each comment exactly once; the default page holds a small thread whole', async () => {
      const whole = await new HttpGuest(suite.node.baseUrl).readThread(slug, { limit: 2 });
      const ids = whole.comments.map((c) => c.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids.length, 15);
      assert.ok(tops.length < BRANCHES_PER_PAGE);
      const all = await page('');
      assert.equal(all.nextCursor, null);
      assert.deepEqual(all.comments.map((c) => c.id), ids);
    });

    test('until brings back the pages up to a cursor as one page (a reload after More comments), end every page', async () => {
      const { threads } = suite.node.services;
      const tops = (p: { tree: { item: CommentView }[] }) => p.tree.map((n) => n.item.body);
      const first = await page('limit=3');
      const second = await page(`limit=3&after=${first.nextCursor}`);
      const upTo = await threads.getThreadPage({ slug, limit: 3, until: second.nextCursor! });
      assert.deepEqual(tops(upTo), ['top 0', 'top 1', 'top 2', 'top 3', 'top 4', 'top 5']);
      assert.equal(upTo.comments.length, 12, 'each branch whole, and once');
      assert.equal(upTo.nextCursor, second.nextCursor, 'More comments goes on where the reader stopped');
      const all = await threads.getThreadPage({ slug, limit: 2, until: 'end' });
      assert.equal(all.comments.length, 15);
      assert.equal(all.nextCursor, null);
      // After a cursor (the no-JavaScript page), and from the other end.
      const fromSecond = await threads.getThreadPage({ slug, limit: 3, after: first.nextCursor!, until: 'end' });
      assert.deepEqual(tops(fromSecond), ['top 3', 'top 4', 'top 5', 'top 6']);
      const newest = await page('sort=newest&limit=2');
      const newestUpTo = await threads.getThreadPage({ slug, sort: 'newest', limit: 2, until: newest.nextCursor! });
      assert.deepEqual(tops(newestUpTo), ['top 6', 'top 5']);
      assert.deepEqual(tops(await threads.getThreadPage({ slug, sort: 'newest', limit: 2, until: (await page(`sort=newest&limit=2&after=${newest.nextCursor}`)).nextCursor! })), ['top 6', 'top 5', 'top 4', 'top 3']);
    });

    test('a bad cursor or limit is a 400 naming the field', async () => {
      for (const [query, field] of [
        ['after=abc', 'after'],
        ['after=0', 'after'],
        ['after=-3', 'after'],
        // Beyond the stores' integers: never handed out, and PostgreSQL cannot compare them (once a 500).
        ['after=2147483648', 'after'],
        ['sort=newest&after=999999999999999', 'after'],
        ['sort=top&after=2147483648.1', 'after'],
        ['sort=answered-first&after=1.999999999999999', 'after'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=2.5', 'limit'],
        ['sort=sideways', 'sort'],
      ] as const) {
        const res = await new HttpGuest(suite.node.baseUrl).get(`/api/threads/${slug}?${query}`);
        assert.equal(res.status, 400, `${query}: ${res.status}`);
        const { error } = ErrorResponseSchema.parse(res.body);
        assert.equal(error.code, 'invalid_request');
        assert.ok(error.fields?.[field], `${query}: ${JSON.stringify(error.fields)}`);
      }
      assert.deepEqual((await page('after=2147483647')).comments, [], 'the largest seq is still a cursor: past the end');
    });
  });
}
