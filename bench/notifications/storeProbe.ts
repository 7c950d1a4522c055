/**
 * What the bench reads of the store while a server runs on it, with a connection of its own (a
 * read-only SQLite handle, or one PostgreSQL client): the round's notices and the mail waiting to go.
 * Reading the rows, not asking the server, keeps the wait's polling off the server's CPU.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE_NAME } from '../../lib/store';
import type { StoreLocation } from './seed';

export interface StoreProbe {
  /** Notices made about comments of the thread. */
  notices(slug: string): Promise<number>;
  /** Of those, the ones not yet mailed nor passed over for mail (`mailed_at` unset). */
  unmailed(slug: string): Promise<number>;
  /** The addresses of the people told about the thread, each once. */
  recipients(slug: string): Promise<string[]>;
  /** Mails in the outbox still to send (pending), and dead ones. */
  outbox(): Promise<{ pending: number; dead: number }>;
  close(): Promise<void>;
}

const OF_THREAD = 'FROM notifications n JOIN threads t ON t.id = n.thread_id WHERE t.slug = $1';
const QUERIES = {
  notices: `SELECT count(*) AS n ${OF_THREAD}`,
  unmailed: `SELECT count(*) AS n ${OF_THREAD} AND n.mailed_at IS NULL`,
  recipients: `SELECT DISTINCT u.email AS email ${OF_THREAD.replace('WHERE', 'JOIN users u ON u.id = n.recipient_id WHERE')}`,
  outbox: "SELECT state, count(*) AS n FROM mail_outbox WHERE state IN ('pending', 'dead') GROUP BY state",
};

type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

function probeOver(query: Query, close: () => Promise<void>): StoreProbe {
  const count = async (text: string, slug: string) => Number((await query(text, [slug]))[0]?.n ?? 0);
  return {
    notices: (slug) => count(QUERIES.notices, slug),
    unmailed: (slug) => count(QUERIES.unmailed, slug),
    recipients: async (slug) => (await query(QUERIES.recipients, [slug])).map((r) => String(r.email)),
    async outbox() {
      const rows = await query(QUERIES.outbox, []);
      const of = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
      return { pending: of('pending'), dead: of('dead') };
    },
    close,
  };
}

export async function openStoreProbe(where: StoreLocation): Promise<StoreProbe> {
  if (where.databaseUrl) {
    const client = new pg.Client({ connectionString: where.databaseUrl });
    await client.connect();
    return probeOver(async (text, params) => (await client.query(text, params)).rows as Record<string, unknown>[], () => client.end());
  }
  const db = new SQLite(path.join(where.dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  const statements = new Map<string, SQLite.Statement>();
  return probeOver(
    async (text, params) => {
      const sqliteText = text.replace(/\$\d+/g, '?');
      let statement = statements.get(sqliteText);
      if (!statement) statements.set(sqliteText, (statement = db.prepare(sqliteText)));
      return statement.all(...params) as Record<string, unknown>[];
    },
    async () => void db.close(),
  );
}
