import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../store';
import { createTestDatabase, type TestDatabase } from '../store/testDatabases';
import { createServices, type Services } from './index';

/**
 * Thread pages come from a cache keyed by the thread's seq (pageCache.ts):
 * every change to the thread shows on the next read, and each reader still
 * sees their own held comments and their comments marked as theirs.
 */
for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`cached thread pages on ${kind}`, () => {
    let db: TestDatabase | undefined;
    let store: Store;
    let services: Services;
    let slug: string;
    let threadId: string;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      services = createServices({ store, sessionSecret: 'x'.repeat(32), rateLimits: false });
      slug = (await services.threads.createThread({ title: `cached pages ${kind}` })).slug;
      threadId = (await store.findThreadRowBySlug(slug))!.id;
    });
    after(async () => {
      await store?.close();
      await db?.cleanup();
    });

    const post = (guestId: string, body: string, parentId: string | null = null) =>
      services.comments.create({ slug, guestId, address: '127.0.0.1', input: { body, authorName: 'Pat', parentId } }).then((r) => r.comment);

    test('an unchanged thread is read once; a post, an edit and a setting each show on the next read', async () => {
      const first = await post('guest-a', 'first');
      const page = await services.threads.getThreadPage({ slug });
      assert.equal(await services.threads.getThreadPage({ slug }), page, 'the same thread version: the same page');
      assert.equal(await services.threads.getThreadPage({ slug, viewerGuestId: 'guest-nobody' }), page, 'a reader with nothing on the page shares it');
      assert.equal((await services.threads.getThreadDetail({ slug })).commentCount, 1);

      await post('guest-b', 'second', first.id);
      const afterPost = await services.threads.getThreadPage({ slug });
      assert.notEqual(afterPost, page);
      assert.deepEqual(afterPost.comments.map((c) => c.body), ['first', 'second']);
      assert.equal(afterPost.thread.commentCount, 2);
      assert.equal((await services.threads.getThreadDetail({ slug })).commentCount, 2);
      assert.equal((await services.threads.getThread({ slug })).comments.length, 2);

      await services.comments.edit({ commentId: first.id, guestId: 'guest-a', address: '127.0.0.1', body: 'first, edited' });
      assert.equal((await services.threads.getThreadPage({ slug })).comments[0]!.body, 'first, edited');
      assert.equal((await services.threads.getThread({ slug })).comments[0]!.body, 'first, edited');

      await store.updateThread({ threadId, changes: { locked: true } });
      assert.equal((await services.threads.getThreadPage({ slug })).thread.locked, true);
      assert.equal((await services.threads.getThreadDetail({ slug })).locked, true);
      await store.updateThread({ threadId, changes: { locked: false } });
    });

    test('each reader sees their own comments marked and their held ones; others never see a held one', async () => {
      await store.updateThread({ threadId, changes: { preModeration: true } });
      const held = await post('guest-c', 'held for a moderator');
      assert.equal(held.status, 'pending');
      const anonymous = await services.threads.getThreadPage({ slug });
      assert.ok(anonymous.comments.every((c) => c.id !== held.id && !c.mine));
      const author = await services.threads.getThreadPage({ slug, viewerGuestId: 'guest-c' });
      assert.deepEqual(author.comments.filter((c) => c.mine).map((c) => [c.id, c.body]), [[held.id, 'held for a moderator']]);
      const firstAuthor = await services.threads.getThreadPage({ slug, viewerGuestId: 'guest-a' });
      assert.deepEqual(firstAuthor.comments.filter((c) => c.mine).map((c) => c.body), ['first, edited']);
      assert.equal(await services.threads.getThreadPage({ slug }), anonymous, 'the shared page is still the shared one');
      assert.ok((await services.threads.getThread({ slug })).comments.every((c) => c.id !== held.id), 'nor does the API');
      await store.updateThread({ threadId, changes: { preModeration: false } });
    });

    test('a branch page is cached apart from the thread’s pages and follows changes too', async () => {
      const top = (await services.threads.getThreadPage({ slug })).comments[0]!;
      const branch = await services.threads.getThreadPage({ slug, rootId: top.id });
      assert.equal(branch.root?.id, top.id);
      assert.equal(await services.threads.getThreadPage({ slug, rootId: top.id }), branch);
      await post('guest-d', 'deep', top.id);
      assert.ok((await services.threads.getThreadPage({ slug, rootId: top.id })).comments.some((c) => c.body === 'deep'));
    });

    test('with the cache off (budget 0) every read is fresh and the same', async () => {
      const uncached = createServices({ store, sessionSecret: 'x'.repeat(32), rateLimits: false, pageCacheComments: 0 });
      const a = await uncached.threads.getThreadPage({ slug });
      const b = await uncached.threads.getThreadPage({ slug });
      assert.notEqual(a, b);
      assert.deepEqual(a, b);
      assert.deepEqual(a.comments, (await services.threads.getThreadPage({ slug })).comments);
    });
  });
}
