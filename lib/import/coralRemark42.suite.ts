import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Store } from '../store/store';
import type { TestDatabaseKind } from '../store/testDatabases';
import { storesPerTest } from '../store/testStores';
import { openDryRun } from '../store/dryRunImportStore';
import { importFile } from './importFile';
import type { ImportReport } from './runImport';
import { exportLines } from './threadlineFormat';
import { ImportFileError } from './xmlElements';
import { byAuthor, commentsOf } from './testing/importedComments';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const CORAL = path.join(FIXTURES, 'coral-small');
const CORAL_SOURCE = 'coral:7a3e1c52-0d6b-4f0e-9a4c-2b8f6d1e9c10';

/** Coral and Remark42 imports against a real engine (coralRemark42.sqlite / .postgres.integration.test.ts). */
export function defineCoralRemark42Suite(kind: TestDatabaseKind): void {
  describe(`Coral and Remark42 imports on ${kind}`, () => {
    const stores = storesPerTest(kind);
    const temp: string[] = [];

    const freshStore = () => stores.fresh();

    afterEach(async () => {
      for (const f of temp.splice(0)) fs.rmSync(f, { recursive: true, force: true });
    });

    function tempFile(name: string, content: string | Buffer): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-formats-'));
      temp.push(dir);
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    }

    /** The small Remark42 fixture as Remark42 writes backups: gzipped, named for its site and day. */
    const gzippedBackup = () => tempFile('backup-ledger-20260102.gz', gzipSync(fs.readFileSync(path.join(FIXTURES, 'remark42-small.jsonl'))));

    async function exportText(store: Store): Promise<string> {
      const lines: string[] = [];
      for await (const line of exportLines(store)) lines.push(line);
      return lines.join('\n');
    }

    const imported = (report: ImportReport) => Object.values(report.comments.imported).reduce((a, b) => a + b, 0);
    const lines = (body: string) => body.split(/\n+/).map((l) => l.trim());

    /** What a first import of a fixture reports on its front: where from, threads made and found, comments by status, those attached at the top level, and the usual reasons to skip. */
    function assertFirstImport(
      report: ImportReport,
      expected: { source: string; threads: { created: number; existing: number }; imported: ImportReport['comments']['imported']; orphans: number; skipped: Pick<ImportReport['skipped'], 'malformed' | 'bad_text' | 'missing_thread' | 'duplicate'> },
    ): void {
      assert.equal(report.source, expected.source);
      assert.deepEqual({ created: report.threads.created, existing: report.threads.existing }, expected.threads);
      assert.deepEqual(report.comments.imported, expected.imported);
      assert.equal(report.comments.orphans, expected.orphans);
      const { malformed, bad_text, missing_thread, duplicate } = report.skipped;
      assert.deepEqual({ malformed, bad_text, missing_thread, duplicate }, expected.skipped);
    }

    /** Importing `source` again (in batches of 2) finds every thread, skips every comment as a duplicate and changes nothing. */
    async function assertAddsNothing(store: Store, source: { format: 'remark42' | 'coral'; file: string }, expected: { threads: number; duplicates: number }): Promise<void> {
      const before = await exportText(store);
      const again = await importFile({ store, ...source, batchSize: 2 });
      assert.deepEqual([again.threads.created, again.threads.existing], [0, expected.threads]);
      assert.equal(imported(again), 0);
      assert.equal(again.skipped.duplicate, expected.duplicates);
      assert.equal(await exportText(store), before);
    }

    describe('Remark42', () => {
      test('a gzipped backup: threads, nesting, every status, dates, and bad records counted by reason', async () => {
        const store = await freshStore();
        const file = gzippedBackup();
        const report = await importFile({ store, format: 'remark42', file, batchSize: 3 });

        assertFirstImport(report, {
          source: 'remark42:ledger',
          threads: { created: 2, existing: 0 },
          imported: { visible: 5, deleted: 1, removed: 0, pending: 2, unavailable: 0 },
          orphans: 1,
          skipped: { malformed: 3, bad_text: 1, missing_thread: 0, duplicate: 0 },
        });
        assert.deepEqual(
          report.examples.map((e) => [e.line, e.reason]).sort((a, b) => Number(a[0]) - Number(b[0])),
          [
            [8, 'bad_text'],
            [9, 'malformed'],
            [10, 'malformed'],
            [11, 'malformed'],
          ],
        );

        const harbour = await store.findThreadRowBySlug('harbour-plans-the-budget');
        assert.deepEqual([harbour?.title, harbour?.locked, harbour?.articleUrl], ['Harbour plans & the budget', false, 'https://ledger.example/2021/03/harbour-plans/']);
        const comments = await commentsOf(store, 'harbour-plans-the-budget');
        const [ann, bob, cy, dee, loud] = ['Ann', 'Bob & Co', 'Cy', 'Dee', 'Loud'].map((n) => byAuthor(comments, n));
        assert.deepEqual(lines(ann!.body), ['First paragraph.', 'Second line', 'third line.'], 'every line break survives');
        assert.equal(ann!.createdAt, '2021-03-01T09:00:00.000Z');
        assert.deepEqual([bob!.parentId, bob!.depth, bob!.createdAt, bob!.editedAt, bob!.pinned], [ann!.id, 2, '2021-03-01T16:00:00.000Z', '2021-03-02T08:30:00.000Z', true]);
        assert.equal(cy!.parentId, null, 'a parent not in the backup: attached at the top level');
        assert.deepEqual([loud!.status, loud!.heldReason], ['pending', 'pre_moderation'], 'a blocked user’s comment is not published');
        assert.equal(dee!.createdAt, fs.statSync(file).mtime.toISOString(), 'undated: the backup file’s time');
        const deleted = comments.find((c) => c.status === 'deleted');
        assert.deepEqual([deleted?.body, deleted?.authorName, deleted?.parentId], ['', null, ann!.id], 'what was deleted stays deleted');

        const zh = await store.findThreadRowBySlug('2021-04');
        assert.deepEqual([zh?.title, zh?.locked], ['中文标题', true], 'a read-only post is a locked thread, its slug from the URL path');
        const zhComments = await commentsOf(store, '2021-04');
        assert.deepEqual(
          zhComments.map((c) => [c.authorName, c.status, c.parentId === null]),
          [
            ['Hu', 'visible', true],
            ['Loud', 'pending', false],
          ],
        );
        assert.doesNotMatch(await exportText(store), /293ec5b0|avatars\.example|ann@ledger|github_/, 'no IP hash, avatar, e-mail or user id is kept');
      });

      test('a second import (the same backup, gzipped or not) adds nothing', async () => {
        const store = await freshStore();
        await importFile({ store, format: 'remark42', file: gzippedBackup() });
        await assertAddsNothing(store, { format: 'remark42', file: path.join(FIXTURES, 'remark42-small.jsonl') }, { threads: 2, duplicates: 8 });
      });

      test('Remark42’s own restore-test backup', async () => {
        const store = await freshStore();
        const report = await importFile({ store, format: 'remark42', file: path.join(FIXTURES, 'remark42-native-test.jsonl') });
        assert.equal(report.source, 'remark42:radio-t');
        assert.deepEqual(report.comments.imported, { visible: 1, deleted: 0, removed: 0, pending: 1, unavailable: 0 });
        assert.equal(report.comments.orphans, 1);
        const [first] = await commentsOf(store, 'https-radio-t-com');
        assert.deepEqual([first?.body, first?.authorName, (await store.findThreadRowBySlug('https-radio-t-com'))?.locked], ['some text, [link](http://radio-t.com)', 'user name', true]);
      });

      test('a truncated backup and a damaged line are refused with their line', async () => {
        const store = await freshStore();
        const many = [
          '{"version":1,"users":[],"posts":[]}',
          ...Array.from({ length: 3000 }, (_, i) =>
            JSON.stringify({ id: `c${i}`, pid: '', text: `<p>comment ${i} ${'words '.repeat(i % 40)}</p>`, user: { name: `R${i % 97}`, id: `u${i}` }, locator: { site: 's', url: `https://s.example/${i % 5}` }, time: '2020-01-01T00:00:00Z' }),
          ),
        ].join('\n');
        const gz = gzipSync(Buffer.from(many));
        const truncated = tempFile('backup-s-20260102.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
        await assert.rejects(importFile({ store, format: 'remark42', file: truncated }), (err: unknown) => {
          assert.ok(err instanceof ImportFileError);
          assert.ok(err.line !== undefined && err.line > 1 && err.line < 3001, String(err.line));
          assert.match(err.message, new RegExp(`^backup-s-20260102\\.gz:${err.line}: the gzip data breaks off`));
          return true;
        });
        const damaged = tempFile('damaged.jsonl', many.split('\n').map((l, i) => (i === 4 ? l.replace('"pid":""', '"pid":') : l)).join('\n'));
        await assert.rejects(importFile({ store, format: 'remark42', file: damaged }), /damaged\.jsonl:5:18: not valid JSON/);
        await assert.rejects(importFile({ store, format: 'remark42', file: path.join(FIXTURES, 'disqus-small.xml') }), /disqus-small\.xml:1:1: not valid JSON .*not a Remark42 backup/);
        await assert.rejects(importFile({ store, format: 'remark42', file: path.join(FIXTURES, 'no-such-backup.gz') }), /ENOENT/, 'a missing file is an error, not a crash');
      });
    });

    describe('Coral', () => {
      test('a tenant folder: stories, nesting, every status, authors, locks, and bad documents counted by reason', async () => {
        const store = await freshStore();
        const report = await importFile({ store, format: 'coral', file: CORAL, batchSize: 4 });

        assertFirstImport(report, {
          source: CORAL_SOURCE,
          threads: { created: 7, existing: 0 },
          imported: { visible: 10, deleted: 1, removed: 1, pending: 2, unavailable: 0 },
          orphans: 1,
          skipped: { malformed: 3, bad_text: 1, missing_thread: 1, duplicate: 0 },
        });

        const comments = await commentsOf(store, 'council-backs-the-bridge');
        const ann = comments.find((c) => c.authorName === 'Ann' && c.parentId === null && c.pinned)!;
        assert.ok(ann, 'Ann’s featured comment, pinned');
        assert.deepEqual(lines(ann.body), ['First line', 'Second line', 'A new block'], 'every line break survives');
        const bob = comments.find((c) => c.parentId === ann.id && c.status === 'visible')!;
        assert.deepEqual([bob.authorName, bob.body, bob.editedAt], ['Bob', 'Agreed, **strongly**.', '2022-05-01T09:31:00.000Z']);
        const deleted = comments.find((c) => c.status === 'deleted');
        assert.deepEqual([deleted?.body, deleted?.authorName, deleted?.parentId], ['', null, ann.id], 'what was deleted stays deleted');
        const troll = comments.filter((c) => c.authorName === 'Troll').map((c) => c.status).sort();
        assert.deepEqual(troll, ['removed', 'visible'], 'a rejected comment is removed; one Coral still showed stays shown');
        const held = comments.find((c) => c.status === 'pending');
        assert.deepEqual([held?.heldReason, held?.authorName], ['pre_moderation', 'Bob'], 'withheld by the system: held, not published');
        const undated = comments.find((c) => c.body === 'No date.');
        assert.equal(undated?.createdAt, fs.statSync(path.join(CORAL, 'comments.json')).mtime.toISOString(), 'undated: the export’s time');
        assert.equal(comments.filter((c) => c.parentId === null && c.body.startsWith('Answering')).length, 1, 'a parent not in the export: top level');

        const thread = async (slug: string) => store.findThreadRowBySlug(slug);
        assert.deepEqual(
          [(await thread('council-backs-the-bridge'))?.locked, (await thread('tram-line-delayed'))?.locked, (await thread('old-news'))?.locked, (await thread('an-archived-piece'))?.locked],
          [false, true, true, true],
        );
        assert.equal((await thread('election-night'))?.preModeration, true);
        assert.equal((await thread('cms-77'))?.articleUrl, 'https://tribune.example/?p=77');
        const archived = await commentsOf(store, 'an-archived-piece');
        assert.deepEqual(
          archived.map((c) => [c.authorName, c.createdAt, c.depth]),
          [
            ['Ann', '2019-01-02T09:00:00.000Z', 1],
            ['Bob', '2019-01-03T09:00:00.000Z', 2],
          ],
        );
        assert.doesNotMatch(await exportText(store), /@mail\.example|\$2a\$10|u-ann-0001|desk@tribune/, 'no e-mail, password hash or person id is kept');
      });

      test('a second import adds nothing', async () => {
        const store = await freshStore();
        await importFile({ store, format: 'coral', file: CORAL });
        await assertAddsNothing(store, { format: 'coral', file: CORAL }, { threads: 7, duplicates: 14 });
      });

      test('a dry run reads and counts, and writes nothing', async () => {
        const store = await freshStore();
        const db = stores.lastDatabase();
        const target = await openDryRun({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        const report = await importFile({ store: target, format: 'coral', file: CORAL }).finally(() => target.close());
        assert.equal(report.dryRun, true);
        assert.equal(report.threads.created, 7);
        assert.equal(report.skipped.malformed, 3);
        assert.equal(await store.countThreads(), 0);
      });

      test('a folder with a damaged line is refused with its file, line and column; a file is not a folder', async () => {
        const store = await freshStore();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-coral-'));
        temp.push(dir);
        for (const f of fs.readdirSync(CORAL)) fs.copyFileSync(path.join(CORAL, f), path.join(dir, f));
        const comments = fs.readFileSync(path.join(CORAL, 'comments.json'), 'utf8').split('\n');
        comments[9] = comments[9]!.slice(0, 40);
        fs.writeFileSync(path.join(dir, 'comments.json'), comments.join('\n'));
        await assert.rejects(importFile({ store, format: 'coral', file: dir }), (err: unknown) => {
          assert.ok(err instanceof ImportFileError);
          assert.equal(err.line, 10);
          assert.match(err.message, /^comments\.json:10(:\d+)?: not valid JSON/);
          return true;
        });
        await assert.rejects(importFile({ store, format: 'coral', file: path.join(CORAL, 'stories.json') }), /stories\.json is not a folder/);
        await assert.rejects(importFile({ store, format: 'coral', file: path.join(CORAL, 'missing') }), /missing: no such folder/);
      });
    });
  });
}
