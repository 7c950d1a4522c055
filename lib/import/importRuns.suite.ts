import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openStore } from '../store';
import { DryRunError, openDryRun } from '../store/dryRunImportStore';
import { migrationProvider } from '../store/migrations';
import { databaseTarget, openDatabase } from '../store/openDatabase';
import type { Store } from '../store/store';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../store/testDatabases';
import { importFile, type ImportFormat } from './importFile';
import { writeLargeDisqusExport } from './largeFile';
import { REPORT_FORMAT } from './reportJson';
import { reportOfFailure, type ImportReport } from './runImport';
import { exportLines } from './threadlineFormat';
import { ImportFileError } from './xmlElements';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

interface Cli {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A TypeScript entry point run as its own process (`npm run import` is `tsx scripts/import.ts`). */
async function run(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Cli> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  return { code, signal, stdout, stderr };
}

/** The child's environment names the test's database as the configured store. */
function storeEnv(db: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATA_DIR: db.dataDir, ...extra };
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** Every row of every table, each table's rows as sorted JSON: two dumps are equal when the store is. */
async function dumpTables(db: TestDatabase): Promise<Record<string, string[]>> {
  const opened = openDatabase(databaseTarget(db));
  try {
    const names =
      opened.dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(opened.db)
        : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            opened.db,
          );
    const dump: Record<string, string[]> = {};
    for (const { name } of names.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(opened.db);
      dump[name] = rows.rows.map((r) => JSON.stringify(r)).sort();
    }
    return dump;
  } finally {
    await opened.db.destroy();
  }
}

async function countRows(db: TestDatabase, query: string): Promise<number> {
  const opened = openDatabase(databaseTarget(db));
  try {
    const result = await sql<{ n: number | string }>`${sql.raw(query)}`.execute(opened.db);
    return Number(result.rows[0]?.n);
  } finally {
    await opened.db.destroy();
  }
}

/** What a report counts, whatever kind of run gave it. */
const counts = (report: ImportReport) => ({ ...report, dryRun: undefined });

const dryRunEntries = () => new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('threadline-dry-run-')));

/** All-or-nothing imports, resuming, dry runs and the command's report (docs/import.md), against a real engine. */
export function defineImportRunSuite(kind: TestDatabaseKind): void {
  describe(`import runs on ${kind}`, () => {
    const opened: { db: TestDatabase; stores: Store[] }[] = [];
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-import-runs-'));

    async function fresh(): Promise<{ db: TestDatabase; store: Store }> {
      const db = await createTestDatabase(kind);
      const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      opened.push({ db, stores: [store] });
      return { db, store };
    }

    /** A store that already holds an import and a thread made here, with a comment posted live. */
    async function populated(): Promise<{ db: TestDatabase; store: Store }> {
      const made = await fresh();
      await importFile({ store: made.store, format: 'disqus', file: fixture('disqus-small.xml') });
      const thread = await made.store.createThread({ slug: 'made-here', title: 'Made here' });
      await made.store.createComment({ threadId: thread.id, parentId: null, authorName: 'Live', authorGuestId: 'g1', body: 'posted live', clientId: null });
      return made;
    }

    async function dryRun(db: TestDatabase, format: ImportFormat, file: string, dataDir = db.dataDir): Promise<ImportReport> {
      const target = await openDryRun({ databaseUrl: db.databaseUrl, dataDir });
      try {
        return await importFile({ store: target, format, file });
      } finally {
        await target.close();
      }
    }

    afterEach(async () => {
      for (const { db, stores } of opened.splice(0)) {
        for (const s of stores) await s.close();
        await db.cleanup();
      }
    });
    after(() => fs.rmSync(tempDir, { recursive: true, force: true }));

    test('a truncated file leaves the store exactly as it was; the error names its line and column, and the report what was read', async () => {
      const { db, store } = await populated();
      const before = await dumpTables(db);

      let failure: unknown;
      await assert.rejects(importFile({ store, format: 'disqus', file: fixture('disqus-truncated.xml'), batchSize: 2 }), (err) => {
        failure = err;
        return err instanceof ImportFileError;
      });
      const report = reportOfFailure(failure);
      assert.ok(report?.stopped, 'the error carries the report');
      const stop = report.stopped;
      assert.equal(stop.phase, 'reading');
      assert.equal(stop.file, fixture('disqus-truncated.xml'));
      assert.equal(stop.line, 34, stop.message);
      assert.equal(typeof stop.column, 'number');
      assert.match(stop.message, /disqus-truncated\.xml:34:\d+: /);
      assert.match(stop.next, /Nothing was written/);
      assert.deepEqual(report.read, { records: 5, threads: 2, comments: 3 }, 'two threads and three posts were read in full');
      assert.equal(report.comments.readable, 3);
      assert.deepEqual(report.threads, { created: 0, existing: 0, hidden: 0 });

      assert.deepEqual(await dumpTables(db), before, 'every table, staging and runs included, as it was');
    });

    test('a file corrupted in the middle: nothing of what came before the damage is written, and the error names its place', async () => {
      const { db, store } = await populated();
      const before = await dumpTables(db);

      let failure: unknown;
      await assert.rejects(importFile({ store, format: 'wxr', file: fixture('wxr-corrupted.xml') }), (err) => {
        failure = err;
        return err instanceof ImportFileError;
      });
      const report = reportOfFailure(failure);
      assert.ok(report?.stopped);
      const stop = report.stopped;
      assert.equal(stop.phase, 'reading');
      assert.equal(stop.line, 47, stop.message);
      assert.ok(stop.column !== null && stop.column > 30, stop.message);
      assert.deepEqual(report.read, { records: 4, threads: 2, comments: 2 }, 'the first post with its two comments, and the second post, were read');
      assert.equal(report.source, 'wxr:https://harbour.example');

      assert.deepEqual(await dumpTables(db), before);
      assert.equal(await store.findThreadRowBySlug('ferry-timetable'), undefined);
    });

    test('a run killed while writing is completed by running the same command again: every comment exactly once, its staging swept', { timeout: 300_000 }, async () => {
      const { db, store } = await fresh();
      const file = path.join(tempDir, `killed-${kind}.xml`);
      const total = 1200;
      const threads = 12;
      await writeLargeDisqusExport({ file, comments: total, threads, bodyBytes: 40 });

      const killed = await run('lib/import/testing/importUntilKilled.ts', [file], storeEnv(db, { KILL_AFTER: '500', BATCH_SIZE: '100' }));
      assert.equal(killed.signal, 'SIGKILL', `the child was killed while writing:\n${killed.stdout}${killed.stderr}`);
      const storedBefore = await countRows(db, 'select count(*) as n from comments');
      assert.ok(storedBefore > 0 && storedBefore < total, `part of the file was written (${storedBefore} comments)`);
      assert.equal(await countRows(db, 'select count(*) as n from import_runs'), 1, 'the dead run left its row');
      assert.ok((await countRows(db, 'select count(*) as n from import_staging')) > 0, 'and its staging');

      const again = await run('scripts/import.ts', ['--format', 'disqus', file], storeEnv(db));
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /warning: an earlier import of .*killed-\w+\.xml .*stopped while writing, after writing through line \d+: this run of the same file writes the rest/);
      assert.match(again.stdout, new RegExp(`comments: ${total - storedBefore} imported`));
      assert.match(again.stdout, new RegExp(`${storedBefore} already imported`));

      assert.equal(await countRows(db, 'select count(*) as n from comments'), total);
      assert.equal(await countRows(db, "select count(distinct target_id) as n from import_sources where kind = 'comment'"), total);
      assert.equal(await countRows(db, "select count(*) as n from thread_events where type = 'comment.created'"), total, 'one event per comment');
      assert.equal(await countRows(db, 'select count(*) as n from threads'), threads);
      assert.equal(await countRows(db, 'select count(*) as n from import_staging'), 0, 'the dead run’s staging is swept');
      assert.equal(await countRows(db, 'select count(*) as n from import_runs'), 0);
      // Replies found their parents, those later in the file too (largeFile.ts: every 10th and 50th comment answers another).
      let replies = 0;
      for (let i = 1; i <= total; i++) if ((i % 50 === 25 && i + threads <= total) || (i % 10 === 0 && i > threads)) replies++;
      assert.equal(await countRows(db, 'select count(*) as n from comments where parent_id is not null'), replies);
      const thread = await store.findThreadRowBySlug('article-1');
      const seqs = (await store.listComments({ threadId: thread!.id })).map((c) => c.seq);
      assert.equal(new Set(seqs).size, seqs.length);
    });

    test('a run stopped while writing says how far it wrote; running it again completes it', async () => {
      const { db, store } = await fresh();
      const file = path.join(tempDir, `interrupted-${kind}.xml`);
      await writeLargeDisqusExport({ file, comments: 300, threads: 3, bodyBytes: 40 });
      const stopper = new AbortController();
      let failure: unknown;
      await assert.rejects(
        importFile({
          store,
          format: 'disqus',
          file,
          batchSize: 50,
          signal: stopper.signal,
          onProgress: (p) => {
            if (p.phase === 'writing' && p.applied >= 100) stopper.abort(new Error('interrupted (test)'));
          },
        }),
        (err) => {
          failure = err;
          return /interrupted \(test\)/.test((err as Error).message);
        },
      );
      const report = reportOfFailure(failure);
      assert.ok(report?.stopped);
      const stop = report.stopped;
      assert.equal(stop.phase, 'writing');
      assert.ok(stop.writtenThroughLine !== null && stop.writtenThroughLine > 3);
      assert.match(stop.next, new RegExp(`written through line ${stop.writtenThroughLine}\\. Run the same command again`));
      const stored = await countRows(db, 'select count(*) as n from comments');
      assert.equal(sumImported(report), stored);
      assert.equal(await countRows(db, 'select count(*) as n from import_staging'), 0, 'a run that stops clears its staging');
      assert.equal(await countRows(db, 'select count(*) as n from import_runs'), 0);

      const again = await importFile({ store, format: 'disqus', file });
      assert.equal(again.stopped, null);
      assert.equal(sumImported(again), 300 - stored);
      assert.equal(again.skipped.duplicate, stored);
      assert.equal(await countRows(db, 'select count(*) as n from comments'), 300);
    });

    test('a dry run creates nothing: no database file or folder, no PostgreSQL tables, no scratch left behind', async () => {
      const db = await createTestDatabase(kind);
      opened.push({ db, stores: [] });
      const absent = path.join(db.dataDir, 'not-yet');
      const scratchBefore = dryRunEntries();
      const report = await dryRun(db, 'disqus', fixture('disqus-small.xml'), absent);
      assert.equal(report.dryRun, true);
      assert.deepEqual(report.threads, { created: 2, existing: 0, hidden: 0 });
      assert.equal(sumImported(report), 9);
      assert.equal(fs.existsSync(absent), false, 'no data folder, no SQLite file');
      if (kind === 'postgres') assert.deepEqual(await dumpTables(db), {}, 'no table in the schema');
      assert.deepEqual(dryRunEntries(), scratchBefore, 'the scratch copy is deleted');
    });

    test('a dry run refuses a store whose schema is behind this version, and leaves it as it was', async () => {
      const db = await createTestDatabase(kind);
      opened.push({ db, stores: [] });
      const old = openDatabase(databaseTarget(db));
      try {
        const schema = old.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(old.db)).rows[0]?.schema : undefined;
        const { error } = await new Migrator({ db: old.db, provider: migrationProvider, ...(schema && { migrationTableSchema: schema }) }).migrateTo('0005_imports');
        assert.ifError(error);
      } finally {
        await old.db.destroy();
      }
      const before = await dumpTables(db);
      await assert.rejects(openDryRun({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }), (err) => {
        assert.ok(err instanceof DryRunError);
        assert.match(err.message, /migration\(s\) behind this version \(from 0006_webhooks\).*Start this version of the server once/);
        return true;
      });
      assert.deepEqual(await dumpTables(db), before);
    });

    test('a dry run gives the counts a real import gives: an unknown thread, an existing thread, and duplicates on a second run', async () => {
      const { db, store } = await fresh();
      await store.createThread({ slug: 'city-council-votes-on-budget', title: 'Made here before the import' });
      const before = await dumpTables(db);
      const dry = await dryRun(db, 'disqus', fixture('disqus-small.xml'));
      assert.deepEqual(await dumpTables(db), before, 'the dry run wrote nothing to the store');
      const real = await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml'), batchSize: 3 });
      assert.deepEqual(counts(dry), counts(real));
      assert.equal(real.skipped.missing_thread, 1, 'the comment of an unknown thread is counted so by both');
      assert.deepEqual(real.threads, { created: 1, existing: 1, hidden: 0 });

      const dryAgain = await dryRun(db, 'disqus', fixture('disqus-small.xml'));
      const again = await importFile({ store, format: 'disqus', file: fixture('disqus-small.xml') });
      assert.deepEqual(counts(dryAgain), counts(again));
      assert.equal(again.skipped.duplicate, 9);
      assert.equal(sumImported(dryAgain), 0);
    });

    test('a dry run of a Threadline export counts moderation and carried-over ids as the import does', async () => {
      const { store: source } = await populated();
      await source.moderation.setBannedWords(['spam', 'scam']);
      await source.moderation.createBan({ guestId: 'guest-2', reason: 'abuse', until: null, createdBy: 'mod' });
      await source.accounts.upsertUser({ username: 'editor', passwordHash: 'scrypt$1$2$3$c2FsdA==$a2V5', role: 'admin' });
      const lines: string[] = [];
      for await (const line of exportLines(source)) lines.push(line);
      const file = path.join(tempDir, `export-${kind}.jsonl`);
      fs.writeFileSync(file, lines.join('\n') + '\n');

      const { db, store } = await fresh();
      await store.moderation.setBannedWords(['spam']);
      const dry = await dryRun(db, 'threadline', file);
      const real = await importFile({ store, format: 'threadline', file });
      assert.deepEqual(counts(dry), counts(real));
      // Staff travel as `account` lines (format 2), with the commenters.
      assert.deepEqual(real.moderation, { bans: 1, bannedWords: 1, users: 0 });
      assert.ok(real.people.account >= 1);
      assert.ok(real.mappings > 0);
      assert.deepEqual(counts(await dryRun(db, 'threadline', file)), counts(await importFile({ store, format: 'threadline', file })));
    });

    test('the command prints the counts and where it failed, exits 1, and --report FILE writes them as JSON', { timeout: 120_000 }, async () => {
      const { db } = await populated();
      const before = await dumpTables(db);
      const reportFile = path.join(tempDir, `report-${kind}.json`);

      const failed = await run('scripts/import.ts', ['--format', 'disqus', '--report', reportFile, fixture('disqus-truncated.xml')], storeEnv(db));
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stdout, /^import of disqus \(disqus-truncated\.xml\) stopped while reading: nothing was written$/m);
      assert.match(failed.stdout, /^read before the error: 5 records \(2 threads, 3 comments\)$/m);
      assert.match(failed.stdout, /^skipped: 0$/m);
      assert.match(failed.stderr, /^import failed: disqus-truncated\.xml is not well-formed XML: disqus-truncated\.xml:34:\d+: /m);
      assert.match(failed.stderr, /Nothing was written: the store is as it was/);
      const json = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ImportReport & { format: string; version: number };
      assert.equal(json.format, REPORT_FORMAT);
      assert.equal(json.version, 1);
      assert.ok(json.stopped);
      assert.equal(json.stopped.phase, 'reading');
      assert.equal(json.stopped.line, 34);
      assert.equal(typeof json.stopped.column, 'number');
      assert.deepEqual(json.read, { records: 5, threads: 2, comments: 3 });
      assert.equal(json.dryRun, false);
      assert.deepEqual(await dumpTables(db), before);

      const done = await run('scripts/import.ts', ['--format', 'wxr', '--report', reportFile, fixture('wxr-small.xml')], storeEnv(db));
      assert.equal(done.code, 0, done.stdout + done.stderr);
      assert.match(done.stdout, /^imported from wxr:https:\/\/gazette\.example \(wxr-small\.xml\)$/m);
      assert.equal(done.stderr, '', 'a short import prints no progress line');
      const complete = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ImportReport;
      assert.equal(complete.stopped, null);
      assert.deepEqual(complete.threads, { created: 2, existing: 0, hidden: 0 });
      assert.equal(complete.comments.undated, 0);
      assert.deepEqual(complete.warnings, []);
      assert.equal(sumImported(complete), 6);
      assert.match(done.stdout, new RegExp(`^comments: ${sumImported(complete)} imported`, 'm'));

      const dry = await run('scripts/import.ts', ['--format', 'wxr', '--dry-run', fixture('wxr-small.xml')], storeEnv(db));
      assert.equal(dry.code, 0, dry.stdout + dry.stderr);
      assert.match(dry.stdout, /^dry run of wxr:https:\/\/gazette\.example \(wxr-small\.xml\): nothing was written/m);
      assert.match(dry.stdout, /^comments: 0 imported$/m);
    });
  });
}

function sumImported(report: ImportReport): number {
  return Object.values(report.comments.imported).reduce((a, b) => a + b, 0);
}
