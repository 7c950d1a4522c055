/**
 * The posting baseline: a bare `node:http` server that takes a comment, commits
 * it with one prepared INSERT and emits it to the thread's room with bare
 * Socket.IO 4.8. No validation beyond shape, no markdown, no rate limits, no
 * event log: the least a server can do between POST and delivery.
 *
 * Env: PORT (0: any), BENCH_STORE `sqlite` (BENCH_SQLITE_FILE) or `postgres`
 * (BENCH_PG_URL), BENCH_EXIT_WITH_PARENT=1 to exit when stdin closes.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Server } from 'socket.io';
import { answerSubscribes, escapeHtml, exitWithBench, readJson, send, threadRoom } from '../common/baselineHttp';

/** About what Threadline's pool allows, so concurrent commits are not serialised on one connection. */
const PG_POOL_SIZE = 10;

interface CommentRow {
  id: string;
  slug: string;
  seq: number;
  authorName: string | null;
  body: string;
  clientId: string | null;
  createdAt: string;
}

type Insert = (row: CommentRow) => Promise<void>;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS bench_comments (
  id TEXT PRIMARY KEY, thread_slug TEXT NOT NULL, seq INTEGER NOT NULL, author_name TEXT,
  body TEXT NOT NULL, client_id TEXT, created_at TEXT NOT NULL)`;
const INSERT = 'INSERT INTO bench_comments (id, thread_slug, seq, author_name, body, client_id, created_at) VALUES ';

/** better-sqlite3 with Threadline's pragmas (WAL, synchronous NORMAL) and one prepared statement. */
function sqliteInsert(file: string): Insert {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(CREATE_TABLE);
  const statement = db.prepare(`${INSERT}(?, ?, ?, ?, ?, ?, ?)`);
  return async (r) => {
    statement.run(r.id, r.slug, r.seq, r.authorName, r.body, r.clientId, r.createdAt);
  };
}

/** A pg pool and a named statement: parsed once per connection, then only bound and executed. */
async function postgresInsert(url: string): Promise<Insert> {
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE });
  await pool.query(CREATE_TABLE);
  const text = `${INSERT}($1, $2, $3, $4, $5, $6, $7)`;
  return async (r) => {
    await pool.query({ name: 'bench_insert_comment', text, values: [r.id, r.slug, r.seq, r.authorName, r.body, r.clientId, r.createdAt] });
  };
}

async function openInsert(): Promise<Insert> {
  const store = process.env.BENCH_STORE;
  if (store === 'sqlite' && process.env.BENCH_SQLITE_FILE) return sqliteInsert(process.env.BENCH_SQLITE_FILE);
  if (store === 'postgres' && process.env.BENCH_PG_URL) return postgresInsert(process.env.BENCH_PG_URL);
  throw new Error('set BENCH_STORE=sqlite with BENCH_SQLITE_FILE, or BENCH_STORE=postgres with BENCH_PG_URL');
}

async function main(): Promise<void> {
  const insert = await openInsert();
  const seqBySlug = new Map<string, number>();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const input = (await readJson(req).catch(() => null)) as { slug?: unknown; body?: unknown; authorName?: unknown; clientId?: unknown } | null;
    const { slug, body, authorName, clientId } = input ?? {};
    if (typeof slug !== 'string' || typeof body !== 'string' || body.length === 0) {
      send(res, 400, { error: { code: 'invalid_request', message: 'slug and body are required.' } });
      return;
    }
    const seq = (seqBySlug.get(slug) ?? 0) + 1;
    seqBySlug.set(slug, seq);
    const row: CommentRow = {
      id: randomBytes(9).toString('base64url'),
      slug,
      seq,
      authorName: typeof authorName === 'string' ? authorName : null,
      body: body.trim(),
      clientId: typeof clientId === 'string' ? clientId : null,
      createdAt: new Date().toISOString(),
    };
    await insert(row);
    // A wire payload of Threadline's shape and about its size.
    const comment = { id: row.id, parentId: null, depth: 1, rootId: row.id, status: 'visible', author: { name: row.authorName }, body: row.body, html: `<p>${escapeHtml(row.body)}</p>\n`, createdAt: row.createdAt, editedAt: null, seq, locked: false, pinned: false };
    io.to(threadRoom(slug)).emit('thread:event', { slug, seq, type: 'comment.created', comment, ...(row.clientId !== null && { clientId: row.clientId }) });
    send(res, 201, { comment });
  };

  const httpServer = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/comments') {
      send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
      return;
    }
    handle(req, res).catch((err: unknown) => {
      console.error('insert failed:', err instanceof Error ? err.message : err);
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'Something went wrong.' } });
    });
  });
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  answerSubscribes(io, (slug) => seqBySlug.get(slug) ?? 0);

  await new Promise<void>((resolve) => httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  console.log(`listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);

  exitWithBench(() => void io.close());
}

main().catch((err: unknown) => {
  console.error('posting baseline could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
