import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Thread } from '../domain/types';
import type { Store } from '../store/store';
import type { TestDatabaseKind } from '../store/testDatabases';
import { storesPerTest } from '../store/testStores';
import { importFile } from './importFile';
import { commentsOf } from './testing/importedComments';

/** WordPress's own published test site (fixtures/README.md): 69 public posts and pages, 3 that are not, 32 comments. */
const FILE = path.join(import.meta.dirname, 'fixtures', 'themeunittestdata.wordpress.xml');

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`WordPress's theme unit test data, imported on ${kind}`, () => {
    const stores = storesPerTest(kind);

    const freshStore = () => stores.fresh();


    async function allThreads(store: Store, which: 'listed' | 'all'): Promise<Thread[]> {
      const threads: Thread[] = [];
      for (;;) {
        const last = threads.at(-1);
        const page = await store.listThreads({ limit: 50, which, ...(last && { after: { createdAt: last.createdAt, id: last.id } }) });
        threads.push(...page);
        if (page.length < 50) return threads;
      }
    }

    test('what should land lands; drafts, scheduled and password-protected posts, pingbacks and trackbacks do not; a second import adds nothing', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: FILE });
      assert.equal(report.source, 'wxr:https://wpthemetestdata.wordpress.com');
      assert.deepEqual(report.threads, { created: 69, existing: 0, hidden: 0 });
      assert.deepEqual(report.comments.imported, { visible: 23, deleted: 0, removed: 0, pending: 3, unavailable: 0 });
      assert.equal(report.comments.undated, 0);
      assert.deepEqual(report.warnings, []);
      // The scheduled post, the draft, the password-protected post and its one comment; two pingbacks and two trackbacks.
      assert.equal(report.skipped.not_public, 4);
      assert.equal(report.skipped.not_a_comment, 4);
      // Comment 881 is the data's every-HTML-tag sampler: 7,078 characters of HTML whose markdown (lists, a table,
      // definition lists, links kept) comes to 5,125, over the 5,000 every comment may have. Skipped, and said why.
      assert.equal(report.skipped.bad_text, 1);
      assert.match(report.examples.find((e) => e.reason === 'bad_text')?.detail ?? '', /^comment 881: body must be at most 5000 characters/);
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), 9, JSON.stringify(report.examples));

      const threads = await allThreads(store, 'all');
      assert.equal(threads.length, 69);
      for (const gone of ['scheduled', 'template-password-protected']) assert.equal(await store.findThreadRowBySlug(gone), undefined, gone);
      assert.ok(!threads.some((t) => t.title === 'Draft' || t.title.startsWith('Template: Password Protected')));
      assert.ok(!threads.some((t) => /^article(-\d+)?$/.test(t.slug)), 'no placeholder slugs');
      const everything = JSON.stringify(await Promise.all(threads.map((t) => store.listComments({ threadId: t.id }))));
      assert.doesNotMatch(everything, /should not be visible until the password is entered/);
      assert.doesNotMatch(everything, /Trackback test|Another short one/);

      // The comments page: twenty comments less the HTML sampler (881, above), one held, a reply chain ten deep, names in Greek kept.
      const comments = await commentsOf(store, 'template-comments');
      assert.equal(comments.length, 19);
      const depth = (n: string) => comments.find((c) => c.body.startsWith(`Comment Depth ${n}`));
      assert.equal(depth('02')?.parentId, depth('01')?.id);
      assert.equal(depth('10')?.depth, 10);
      assert.equal(depth('10')?.rootId, depth('01')?.id);
      assert.ok(comments.some((c) => c.authorName === 'John Κώστας Doe Τάδε'));
      assert.equal(comments.filter((c) => c.status === 'pending').length, 1);
      const page = await store.findThreadRowBySlug('template-comments');
      assert.equal(page?.articleUrl, 'https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/');
      assert.equal(page?.createdAt, '2012-01-03T17:11:37.000Z');
      // A reply to a held comment stays under it.
      const pageComments = await commentsOf(store, 'page-with-comments');
      const contributor = pageComments.find((c) => c.body === 'Contributor comment.');
      assert.equal(pageComments.find((c) => c.body === 'nothing useful to say')?.parentId, contributor?.id);
      // The pingbacks' post keeps its one real comment.
      assert.deepEqual(
        (await commentsOf(store, 'template-pingbacks-an-trackbacks')).map((c) => c.body),
        ['This is a comment amongst pingbacks and trackbacks.'],
      );

      const again = await importFile({ store, format: 'wxr', file: FILE });
      assert.deepEqual(again.threads, { created: 0, existing: 69, hidden: 0 });
      assert.equal(Object.values(again.comments.imported).reduce((a, b) => a + b, 0), 0);
      assert.equal(again.skipped.duplicate, 26);
    });

    test('imported hidden instead, the three posts that are not public wait for an admin, out of the public list', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: FILE, notPublic: 'hide' });
      assert.deepEqual(report.threads, { created: 72, existing: 0, hidden: 3 });
      assert.equal(report.skipped.not_public, 0);
      assert.equal((await allThreads(store, 'listed')).length, 69);
      const hidden = (await allThreads(store, 'all')).filter((t) => t.hidden);
      assert.deepEqual(hidden.map((t) => t.title).sort(), ['Draft', 'Scheduled', 'Template: Password Protected (the password is "enter")']);
      const draft = hidden.find((t) => t.title === 'Draft');
      assert.equal(draft?.slug, 'draft', 'a draft has no post_name: its title names it');
      assert.equal((await commentsOf(store, 'template-password-protected')).length, 1);
    });

    test('line breaks in WordPress comments survive (needs the WordPress text conversion of issue 18.1)', async () => {
      const store = await freshStore();
      await importFile({ store, format: 'wxr', file: FILE });
      const comments = await commentsOf(store, 'template-comments');
      assert.ok(comments.some((c) => c.body === 'Comment Depth 05\n\nAlso an author comment.'), JSON.stringify(comments.map((c) => c.body).filter((b) => b.startsWith('Comment Depth 05'))));
    });
  });
}
