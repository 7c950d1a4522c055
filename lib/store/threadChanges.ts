import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import { STDERR_LOG, warnTo, type ErrorLog } from '../domain/errorLog';
import type { Database } from './schema';

/**
 * Changes to threads that another process commits (`npm run import` into a live thread) reach a
 * server's readers through no event bus: this is how the server hears of them at once rather than at
 * its next seq heartbeat (docs/decisions.md, "Changes made by another process").
 *
 * - SQLite: `PRAGMA data_version` on the server's own connection changes only when another connection
 *   commits. Polling it costs one read of the WAL index; it cannot say which thread changed.
 * - PostgreSQL: imports `pg_notify` the slugs of the threads they wrote, inside their transaction (so
 *   the notice leaves on commit, never for a rollback), and each node LISTENs on a connection of its own.
 */

/** One channel for every Threadline schema of a database: a notice names its schema, and a listener keeps its own. */
export const THREAD_CHANGES_CHANNEL = 'threadline_thread_changes';

/** Slugs of threads that changed, or null when the engine cannot tell which (look at every thread). */
export type ThreadsChanged = (slugs: readonly string[] | null) => void;

export interface ThreadChangeWatch {
  /** Stops polling or listening; resolves once the listening connection is closed. */
  close(): Promise<void>;
}

export interface WatchThreadChangesOptions {
  onChange: ThreadsChanged;
  /** SQLite: how often `data_version` is read; unset: DATA_VERSION_POLL_MS. */
  pollMs?: number;
  /** A listening connection that failed, and its reconnections; unset: standard error. */
  log?: ErrorLog;
}

/** What the watch needs of an opened database: SQLite's data version, or PostgreSQL's connection string. */
export type ChangeSource = { dialect: 'sqlite'; dataVersion: () => number } | { dialect: 'postgres'; connectionString: string };

/** Often enough that a reader sees an imported comment within a blink; one read of shared memory each. */
export const DATA_VERSION_POLL_MS = 250;
/** Rows per statement: the slugs of a batch's threads, read back in one query. */
const CHUNK = 200;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
/** A notice's payload is at most 8000 bytes; a slug is far shorter. */
const PAYLOAD = sql`json_build_object('schema', current_schema(), 'slug', slug)::text`;

/**
 * Within an import's transaction on PostgreSQL: tells every listening node that these threads changed.
 * PostgreSQL sends the notices when the transaction commits, folds repeats within it into one, and
 * drops them on rollback.
 */
export async function announceThreadChanges(trx: Transaction<Database>, threadIds: readonly string[]): Promise<void> {
  const ids = [...new Set(threadIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await sql`select pg_notify(${THREAD_CHANGES_CHANNEL}, ${PAYLOAD}) from threads where id in (${sql.join(chunk)})`.execute(trx);
  }
}

export function watchThreadChanges(source: ChangeSource, options: WatchThreadChangesOptions): ThreadChangeWatch {
  return source.dialect === 'sqlite' ? pollDataVersion(source.dataVersion, options) : listenForNotices(source.connectionString, options);
}

function pollDataVersion(dataVersion: () => number, options: WatchThreadChangesOptions): ThreadChangeWatch {
  const log = options.log ?? STDERR_LOG;
  let seen: number | undefined;
  let failing = false;
  const poll = () => {
    try {
      const version = dataVersion();
      if (seen !== undefined && version !== seen) options.onChange(null);
      seen = version;
      failing = false;
    } catch (err) {
      // A database closed under the watch, say: said once, not four times a second.
      if (!failing) log.error('could not read SQLite’s data_version (changes by other processes reach readers at the next seq heartbeat)', err);
      failing = true;
    }
  };
  // The starting point: a commit between now and the first tick is a change.
  poll();
  const timer = setInterval(poll, options.pollMs ?? DATA_VERSION_POLL_MS);
  // Never what keeps a process alive.
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
    },
  };
}

/** A notice as `announceThreadChanges` writes it; anything else on the channel is ignored. */
function parseNotice(payload: string | undefined): { schema: string; slug: string } | undefined {
  try {
    const value = JSON.parse(payload ?? '') as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { schema, slug } = value as Record<string, unknown>;
    return typeof schema === 'string' && typeof slug === 'string' ? { schema, slug } : undefined;
  } catch {
    return undefined;
  }
}

/** How the listening connection shows in `pg_stat_activity`: one per server process. */
export function listenerName(pid = process.pid): string {
  return `threadline listener ${pid}`;
}

/**
 * A connection of its own that LISTENs (not one of the pool's: a pooled connection is lent out and
 * returned, and a listener must stay). Lost, it is opened again with backoff, and `onChange(null)`
 * then stands for whatever was announced while nobody listened.
 */
function listenForNotices(connectionString: string, options: WatchThreadChangesOptions): ThreadChangeWatch {
  const log = options.log ?? STDERR_LOG;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  let failures = 0;
  let listenedBefore = false;

  const scheduleReconnect = () => {
    if (closed || retry) return;
    const delay = Math.min(RECONNECT_MIN_MS * 2 ** failures, RECONNECT_MAX_MS);
    failures += 1;
    retry = setTimeout(() => {
      retry = undefined;
      connecting = connect();
    }, delay);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString, keepAlive: true, connectionTimeoutMillis: 3000, application_name: listenerName() });
    // 'end' follows every failure of the connection; the error itself is logged once, below.
    c.on('error', () => {});
    c.on('end', () => {
      if (client !== c) return;
      client = undefined;
      if (closed) return;
      warnTo(log, 'the connection listening for imports was lost; reconnecting (meanwhile readers learn of imports at the seq heartbeat)');
      scheduleReconnect();
    });
    try {
      await c.connect();
      const schema = (await c.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema;
      c.on('notification', (message) => {
        const notice = message.channel === THREAD_CHANGES_CHANNEL ? parseNotice(message.payload) : undefined;
        if (notice && notice.schema === schema) options.onChange([notice.slug]);
      });
      await c.query(`LISTEN ${THREAD_CHANGES_CHANNEL}`);
    } catch (err) {
      if (failures === 0) log.error('could not listen for imports on PostgreSQL (readers learn of them at the seq heartbeat); retrying', err);
      // Not awaited: whatever state the failure left the client in, the next attempt is scheduled.
      void c.end().catch(() => {});
      scheduleReconnect();
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    failures = 0;
    if (listenedBefore) {
      warnTo(log, 'listening for imports again');
      // Whatever was announced while nobody listened.
      options.onChange(null);
    }
    listenedBefore = true;
  }

  let connecting = connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await connecting;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
