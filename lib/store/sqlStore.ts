import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { ThreadEvent, ThreadEventData } from '../domain/events';
import { newId } from '../domain/ids';
import { uniqueSlug } from '../domain/slug';
import type { Comment, Thread, ThreadWithCount } from '../domain/types';
import { commentFromRow, commentToRow, eventFromRow, eventToRow, threadFromRow, threadToRow } from './mappers';
import { migrationProvider } from './migrations';
import type { OpenedDatabase } from './openDatabase';
import type { Database, ThreadRow } from './schema';
import type { CreateThreadRequest, EventsAfterRequest, ImportThreadRequest, ImportThreadResult, Store } from './store';

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;
const DEFAULT_EVENTS_LIMIT = 1000;

export interface SqlStoreOptions {
  /** The clock, replaceable in tests. */
  now?: () => Date;
}

export function createSqlStore(opened: OpenedDatabase, options: SqlStoreOptions = {}): Store {
  const { db, dialect } = opened;
  const now = () => (options.now ?? (() => new Date()))().toISOString();

  const visibleCounts = db
    .selectFrom('comments')
    .select(['thread_id', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'visible')
    .groupBy('thread_id');

  function withCount(row: ThreadRow & { comment_count: unknown }): ThreadWithCount {
    return { ...threadFromRow(row), commentCount: Number(row.comment_count ?? 0) };
  }

  const threadsWithCounts = () =>
    db
      .selectFrom('threads')
      .leftJoin(visibleCounts.as('vc'), 'vc.thread_id', 'threads.id')
      .selectAll('threads')
      .select(sql<number>`coalesce(vc.n, 0)`.as('comment_count'));

  return {
    dialect,

    async migrate() {
      const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) {
        throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },

    async close() {
      await db.destroy();
    },

    async countThreads() {
      const row = await db.selectFrom('threads').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listThreads() {
      const rows = await threadsWithCounts().orderBy('threads.created_at', 'desc').orderBy('threads.slug').execute();
      return rows.map(withCount);
    },

    async findThreadBySlug(slug) {
      const row = await threadsWithCounts().where('threads.slug', '=', slug).executeTakeFirst();
      return row ? withCount(row) : undefined;
    },

    async listComments({ threadId }) {
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).orderBy('seq').execute();
      return rows.map(commentFromRow);
    },

    async findComment({ threadId, id }) {
      const row = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('id', '=', id).executeTakeFirst();
      return row ? commentFromRow(row) : undefined;
    },

    async eventsAfter({ threadId, afterSeq, limit = DEFAULT_EVENTS_LIMIT }: EventsAfterRequest) {
      const rows = await db
        .selectFrom('thread_events')
        .selectAll()
        .where('thread_id', '=', threadId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(eventFromRow);
    },

    async createThread(request: CreateThreadRequest) {
      return db.transaction().execute(async (trx) => {
        const thread = await insertThread(trx, {
          id: newId(),
          slug: request.slug,
          title: request.title,
          article: request.article ?? '',
          locked: request.locked ?? false,
          seq: 0,
          source: null,
          createdAt: now(),
        });
        const [event] = await appendEvents(trx, thread.id, [
          { type: 'thread.created', thread: { slug: thread.slug, title: thread.title, locked: thread.locked } },
        ]);
        return { ...thread, seq: event!.seq };
      });
    },

    async importThread(request: ImportThreadRequest): Promise<ImportThreadResult> {
      for (let attempt = 1; ; attempt++) {
        const existing = await findBySource(db, request.source);
        if (existing) return { thread: existing, created: false };
        try {
          return await db.transaction().execute((trx) => importInTransaction(trx, request));
        } catch (err) {
          // Another node took the same source or slug between our check and our insert: look again.
          if (!isUniqueViolation(err) || attempt >= 5) throw err;
        }
      }
    },
  };

  async function importInTransaction(trx: Transaction<Database>, request: ImportThreadRequest): Promise<ImportThreadResult> {
    const createdAt = now();
    const slug = await freeSlug(trx, request.slug);
    const thread = await insertThread(trx, {
      id: newId(),
      slug,
      title: request.title,
      article: request.article,
      locked: false,
      seq: 0,
      source: request.source,
      createdAt,
    });

    const idByKey = new Map<number, string>();
    const comments: Comment[] = [];
    for (const c of request.comments) {
      const parentId = c.parentKey === null ? null : idByKey.get(c.parentKey);
      if (parentId === undefined) throw new Error(`import ${request.source}: comment ${c.key} comes before its parent ${String(c.parentKey)}`);
      const id = newId();
      idByKey.set(c.key, id);
      // seq is filled in by appendEvents below, in the same order.
      comments.push({ id, threadId: thread.id, parentId, depth: c.depth, status: c.status, authorName: c.authorName, body: c.body, createdAt: c.createdAt, seq: 0 });
    }

    const events: ThreadEventData[] = [
      { type: 'thread.created', thread: { slug, title: thread.title, locked: false } },
      ...comments.map((comment) => ({ type: 'comment.created' as const, comment })),
    ];
    if (request.locked) events.push({ type: 'thread.updated', thread: { locked: true } });

    const beforeFirst = await allocateSeqs(trx, thread.id, events.length);
    // events[0] is thread.created; each comment's seq is that of its comment.created event.
    comments.forEach((comment, i) => (comment.seq = beforeFirst + 2 + i));
    for (let i = 0; i < comments.length; i += INSERT_CHUNK) {
      await trx.insertInto('comments').values(comments.slice(i, i + INSERT_CHUNK).map(commentToRow)).execute();
    }
    const stored = await insertEvents(trx, thread.id, beforeFirst, events, createdAt);
    if (request.locked) await trx.updateTable('threads').set({ locked: 1 }).where('id', '=', thread.id).execute();
    return { thread: { ...thread, locked: request.locked, seq: stored.at(-1)!.seq }, created: true };
  }

  async function insertThread(trx: Transaction<Database>, thread: Thread): Promise<Thread> {
    await trx.insertInto('threads').values(threadToRow(thread)).execute();
    return thread;
  }

  async function freeSlug(trx: Transaction<Database>, base: string): Promise<string> {
    const rows = await trx
      .selectFrom('threads')
      .select('slug')
      .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
      .execute();
    const taken = new Set(rows.map((r) => r.slug));
    return uniqueSlug(base, (s) => taken.has(s));
  }

  /**
   * Takes the thread's next `count` sequence numbers and returns the one before
   * the first. On PostgreSQL the UPDATE locks the thread's row until commit, so
   * writers to one thread are serialized and seqs commit in order.
   */
  async function allocateSeqs(trx: Transaction<Database>, threadId: string, count: number): Promise<number> {
    const row = await trx
      .updateTable('threads')
      .set((eb) => ({ seq: eb('seq', '+', count) }))
      .where('id', '=', threadId)
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(row.seq) - count;
  }

  async function insertEvents(trx: Transaction<Database>, threadId: string, beforeFirst: number, events: ThreadEventData[], createdAt: string): Promise<ThreadEvent[]> {
    const stored = events.map((data, i) => ({ ...data, threadId, seq: beforeFirst + 1 + i, createdAt }) as ThreadEvent);
    for (let i = 0; i < stored.length; i += INSERT_CHUNK) {
      await trx.insertInto('thread_events').values(stored.slice(i, i + INSERT_CHUNK).map(eventToRow)).execute();
    }
    return stored;
  }

  async function appendEvents(trx: Transaction<Database>, threadId: string, events: ThreadEventData[]): Promise<ThreadEvent[]> {
    const beforeFirst = await allocateSeqs(trx, threadId, events.length);
    return insertEvents(trx, threadId, beforeFirst, events, now());
  }
}

async function findBySource(db: Kysely<Database>, source: string): Promise<Thread | undefined> {
  const row = await db.selectFrom('threads').selectAll().where('source', '=', source).executeTakeFirst();
  return row ? threadFromRow(row) : undefined;
}

/** PostgreSQL's unique_violation, or SQLite's UNIQUE constraint failure. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
