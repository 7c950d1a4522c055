import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { BRANCHES_PER_PAGE, COMMENTS_PER_PAGE, CommentResponseSchema, type ThreadResponse } from '../../lib/contract';
import { syntheticComments } from '../../lib/seed/synthetic';
import { HttpGuest } from '../testing/http';
import { DATABASE_KINDS, useNode } from '../testing/suites';

const COMMENTS = 10_000;

/**
 * Issue 6, huge threads: a 10,000-comment thread read by cursor from its first
 * page to its last while others post top-level comments and replies: every
 * comment that was there when reading began is read exactly once, none twice,
 * each on the page of its branch; the count is the thread's own.
 */
for (const kind of DATABASE_KINDS) {
  describe(`a ${COMMENTS.toLocaleString('en')}-comment thread paged while it grows (${kind})`, () => {
    const suite = useNode(kind, { rateLimits: false });
    let slug: string;

    before(async () => {
      const { thread } = await suite.node.store.importThread({
        source: 'huge-thread-test',
        slug: 'huge-thread',
        title: 'Huge thread',
        article: '',
        locked: false,
        comments: syntheticComments({ comments: COMMENTS, maxDepth: 8, seed: 3 }),
      });
      slug = thread.slug;
    });
    const page = (query: string) => new HttpGuest(suite.node.baseUrl).threadPage(slug, query);

    /** Every page from the first to the last; `between` runs after each page (others writing). */
    async function readAll(between?: (p: ThreadResponse, pageNo: number) => Promise<void>) {
      const seen = new Map<string, number>();
      let pages = 0;
      for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
        const p = await page(`limit=200${cursor ? `&after=${cursor}` : ''}`);
        pages += 1;
        for (const c of p.comments) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
        // Each branch comes whole: every comment's root is on the same page.
        const roots = new Set(p.comments.filter((c) => c.parentId === null).map((c) => c.id));
        assert.ok(p.comments.every((c) => roots.has(c.rootId)), 'a comment without its branch root on its page');
        await between?.(p, pages);
        cursor = p.nextCursor;
        assert.ok(pages < 1000, 'the cursor must end');
      }
      return { seen, pages };
    }

    test('the first page stops once it holds COMMENTS_PER_PAGE comments (the crossing branch whole), so the first screen is a small thread’s', async () => {
      const first = await page('');
      const roots = first.comments.filter((c) => c.parentId === null).map((c) => c.id);
      assert.ok(roots.length >= 1 && roots.length < BRANCHES_PER_PAGE, `${roots.length} branches`);
      const lastBranch = first.comments.filter((c) => c.rootId === roots.at(-1)).length;
      const beforeLast = first.comments.length - lastBranch;
      assert.ok(beforeLast < COMMENTS_PER_PAGE, `the branches before the last already held ${beforeLast} comments`);
      assert.ok(first.comments.length >= Math.min(COMMENTS_PER_PAGE, 100), `only ${first.comments.length} comments on the first page: not cut short by a big branch`);
      assert.ok(first.nextCursor, 'the rest is a cursor away');
    });

    test('every cursor followed to the end reads each comment once, with no gap, while comments are added', async () => {
      const countBefore = (await page('limit=1')).thread.commentCount;
      const reference = await readAll();
      assert.ok(reference.pages > 5, `${reference.pages} pages`);
      const guest = new HttpGuest(suite.node.baseUrl);
      const added: { id: string; top: boolean; pageNo: number }[] = [];
      const during = await readAll(async (p, pageNo) => {
        // Others write between our pages: a reply into a branch already read, and a new top-level comment.
        const reply = await guest.post(slug, { authorName: 'Writer', body: `reply during page ${pageNo}`, parentId: p.comments[0]!.id });
        const top = await guest.post(slug, { authorName: 'Writer', body: `top during page ${pageNo}` });
        for (const [res, isTop] of [[reply, false], [top, true]] as const) {
          assert.equal(res.status, 201, JSON.stringify(res.body));
          added.push({ id: CommentResponseSchema.parse(res.body).comment.id, top: isTop, pageNo });
        }
      });
      assert.deepEqual([...during.seen].filter(([, n]) => n > 1), [], 'no comment read twice');
      const missing = [...reference.seen.keys()].filter((id) => !during.seen.has(id));
      assert.deepEqual(missing, [], 'no comment that was there skipped');
      const addedIds = new Set(added.map((a) => a.id));
      assert.ok([...during.seen.keys()].every((id) => reference.seen.has(id) || addedIds.has(id)), 'nothing read that is neither there nor added');
      // Top-level comments added while reading oldest first come after the cursor: every one is read
      // (but those added after the last page, which nobody asked for).
      assert.ok(added.filter((a) => a.top && a.pageNo < during.pages).every((a) => during.seen.has(a.id)), 'a top-level comment added during paging was skipped');
      assert.equal((await page('limit=1')).thread.commentCount, countBefore + added.length, 'the count follows the comments added');
    });

    test('the first page holds whole branches of the oldest top-level comments and the thread’s whole count', async () => {
      const first = await page('');
      assert.ok(first.comments.length > 0 && first.nextCursor !== null);
      assert.ok(first.thread.commentCount >= COMMENTS * 0.9, `count ${first.thread.commentCount}`);
      const tops = first.comments.filter((c) => c.parentId === null);
      const seqs = tops.map((c) => c.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'oldest first');
    });
  });
}
