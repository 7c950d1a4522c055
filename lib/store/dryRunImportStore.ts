import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createImportStore, type ExportedMapping, type ImportedThreadRecord, type ImportStore } from './importStore';
import { migrationProvider } from './migrations';
import { personRowLookups, type PersonRowLookup } from './peopleTransfer';
import { databaseTarget, type DatabaseTarget } from './openDatabase';
import type { Database } from './schema';
import { makeScratchFolder } from './scratchFolders';

/** Rows per read of the store and per insert into the scratch copy: well under SQLite's bound-parameter limit. */
const CHUNK = 50;

/** What a dry run imports into: the store's rows, read as needed, under writes that go to a scratch copy. */
export interface DryRunTarget {
  readonly dryRun: true;
  imports: ImportStore;
  /** Closes the store and deletes the scratch copy. */
  close(): Promise<void>;
}

/** The store cannot be read as it is (its schema is older than this version's). */
export class DryRunError extends Error {}

/**
 * A dry run (docs/import.md "Dry run"): the same import, the same code, writing to a scratch SQLite
 * file in the system's temp folder (deleted by `close`) instead of the store. The store is opened
 * read-only, never created or migrated: a missing SQLite file or an empty PostgreSQL schema reads as
 * an empty store. Before each write the scratch copy is given the store's rows that write would
 * look at (the thread a slug or id names, the mapped ids, the parents, the accounts…), so the
 * scratch copy answers as the store would and the counts are the ones a real import would give now.
 * It holds only what the import touches, on disk, so memory stays bounded as in a real import.
 */
export async function openDryRun(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<DryRunTarget> {
  const real = await openReadOnly(databaseTarget(options));
  // A dry run killed outright leaves its folder: the next one deletes it (scratchFolders.ts).
  const dir = makeScratchFolder('threadline-dry-run-');
  const scratch = await openScratch(path.join(dir, 'scratch.sqlite')).catch(async (err: unknown) => {
    await real?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const writes = createImportStore(scratch, () => new Date().toISOString());
  const copy = copier(real, scratch);

  const imports: ImportStore = {
    ...writes,
    async findMapped(request) {
      await copy.mappings(request.source, request.kind, request.externalIds);
      return writes.findMapped(request);
    },
    async ensureThread(record) {
      await copy.threadsFor(record);
      return writes.ensureThread(record);
    },
    async importComments(request) {
      await copy.mappings(request.source, 'comment', request.comments.map((c) => c.externalId));
      await copy.rows('comments', 'id', request.comments.flatMap((c) => [...(c.id ? [c.id] : []), ...(c.parentId ? [c.parentId] : [])]));
      return writes.importComments(request);
    },
    async setAnswers(answers) {
      await copy.rows('threads', 'id', answers.map((a) => a.threadId));
      await copy.rows('comments', 'id', answers.flatMap((a) => [a.questionId, a.answerId]));
      return writes.setAnswers(answers);
    },
    async addBans(bans) {
      await copy.rows('bans', 'id', bans.map((b) => b.id));
      return writes.addBans(bans);
    },
    async addBannedWords(words) {
      await copy.rows('banned_words', 'word', words);
      return writes.addBannedWords(words);
    },
    async addUsers(users) {
      await copy.rows('users', 'username', users.map((u) => u.username));
      return writes.addUsers(users);
    },
    async addPersonRows(request) {
      for (const lookup of personRowLookups(request.kind, request.rows)) await copy.lookup(lookup);
      return writes.addPersonRows(request);
    },
    async addMappings(mappings) {
      const bySource = new Map<string, ExportedMapping[]>();
      for (const m of mappings) {
        const key = JSON.stringify([m.source, m.kind]);
        bySource.set(key, [...(bySource.get(key) ?? []), m]);
      }
      for (const group of bySource.values()) await copy.mappings(group[0]!.source, group[0]!.kind, group.map((m) => m.externalId));
      return writes.addMappings(mappings);
    },
  };

  return {
    dryRun: true,
    imports,
    async close() {
      await scratch.destroy();
      await real?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An empty SQLite database with this version's schema, to be thrown away. */
async function openScratch(file: string): Promise<Kysely<Database>> {
  const sqlite = new SQLite(file);
  // Thrown away at the end: no durability wanted; a rolled-back batch still rolls back.
  sqlite.pragma('journal_mode = MEMORY');
  sqlite.pragma('synchronous = OFF');
  // Rows are copied in one by one (a comment before its thread, say): references are the store's business.
  sqlite.pragma('foreign_keys = OFF');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/**
 * The store, read-only, or null when there is none yet. A store whose schema is behind this
 * version's is refused: its rows would not fit the scratch copy, and migrating it is a write.
 */
async function openReadOnly(target: DatabaseTarget): Promise<Kysely<Database> | null> {
  let db: Kysely<Database>;
  if (target.kind === 'sqlite') {
    if (!fs.existsSync(target.file)) return null;
    const file = new SQLite(target.file, { readonly: true, fileMustExist: true });
    file.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 2, connectionTimeoutMillis: 3000, query_timeout: 15_000 });
    pool.on('error', () => {});
    // Every transaction on these connections is read-only: PostgreSQL itself refuses a write.
    pool.on('connect', (client) => {
      client.on('error', () => {});
      client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY').catch(() => {});
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  try {
    const schema = target.kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
    const migrations = await new Migrator({ db, provider: migrationProvider, ...(schema && { migrationTableSchema: schema }) }).getMigrations();
    const pending = migrations.filter((m) => !m.executedAt);
    if (pending.length === migrations.length) {
      await db.destroy();
      return null;
    }
    if (pending.length > 0) {
      throw new DryRunError(
        `the store's schema is ${pending.length} migration(s) behind this version (from ${pending[0]!.name}): a dry run reads the store as it is and cannot bring it up to date. ` +
          'Start this version of the server once (it migrates the store), then run the dry run again.',
      );
    }
    return db;
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/** Copies the store's rows into the scratch copy before a write looks at them; rows already there are left as the run changed them. */
function copier(real: Kysely<Database> | null, scratch: Kysely<Database>) {
  // Table and column names vary here, which Kysely's types cannot follow: the rows are copied as they are.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const from = real as Kysely<any> | null;
  const into = scratch as Kysely<any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */

  async function insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await into
        .insertInto(table)
        .values(rows.slice(i, i + CHUNK).map(sqliteRow))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  /** The store's rows of `table` whose `column` is one of `values`. */
  async function rows(table: keyof Database, column: string, values: readonly string[]): Promise<void> {
    if (!from) return;
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      await insert(table, await from.selectFrom(table).selectAll().where(column, 'in', unique.slice(i, i + CHUNK)).execute());
    }
  }

  async function mappings(source: string, kind: string, externalIds: readonly string[]): Promise<void> {
    if (!from) return;
    const unique = [...new Set(externalIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await from
        .selectFrom('import_sources')
        .selectAll()
        .where('source', '=', source)
        .where('kind', '=', kind)
        .where('external_id', 'in', unique.slice(i, i + CHUNK))
        .execute();
      await insert('import_sources', rows);
    }
  }

  /** Every thread `ensureThread` may look at for this record: by mapping, id, origin, and slug (the same or taken by a numbered one). */
  async function threadsFor(record: ImportedThreadRecord): Promise<void> {
    if (!from) return;
    await mappings(record.source, 'thread', [record.externalId]);
    const mapped = await from
      .selectFrom('import_sources')
      .select('target_id')
      .where('source', '=', record.source)
      .where('kind', '=', 'thread')
      .where('external_id', '=', record.externalId)
      .execute();
    await rows('threads', 'id', [...mapped.map((m: { target_id: string }) => m.target_id), ...(record.id ? [record.id] : [])]);
    const bySlugOrOrigin = await from
      .selectFrom('threads')
      .selectAll()
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      .where((eb: any) => {
        const named = [eb('slug', '=', record.slug), eb('slug', 'like', `${record.slug}-%`)];
        return eb.or(record.threadSource === null ? named : [...named, eb('source', '=', record.threadSource)]);
      })
      .execute();
    await insert('threads', bySlugOrOrigin);
  }

  /** The rows a person row's add looks at (lib/store/peopleTransfer.ts personRowLookups), and those they name. */
  async function lookup(l: PersonRowLookup): Promise<void> {
    if (!from) return;
    const unique = [...new Set(l.values)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const found = await from.selectFrom(l.table).selectAll().where(l.column, 'in', unique.slice(i, i + CHUNK)).execute();
      await insert(l.table, found);
      if (l.then) await rows(l.then.table, l.then.by, found.map((r: Record<string, unknown>) => String(r[l.then!.column])));
    }
  }

  return { rows, mappings, threadsFor, lookup };
}

/** A row read from either engine as SQLite binds it: flags as 0/1, times as text. */
function sqliteRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'boolean') out[key] = value ? 1 : 0;
    else if (value instanceof Date) out[key] = value.toISOString();
    else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) out[key] = JSON.stringify(value);
    else out[key] = value;
  }
  return out;
}
