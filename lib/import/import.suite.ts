import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { openDryRun } from '../store/dryRunImportStore';
import type { Store } from '../store/store';
import type { TestDatabaseKind } from '../store/testDatabases';
import { storesPerTest } from '../store/testStores';
import { importFile } from './importFile';
import { exportLines } from './threadlineFormat';
import { ImportFileError } from './xmlElements';
import { byAuthor, commentsOf } from './testing/importedComments';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

/** Importers against a real engine (sqlite.integration.test.ts, postgres.integration.test.ts in this folder). */
export function defineImportSuite(kind: TestDatabaseKind): void {
  describe(`import on ${kind}`, () => {
    const stores = storesPerTest(kind);
    const tempFiles: string[] = [];

    const freshStore = () => stores.fresh();

    afterEach(async () => {
      for (const f of tempFiles.splice(0)) fs.rmSync(f, { force: true });
    });

    async function exportText(store: Store): Promise<string> {
      const lines: string[] = [];
      for await (const line of exportLines(store)) lines.push(line);
      return lines.join('\n') + '\n';
    }

    test('Disqus: threads, nesting (a parent later in the file too), every status, and malformed records counted by reason', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml'), batchSize: 3 });

      assert.deepEqual(report.threads, { created: 2, existing: 0, hidden: 0 });
      assert.deepEqual(report.comments.imported, { visible: 6, deleted: 1, removed: 1, pending: 1, unavailable: 0 });
      assert.equal(report.comments.orphans, 1);
      assert.deepEqual(report.skipped, { malformed: 3, missing_thread: 1, bad_text: 1, not_a_comment: 0, duplicate: 0, deleted_thread: 0, not_public: 0, missing_comment: 0, missing_account: 0 });
      assert.deepEqual(
        report.examples.map((e) => [e.line, e.reason]).sort((a, b) => Number(a[0]) - Number(b[0])),
        [
          [26, 'malformed'],
          [90, 'malformed'],
          [95, 'malformed'],
          [100, 'missing_thread'],
          [112, 'bad_text'],
        ],
      );

      const comments = await commentsOf(store, 'city-council-votes-on-budget');
      const [ann, bob, cy, dee] = ['Ann', 'Bob', 'Cy', 'Dee'].map((n) => byAuthor(comments, n));
      assert.equal(ann!.depth, 1);
      assert.equal(bob!.parentId, ann!.id);
      assert.equal(cy!.parentId, bob!.id);
      assert.equal(dee!.parentId, cy!.id);
      assert.equal(dee!.depth, 4);
      assert.equal(dee!.rootId, ann!.id);
      assert.equal(ann!.body, 'First! The **budget** is & was [online](https://bugle.example/budget).\n\nSecond paragraph with a \\*star\\*.');
      assert.equal(ann!.createdAt, '2019-05-01T09:00:00.000Z');
      assert.equal(cy!.body, 'Third level, *after* its reply in the file');
      assert.equal(byAuthor(comments, 'Gus').parentId, null, 'an orphan is attached at the top level');
      assert.equal(byAuthor(comments, 'Spammer').status, 'removed');
      const pending = byAuthor(comments, 'Fay');
      assert.equal(pending.status, 'pending');
      assert.equal(pending.heldReason, 'pre_moderation');
      const deleted = comments.find((c) => c.status === 'deleted');
      assert.deepEqual([deleted?.body, deleted?.authorName], ['', null]);
      assert.doesNotMatch(JSON.stringify(comments), /@example\.com/, 'e-mail addresses are not kept');

      const harbour = await store.findThreadRowBySlug('harbour-reopens');
      assert.equal(harbour?.locked, true);
      assert.equal(harbour?.article, '');
    });

    test('importing the same file twice changes nothing the second time', async () => {
      const store = await freshStore();
      await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml') });
      await importFile({ store, format: 'wxr', file: fixture('wxr-small.xml') });
      const before = await exportText(store);
      const threadsBefore = await store.listThreads();

      const again = await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml'), batchSize: 2 });
      assert.deepEqual(again.threads, { created: 0, existing: 2, hidden: 0 });
      assert.equal(Object.values(again.comments.imported).reduce((a, b) => a + b, 0), 0);
      assert.equal(again.skipped.duplicate, 9);
      const wxrAgain = await importFile({ store, format: 'wxr', file: fixture('wxr-small.xml') });
      assert.equal(wxrAgain.skipped.duplicate, 6);

      assert.equal(await exportText(store), before);
      assert.deepEqual(
        (await store.listThreads()).map((t) => [t.slug, t.seq]),
        threadsBefore.map((t) => [t.slug, t.seq]),
      );
    });

    test('WordPress WXR: posts and pages with nested comments; spam and trash removed, pingbacks skipped', async () => {
      const store = await freshStore();
      const report = await importFile({ store, format: 'wxr', file: fixture('wxr-small.xml') });
      assert.equal(report.source, 'wxr:https://gazette.example');
      assert.deepEqual(report.threads, { created: 2, existing: 0, hidden: 0 });
      assert.deepEqual(report.comments.imported, { visible: 3, deleted: 0, removed: 2, pending: 1, unavailable: 0 });
      assert.deepEqual(report.skipped, { malformed: 2, missing_thread: 0, bad_text: 1, not_a_comment: 1, duplicate: 0, deleted_thread: 0, not_public: 0, missing_comment: 0, missing_account: 0 });

      const comments = await commentsOf(store, 'bridge-closes-for-repairs');
      const [ida, jo, kai] = ['Ida', 'Jo', 'Kai'].map((n) => byAuthor(comments, n));
      assert.equal(jo!.parentId, ida!.id);
      assert.equal(kai!.parentId, jo!.id);
      assert.equal(kai!.status, 'pending');
      assert.equal(ida!.body, 'About time. *Finally*.');
      assert.equal(ida!.createdAt, '2020-01-10T08:00:00.000Z', 'comment_date_gmt is the time');
      assert.deepEqual(
        ['Spam Bot', 'Lu'].map((n) => byAuthor(comments, n).status),
        ['removed', 'removed'],
      );
      const about = await store.findThreadRowBySlug('about');
      assert.equal(about?.locked, true, 'comments closed in WordPress: the thread is locked');
      assert.equal((await store.listThreads()).length, 2, 'the attachment is not a thread');
    });

    test('broken XML is refused with its line', async () => {
      const store = await freshStore();
      await assert.rejects(importFile({ store, format: 'disqus', file: fixture('disqus-broken.xml') }), (err: unknown) => {
        assert.ok(err instanceof ImportFileError);
        assert.equal(err.line, 9);
        assert.match(err.message, /disqus-broken\.xml:9:\d+: /);
        return true;
      });
      await assert.rejects(importFile({ store, format: 'threadline', file: fixture('wxr-small.xml') }), /not a Threadline export/);
      await assert.rejects(importFile({ store, format: 'disqus', file: fixture('wxr-small.xml') }), /wxr-small\.xml:7: not a Disqus export \(the root element is <rss>/);
      await assert.rejects(importFile({ store, format: 'wxr', file: fixture('disqus-small.xml') }), /not a WordPress WXR export/);
    });

    test('an import into a live thread takes its next seqs, so readers catch up with eventsAfter', async () => {
      const store = await freshStore();
      const thread = await store.createThread({ slug: 'city-council-votes-on-budget', title: 'City council votes on budget' });
      const live = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Live', authorGuestId: 'g1', body: 'posted before the import', clientId: null });
      const readerSeq = live.event!.seq;

      const report = await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml') });
      assert.deepEqual(report.threads, { created: 1, existing: 1, hidden: 0 }, 'the thread with the same slug receives the comments');

      const events = await store.eventsAfter({ threadId: thread.id, afterSeq: readerSeq });
      const comments = (await store.listComments({ threadId: thread.id })).filter((c) => c.id !== live.comment.id);
      assert.equal(comments.length, 8);
      assert.deepEqual(
        events.map((e) => e.seq),
        comments.map((_, i) => readerSeq + 1 + i),
        'one comment.created per imported comment, seqs with no gap',
      );
      assert.ok(events.every((e) => e.type === 'comment.created'));
      assert.deepEqual(
        events.map((e) => (e.type === 'comment.created' ? e.comment.id : '')),
        comments.map((c) => c.id),
      );
      assert.equal((await store.findThreadById(thread.id))?.seq, events.at(-1)?.seq);
      // Posting still works after the import, at the next seq.
      const after = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Live', authorGuestId: 'g1', body: 'after', clientId: null });
      assert.equal(after.event?.seq, events.at(-1)!.seq + 1);
    });

    test('export → import into an empty store → export gives the same document; importing it again adds nothing', async () => {
      const source = await freshStore();
      await importFile({ store: source, format: 'disqus', file: fixture('disqus-small.xml') });
      await importFile({ store: source, format: 'wxr', file: fixture('wxr-small.xml') });
      const bridge = await source.findThreadRowBySlug('bridge-closes-for-repairs');
      await source.updateThread({ threadId: bridge!.id, changes: { slowModeSeconds: 30, preModeration: true } });
      const posted = await source.createComment({ threadId: bridge!.id, parentId: null, authorName: 'Guest', authorGuestId: 'guest-1', body: 'Posted *here*', clientId: 'c-1' });
      await source.updateComment({ threadId: bridge!.id, commentId: posted.comment.id, changes: { pinned: true, locked: true, editedAt: '2026-01-01T00:00:00.000Z' } });
      // Hidden by an admin: moved to another server, it stays hidden.
      await source.updateThread({ threadId: bridge!.id, changes: { hidden: true } });
      await source.moderation.setBannedWords(['spam', 'scam']);
      await source.moderation.createBan({ guestId: 'guest-2', reason: 'abuse', until: null, createdBy: 'mod' });
      await source.accounts.upsertUser({ username: 'editor', passwordHash: 'scrypt$1$2$3$c2FsdA==$a2V5', role: 'admin' });
      // A thread an embed opened keeps the article it was opened for.
      await source.createThread({ slug: 'opened-from-an-embed', title: 'Opened from an embed', articleUrl: 'https://news.example.com/2026/opened' });

      const first = await exportText(source);
      assert.match(first, /"slug":"opened-from-an-embed".*"articleUrl":"https:\/\/news.example.com\/2026\/opened"/);
      assert.doesNotMatch(first, /scrypt/, 'no password hashes in the export');
      const file = path.join(os.tmpdir(), `threadline-export-${process.pid}-${Date.now()}.jsonl`);
      tempFiles.push(file);
      fs.writeFileSync(file, first);

      const target = await freshStore();
      const report = await importFile({ store: target, format: 'threadline', file, batchSize: 4 });
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), 0, JSON.stringify(report.examples));
      // Format 2 carries the staff member as an account (with every other account), not as a `user` line.
      assert.deepEqual(report.moderation, { bans: 1, bannedWords: 2, users: 0 });
      assert.equal(report.people.account, 1);
      assert.equal(await exportText(target), first);
      assert.equal((await target.findThreadRowBySlug('bridge-closes-for-repairs'))?.hidden, true, 'a hidden thread stays hidden');
      const user = await target.accounts.findUserByUsername('editor');
      assert.equal(user?.passwordHash, '!', 'an imported account cannot log in until given a password');

      const again = await importFile({ store: target, format: 'threadline', file });
      assert.equal(Object.values(again.comments.imported).reduce((a, b) => a + b, 0), 0);
      assert.equal(again.threads.created, 0);
      assert.equal(await exportText(target), first);

      // The Disqus ids came along: importing the original file into the new store adds nothing.
      assert.ok(report.mappings > 0);
      const disqusAgain = await importFile({ store: target, format: 'disqus', file: fixture('disqus-small.xml') });
      assert.deepEqual(disqusAgain.threads, { created: 0, existing: 2, hidden: 0 });
      assert.equal(disqusAgain.skipped.duplicate, 9);
      assert.equal(await exportText(target), first);
    });

    test('a Threadline line that is not a valid record is skipped as malformed, with its line', async () => {
      const store = await freshStore();
      const file = path.join(os.tmpdir(), `threadline-bad-${process.pid}-${Date.now()}.jsonl`);
      tempFiles.push(file);
      const thread = { type: 'thread', id: 't1', slug: 'one', title: 'One', article: '', locked: false, source: null, createdAt: '2020-01-01T00:00:00.000Z', slowModeSeconds: 0, preModeration: false };
      const comment = { type: 'comment', id: 'c1', threadId: 't1', parentId: null, status: 'visible', authorName: 'A', authorGuestId: null, clientId: null, body: 'Hi', createdAt: null, editedAt: null, locked: false, pinned: false, heldReason: null };
      const lines = [
        { type: 'header', format: 'threadline', version: 1 },
        thread,
        comment,
        { ...comment, id: 'c2', status: 'shouting' },
        '{not json',
        { ...comment, id: 'c3', threadId: 'elsewhere' },
        { ...comment, id: 'c4', parentId: 'c1', body: 'reply' },
      ];
      fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
      const report = await importFile({ store, format: 'threadline', file });
      assert.deepEqual(report.skipped, { malformed: 2, missing_thread: 1, bad_text: 0, not_a_comment: 0, duplicate: 0, deleted_thread: 0, not_public: 0, missing_comment: 0, missing_account: 0 });
      assert.deepEqual(
        report.examples.map((e) => e.line),
        [4, 5, 6],
      );
      const comments = await store.listComments({ threadId: 't1' });
      assert.deepEqual(
        comments.map((c) => [c.id, c.parentId]),
        [
          ['c1', null],
          ['c4', 'c1'],
        ],
      );
    });

    test('two imported articles with the same slug stay two threads', async () => {
      const store = await freshStore();
      const file = path.join(os.tmpdir(), `disqus-same-slug-${process.pid}-${Date.now()}.xml`);
      tempFiles.push(file);
      const thread = (id: string, site: string) => `<thread dsq:id="${id}"><link>https://${site}/news/index.html</link><title>Index ${id}</title></thread>`;
      const post = (id: string, threadId: string) =>
        `<post dsq:id="${id}"><message>Hello ${id}</message><createdAt>2020-01-01T00:00:00Z</createdAt><thread dsq:id="${threadId}"/></post>`;
      fs.writeFileSync(file, `<disqus xmlns:dsq="x">${thread('1', 'a.example')}${thread('2', 'b.example')}${post('10', '1')}${post('20', '2')}</disqus>`);
      const report = await importFile({ store, format: 'disqus', file });
      assert.deepEqual(report.threads, { created: 2, existing: 0, hidden: 0 });
      assert.deepEqual((await store.listThreads()).map((t) => t.slug).sort(), ['index', 'index-2']);
      assert.equal((await commentsOf(store, 'index-2')).length, 1);
    });

    test('a dry run reads and counts, and writes nothing', async () => {
      const store = await freshStore();
      const db = stores.lastDatabase();
      const target = await openDryRun({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      const report = await importFile({ store: target, format: 'disqus', file: fixture('disqus-small.xml') }).finally(() => target.close());
      assert.equal(report.dryRun, true);
      assert.equal(report.threads.created, 2);
      assert.equal(report.comments.readable, 10);
      assert.equal(report.skipped.malformed, 3);
      assert.equal(report.skipped.missing_thread, 1, 'threads are checked as by a real import (lib/import/importRuns.suite.ts compares the two)');
      assert.equal(await store.countThreads(), 0);
    });
  });
}
