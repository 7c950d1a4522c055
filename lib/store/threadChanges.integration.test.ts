import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { newId } from '../domain/ids';
import { openStore, type Store } from './index';
import { databaseTarget, openDatabase, type OpenedDatabase } from './openDatabase';
import { createSqlStore } from './sqlStore';
import { createTestDatabase, requirePostgresUrl, type TestDatabase } from './testDatabases';
import { announceThreadChanges, listenerName, type ThreadChangeWatch } from './threadChanges';
import type { ImportedCommentRecord } from './importStore';

/** Waits on a condition (the watch reports by callback), never on the clock alone. */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function importedComment(threadId: string, externalId: string): ImportedCommentRecord {
  return {
    externalId,
    threadId,
    parentId: null,
    status: 'visible',
    authorName: 'Importer',
    authorGuestId: null,
    clientId: null,
    body: `imported ${externalId}`,
    createdAt: '2020-01-01T00:00:00.000Z',
    editedAt: null,
    locked: false,
    pinned: false,
    heldReason: null,
  };
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function database(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  cleanups.push(() => db.cleanup());
  return db;
}

async function store(db: TestDatabase): Promise<Store> {
  const opened = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  cleanups.push(() => opened.close());
  return opened;
}

function watched(watch: ThreadChangeWatch): ThreadChangeWatch {
  cleanups.push(() => watch.close());
  return watch;
}

describe('changes other processes commit (SQLite)', () => {
  test('data_version moves with another connection’s commit and not with the connection’s own', async () => {
    const db = await database('sqlite');
    const opened: OpenedDatabase = openDatabase(databaseTarget(db));
    const own = createSqlStore(opened);
    cleanups.push(() => own.close());
    await own.migrate();
    const other = await store(db);
    assert.equal(opened.changes.dialect, 'sqlite');
    const version = opened.changes.dialect === 'sqlite' ? opened.changes.dataVersion : () => 0;

    const before = version();
    await own.createThread({ slug: 'own-write', title: 'Own write' });
    assert.equal(version(), before, 'its own commit');
    await other.createThread({ slug: 'other-write', title: 'Other write' });
    assert.notEqual(version(), before, 'another connection’s commit');
  });

  test('the watch reports another connection’s import, without naming threads', async () => {
    const db = await database('sqlite');
    const server = await store(db);
    const importer = await store(db);
    const thread = await server.createThread({ slug: 'watched', title: 'Watched' });
    const reports: (readonly string[] | null)[] = [];
    watched(server.watchThreadChanges({ onChange: (slugs) => reports.push(slugs), pollMs: 10 }));

    await importer.imports.importComments({ source: 'test', comments: [importedComment(thread.id, 'c1')] });
    assert.equal(await until('a report', () => reports[0]), null);
  });
});

describe('changes other processes commit (PostgreSQL)', () => {
  test('an import’s notice names its threads, leaves on commit only, and is heard in its own schema only', async () => {
    const db = await database('postgres');
    const server = await store(db);
    const importer = await store(db);
    const elsewhere = await store(await database('postgres'));
    const [rolledBack, imported] = await Promise.all(['rolled-back', 'imported'].map((slug) => server.createThread({ slug, title: slug })));
    // The same slug in another schema of the same database: another site's thread.
    const foreign = await elsewhere.createThread({ slug: 'imported', title: 'Another site' });
    const reports: (readonly string[] | null)[] = [];
    const watch = watched(server.watchThreadChanges({ onChange: (slugs) => reports.push(slugs) }));
    await listening(process.pid);

    const opened = openDatabase(databaseTarget(db));
    cleanups.push(() => opened.db.destroy());
    await assert.rejects(
      opened.db.transaction().execute(async (trx) => {
        await announceThreadChanges(trx, [rolledBack!.id]);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await elsewhere.imports.importComments({ source: 'test', comments: [importedComment(foreign.id, 'f1')] });
    await importer.imports.importComments({ source: 'test', comments: [importedComment(imported!.id, 'c1'), importedComment(imported!.id, 'c2')] });

    // Notices arrive in commit order: had the others been sent, they would have come first.
    assert.deepEqual(await until('a report', () => reports[0]), ['imported']);
    await watch.close();
  });

  test('imported likes name their thread too, so open pages see the new counts at once', async () => {
    const db = await database('postgres');
    const server = await store(db);
    const importer = await store(db);
    const thread = await server.createThread({ slug: 'liked', title: 'Liked' });
    await importer.imports.importComments({ source: 'test', comments: [importedComment(thread!.id, 'l1')] });
    const opened = openDatabase(databaseTarget(db));
    cleanups.push(() => opened.db.destroy());
    const { id: commentId } = await opened.db.selectFrom('comments').select('id').where('thread_id', '=', thread!.id).executeTakeFirstOrThrow();

    const reports: (readonly string[] | null)[] = [];
    const watch = watched(server.watchThreadChanges({ onChange: (slugs) => reports.push(slugs) }));
    await listening(process.pid);
    const added = await importer.imports.addPersonRows({ kind: 'like', rows: [{ commentId, personId: newId(), createdAt: '2020-01-01T00:00:00.000Z' }] });
    assert.equal(added.added, 1);
    assert.deepEqual(await until('a report', () => reports[0]), ['liked']);
    await watch.close();
  });

  test('a lost listening connection is opened again, and the watch then reports that anything may have changed', async () => {
    const db = await database('postgres');
    const server = await store(db);
    const importer = await store(db);
    const thread = await server.createThread({ slug: `reconnect-${newId().slice(0, 6)}`, title: 'Reconnect' });
    const reports: (readonly string[] | null)[] = [];
    const warnings: string[] = [];
    watched(server.watchThreadChanges({ onChange: (slugs) => reports.push(slugs), log: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m) } }));
    const first = await listening(process.pid);

    const admin = new pg.Client({ connectionString: requirePostgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query('select pg_terminate_backend($1)', [first]);
    await until('the report after reconnecting', () => (reports.includes(null) ? true : undefined));
    const second = await listening(process.pid);
    assert.notEqual(second, first);
    assert.ok(warnings.some((w) => /lost/.test(w)) && warnings.some((w) => /again/.test(w)), warnings.join('\n'));

    await importer.imports.importComments({ source: 'test', comments: [importedComment(thread.id, 'after')] });
    await until('the import’s notice on the new connection', () => (reports.some((r) => r?.[0] === thread.slug) ? true : undefined));
  });
});

/** The backend pid of this process's listening connection, once it has run its LISTEN. */
async function listening(pid: number): Promise<number> {
  const probe = new pg.Client({ connectionString: requirePostgresUrl() });
  await probe.connect();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await probe.query<{ pid: number }>(
        `select pid from pg_stat_activity where application_name = $1 and query like 'LISTEN %' and state = 'idle'`,
        [listenerName(pid)],
      );
      if (rows.length === 1) return rows[0]!.pid;
      if (Date.now() > deadline) throw new Error(`no listening connection of process ${pid}: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await probe.end();
  }
}
