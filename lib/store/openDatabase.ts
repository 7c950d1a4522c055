import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { STDERR_LOG, type ErrorLog } from '../domain/errorLog';
import type { Database } from './schema';
import { nameStatements } from './pgNamedStatements';
import { cachingSqlite } from './statementCache';
import { createPrivate, ensurePrivateDir, keepPrivate } from './privateFiles';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWalCheckpointer, type WalCheckpointer } from './walCheckpointer';
import type { ChangeSource } from './threadChanges';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

export interface OpenedDatabase {
  dialect: DatabaseTarget['kind'];
  db: Kysely<Database>;
  /** SQLite only: the worker that checkpoints the WAL off the event loop. */
  checkpointer?: () => WalCheckpointer | undefined;
  /** How a server hears of changes other processes commit (threadChanges.ts). */
  changes: ChangeSource;
}

export const SQLITE_FILE_NAME = 'threadline.sqlite';
/** The files SQLite keeps beside the database. */
const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/** The embedded default lives in DATA_DIR; DATABASE_URL switches to PostgreSQL. */
export function databaseTarget(options: { databaseUrl?: string | undefined; dataDir: string }): DatabaseTarget {
  return options.databaseUrl
    ? { kind: 'postgres', url: options.databaseUrl }
    : { kind: 'sqlite', file: path.join(options.dataDir, SQLITE_FILE_NAME) };
}

export function openDatabase(target: DatabaseTarget, options: { log?: ErrorLog } = {}): OpenedDatabase {
  if (target.kind === 'sqlite') {
    // Password hashes and guest ids: the folder and every file of the database are the owner's alone (privateFiles.ts).
    ensurePrivateDir(path.dirname(target.file), options.log);
    createPrivate(target.file);
    const sqlite = new SQLite(target.file);
    // WAL lets readers go on while a write commits; NORMAL sync is durable across process crashes in WAL mode.
    sqlite.pragma('journal_mode = WAL');
    // SQLite makes its -wal and -shm files with the database file's mode; ones an earlier version left are tightened.
    for (const suffix of SQLITE_SIDE_FILES) keepPrivate(`${target.file}${suffix}`);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Checkpoints run in a worker thread, not inside a request's COMMIT (walCheckpointer.ts).
    sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    // Started with the first query: Kysely connects lazily, and closes only a database it connected.
    let checkpointer: WalCheckpointer | undefined;
    // Each SQL text is prepared once, not on every query (statementCache.ts).
    const cached = cachingSqlite(sqlite);
    let dataVersion: SQLite.Statement | undefined;
    const database = {
      prepare(text: string) {
        checkpointer ??= startWalCheckpointer({ file: target.file });
        return cached.prepare(text);
      },
      close() {
        checkpointer?.stop();
        cached.close();
      },
    };
    return {
      dialect: 'sqlite',
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
      checkpointer: () => checkpointer,
      // On this connection: it changes only when another connection commits. Prepared once (a third of the cost).
      changes: { dialect: 'sqlite', dataVersion: () => (dataVersion ??= sqlite.prepare('PRAGMA data_version').pluck()).get() as number },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // A database that is down or unreachable must fail a request in seconds (503 `unavailable`), not hang it:
    // a connection (or a free pool slot) is awaited at most this long…
    connectionTimeoutMillis: 3000,
    // …a query's answer at most this long (client side, so it also covers a frozen server or a silent network);
    // generous, because migrations run through this pool too.
    query_timeout: 15_000,
    // Dead peers behind a NAT or a firewall are noticed instead of waited on forever.
    keepAlive: true,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
  const log = options.log ?? STDERR_LOG;
  pool.on('error', (err) => log.error('idle PostgreSQL connection failed', err));
  // A checked-out client is not covered by that listener, and pg emits 'error' on it too when its connection
  // drops (a database restart ends it right after failing its query): unheard, that kills the process. The
  // query already failed with the error (a 503), and the next one on a broken client fails the same way.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // The post's statement is prepared once per connection (pgNamedStatements.ts).
    nameStatements(client);
  });
  return { dialect: 'postgres', db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), changes: { dialect: 'postgres', connectionString: target.url } };
}
