import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestDatabaseKind } from '../store/testDatabases';
import { storesPerTest } from '../store/testStores';
import { importFile } from './importFile';
import type { ImportReport } from './runImport';
import { ImportFileError } from './xmlElements';
import { commentsOf } from './testing/importedComments';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const total = (report: ImportReport) => Object.values(report.comments.imported).reduce((a, b) => a + b, 0);

/**
 * What the source says about its own records, honoured (issue 18: points 2, 3, 5, 7, 8c, 8d), on a
 * real engine (sourceRules.sqlite.integration.test.ts, sourceRules.postgres.integration.test.ts).
 */
export function defineSourceRulesSuite(kind: TestDatabaseKind): void {
  describe(`what the source says, honoured, on ${kind}`, () => {
    const stores = storesPerTest(kind);

    const freshStore = () => stores.fresh();


    test('WordPress posts that are not public (password, draft, private, pending, scheduled, trash) and their comments are skipped, and the report says why', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: fixture('wxr-not-public.xml') });
      assert.deepEqual(report.threads, { created: 1, existing: 0, hidden: 0 });
      assert.equal(total(report), 1);
      // Six posts and their five comments.
      assert.equal(report.skipped.not_public, 11);
      assert.deepEqual(
        (await store.listThreads({ limit: 10, which: 'all' })).map((t) => t.slug),
        ['council-meets'],
      );
      const why = report.examples.filter((e) => e.reason === 'not_public').map((e) => e.detail);
      for (const words of ['is password-protected', 'is a draft', 'is private', 'is pending review', 'is scheduled', 'is in the trash']) {
        assert.ok(
          why.some((d) => d.includes(words)),
          `the report says a post ${words}: ${why.join(' | ')}`,
        );
      }
      assert.ok(why.some((d) => /comment 22 is in thread 2/.test(d)));
    });

    test('with notPublic "hide" they are imported as hidden threads an admin can publish, counted and named in the report', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: fixture('wxr-not-public.xml'), notPublic: 'hide' });
      assert.deepEqual(report.threads, { created: 7, existing: 0, hidden: 6 });
      assert.equal(report.skipped.not_public, 0);
      assert.deepEqual(report.comments.imported, { visible: 5, deleted: 0, removed: 1, pending: 0, unavailable: 0 });
      assert.equal(report.warnings.filter((w) => /imported as a hidden thread/.test(w)).length, 6);
      assert.deepEqual(
        (await store.listThreads()).map((t) => t.slug),
        ['council-meets'],
        'the public list shows only the public post',
      );
      const members = await store.findThreadRowBySlug('members-only');
      assert.equal(members?.hidden, true);
      const [ben, cat] = await commentsOf(store, 'members-only');
      assert.equal(cat?.parentId, ben?.id);
      // An admin publishes it through the thread admin (hidden: false), and readers see it.
      await store.updateThread({ threadId: members!.id, changes: { hidden: false } });
      assert.ok((await store.listThreads()).some((t) => t.slug === 'members-only'));
    });

    test('a deleted Disqus thread stays deleted: its posts, before and after it in the file, are skipped as deleted_thread, not as unknown thread', async () => {
      const store = await freshStore();
      for (const batchSize of [1, 500]) {
        const report = await importFile({ store, format: 'disqus', file: fixture('disqus-deleted-thread.xml'), batchSize });
        if (batchSize === 1) {
          assert.deepEqual(report.threads, { created: 1, existing: 0, hidden: 0 });
          assert.equal(total(report), 1);
        }
        // The thread and its three posts, the first of which comes before it; every run says so again.
        assert.equal(report.skipped.deleted_thread, 4);
        assert.equal(report.skipped.missing_thread, 0);
        assert.ok(report.examples.some((e) => e.reason === 'deleted_thread' && /comment 901 is in thread 90/.test(e.detail)));
      }
      assert.deepEqual(
        (await store.listThreads({ limit: 10, which: 'all' })).map((t) => t.slug),
        ['market-day'],
      );
      assert.doesNotMatch(JSON.stringify(await commentsOf(store, 'market-day')), /deleted thread|story was wrong/);
    });

    test('titles that make no slug take the Disqus identifier or the address, never a placeholder; the link is kept as the article address', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'disqus', file: fixture('disqus-non-latin.xml') });
      assert.equal(report.threads.created, 5);
      const threads = await store.listThreads({ limit: 10, which: 'all' });
      assert.deepEqual(
        threads.map((t) => [t.title, t.slug, t.articleUrl]).sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
        [
          ['港口重新开放', '4711', 'https://zh.example/archives/4711'],
          ['天气', '7-https-zh-example-p-7', 'https://zh.example/2019/06/%E6%B8%AF%E5%8F%A3/'],
          ['市议会通过预算', 'budget-2019', 'https://zh.example/2019/05/%E9%A2%84%E7%AE%97/'],
          ['新闻', 'disqus-504', 'https://zh.example/%E6%96%B0%E9%97%BB/%E6%B8%AF%E5%8F%A3/'],
          ['港口', 'harbour-opens', 'https://zh.example/news/harbour-opens.html'],
        ],
      );
      assert.ok(threads.every((t) => !/^article(-\d+)?$/.test(t.slug)));
      assert.equal((await commentsOf(store, 'budget-2019'))[0]?.body, '同意');
    });

    test('a PHP warning printed before <?xml is passed over with a warning, and lines stay the file’s', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: fixture('wxr-php-warning.xml') });
      assert.equal(total(report), 1);
      assert.deepEqual(
        report.examples.map((e) => [e.line, e.reason]),
        [[23, 'not_a_comment']],
        'the pingback is named at its line in the file',
      );
      assert.equal(report.warnings.length, 1);
      assert.match(report.warnings[0]!, /^line 1: 2 lines of text before the XML declaration passed over, the first: "<br \/>"$/);
    });

    test('a byte-order mark and blank lines before <?xml are harmless: accepted without a word', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'disqus', file: fixture('disqus-bom-blank-lines.xml') });
      assert.equal(total(report), 1);
      assert.deepEqual(report.warnings, []);
      assert.deepEqual(
        report.examples.map((e) => [e.line, e.reason]),
        [[16, 'missing_thread']],
      );
    });

    test('text before <?xml that holds part of an export is refused, naming its line and column', async () => {
      const store = await freshStore();
      await assert.rejects(importFile({ store, format: 'disqus', file: fixture('disqus-prelude-refused.xml') }), (err: unknown) => {
        assert.ok(err instanceof ImportFileError, String(err));
        assert.match(err.message, /^disqus-prelude-refused\.xml is not well-formed XML: disqus-prelude-refused\.xml:1:\d+: /);
        return true;
      });
      assert.equal(await store.countThreads(), 0);
    });

    test('WordPress comments without a date are imported with the export’s time and flagged; an unreadable date is still malformed', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: fixture('wxr-undated.xml') });
      assert.equal(total(report), 3);
      assert.equal(report.comments.undated, 2);
      assert.equal(report.skipped.malformed, 1);
      assert.deepEqual(
        report.warnings.map((w) => /comment (\d+) has no date: imported dated (\S+)/.exec(w)?.slice(1)),
        [
          ['2', '2015-01-27T14:56:57.000Z'],
          ['3', '2015-01-27T14:56:57.000Z'],
        ],
      );
      const comments = await commentsOf(store, 'old-news');
      const byName = new Map(comments.map((c) => [c.authorName, c]));
      assert.equal(byName.get('Dated')?.createdAt, '2010-01-01T10:00:00.000Z');
      assert.equal(byName.get('Zero')?.createdAt, '2015-01-27T14:56:57.000Z');
      assert.equal(byName.get('Absent')?.parentId, byName.get('Zero')?.id);
      assert.equal(byName.has('Garbled'), false);
    });

    test('Disqus posts without a date take their thread’s date, else the import’s time, and are flagged', async () => {
      const store = await freshStore();
      const before = new Date().toISOString();
      const report = await importFile({ store, format: 'disqus', file: fixture('disqus-undated.xml') });
      const after = new Date().toISOString();
      assert.equal(total(report), 2);
      assert.equal(report.comments.undated, 2);
      const byName = new Map((await commentsOf(store, 'heat')).map((c) => [c.authorName, c.createdAt]));
      assert.equal(byName.get('After'), '2018-07-01T08:00:00.000Z');
      const early = byName.get('Before')!;
      assert.ok(early >= before && early <= after, `${early} is the import's time`);
    });

    test('two WordPress sites without a site link keep their ids apart; the same file again adds nothing; wp:base_blog_url and --source name a site', async () => {
      const store = await freshStore();
      const a = await importFile({ store, format: 'wxr', file: fixture('wxr-no-address-a.xml') });
      const b = await importFile({ store, format: 'wxr', file: fixture('wxr-no-address-b.xml') });
      assert.equal(total(a), 2);
      assert.equal(total(b), 2, 'the second site’s comments are not taken for the first’s');
      assert.equal(b.skipped.duplicate, 0);
      assert.match(a.source, /^wxr:#[0-9a-f]{16}$/);
      assert.notEqual(a.source, b.source);
      assert.match(a.warnings.join('\n'), /names no site address.*--source/);

      const again = await importFile({ store, format: 'wxr', file: fixture('wxr-no-address-a.xml') });
      assert.equal(again.source, a.source);
      assert.equal(total(again), 0);
      assert.equal(again.skipped.duplicate, 2);
      assert.deepEqual(again.threads, { created: 0, existing: 1, hidden: 0 });

      const blog = await importFile({ store, format: 'wxr', file: fixture('wxr-base-blog-url.xml') });
      assert.equal(blog.source, 'wxr:https://network.example/third');
      assert.equal(total(blog), 2);

      const named = await importFile({ store, format: 'wxr', file: fixture('wxr-no-address-b.xml'), source: 'https://harbour.example/' });
      assert.equal(named.source, 'wxr:https://harbour.example');
      assert.deepEqual(named.warnings, []);
    });

    test('isso’s own test exports (fixtures/README.md): a Disqus identifier that is a slug names its thread; a WXR file with no site address gets its own ids', async () => {
      const store = await freshStore();
      const disqus = await importFile({ store, format: 'disqus', file: fixture('isso-disqus.xml') });
      assert.deepEqual(disqus.threads, { created: 2, existing: 0, hidden: 0 });
      assert.deepEqual(disqus.comments.imported, { visible: 4, deleted: 1, removed: 0, pending: 0, unavailable: 0 });
      assert.equal(disqus.skipped.malformed, 1, 'the thread with neither title nor link');
      assert.equal(disqus.skipped.missing_thread, 1);
      const hello = await store.findThreadRowBySlug('some-id');
      assert.equal(hello?.title, 'Hello, World!');
      assert.equal(hello?.articleUrl, 'http://example.org/');
      const [peter, reply] = await commentsOf(store, 'some-id');
      assert.equal(reply?.parentId, peter?.id);
      assert.equal((await store.findThreadRowBySlug('index'))?.articleUrl, 'http://localhost:4000/blog/2013/02/12/redacted/index.html');

      const wxr = await importFile({ store, format: 'wxr', file: fixture('isso-wordpress.xml') });
      assert.match(wxr.source, /^wxr:#[0-9a-f]{16}$/);
      assert.deepEqual(wxr.threads, { created: 1, existing: 0, hidden: 0 });
      assert.equal(total(wxr), 7);
      assert.equal(wxr.skipped.malformed, 3, 'two items with no wp:post_id, and the comment in one of them');
      assert.equal((await commentsOf(store, 'test')).length, 7);
      const again = await importFile({ store, format: 'wxr', file: fixture('isso-wordpress.xml') });
      assert.equal(again.source, wxr.source);
      assert.equal(again.skipped.duplicate, 7);
    });
  });
}
