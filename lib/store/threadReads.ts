import { sql, type Kysely } from 'kysely';
import type { ThreadWithCount } from '../domain/types';
import { threadFromRow } from './mappers';
import type { Database, ThreadRow } from './schema';
import type { ListThreadsRequest, Store } from './store';

export type ThreadReads = Pick<Store, 'countThreads' | 'listThreads' | 'findThreadBySlug' | 'findThreadRowBySlug' | 'findThreadById' | 'findImportedThreadByArticleUrl' | 'readCommentCounts'>;

/** The most spellings of one address looked up at once (server/embed/articleAddress.ts makes at most 32). */
const MAX_ARTICLE_URLS = 32;

/** Slugs read per statement by readCommentCounts. */
const COUNT_CHUNK = 500;

/** A page of threads when the caller names no size. */
const DEFAULT_LIST_LIMIT = 100;

// The count of visible comments is kept on the thread's row by triggers (migration 0008): reading it
// costs the same for a 10-comment thread and a 10,000-comment one.
const threadsWithCounts = (db: Kysely<Database>) => db.selectFrom('threads').selectAll('threads').select(sql<number>`threads.visible_comment_count`.as('comment_count'));

/** The query of a page of a thread list, unexecuted (the store test reads its plan). */
export function threadListQuery(db: Kysely<Database>, { after, limit, which = 'listed' }: ListThreadsRequest) {
  let query = threadsWithCounts(db);
  // The public list binds hidden = 0: the equality column of threads_listed (hidden, created_at, id), so a
  // page is one seek into that index; the admins' list walks threads_created (created_at, id) (migration 0013).
  if (which === 'listed') query = query.where('threads.hidden', '=', 0);
  // A row-value comparison: one range on the index in both engines (an OR of two conditions is not, in PostgreSQL).
  if (after) query = query.where((eb) => eb(eb.refTuple('threads.created_at', 'threads.id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('threads.created_at', 'desc').orderBy('threads.id', 'desc').limit(limit);
}

export function createThreadReads(db: Kysely<Database>): ThreadReads {
  function withCount(row: ThreadRow & { comment_count: unknown }): ThreadWithCount {
    return { ...threadFromRow(row), commentCount: Number(row.comment_count ?? 0) };
  }

  return {
    async countThreads() {
      const row = await db.selectFrom('threads').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listThreads(request = { limit: DEFAULT_LIST_LIMIT }) {
      return (await threadListQuery(db, request).execute()).map(withCount);
    },

    async findThreadBySlug(slug) {
      const row = await threadsWithCounts(db).where('threads.slug', '=', slug).executeTakeFirst();
      return row ? withCount(row) : undefined;
    },

    async findThreadRowBySlug(slug) {
      const row = await db.selectFrom('threads').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

    async findThreadById(id) {
      const row = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

    async findImportedThreadByArticleUrl(urls) {
      if (urls.length === 0) return undefined;
      // One seek per address into threads_article_url (migration 0028); a handful of rows at most.
      const rows = await db
        .selectFrom('threads')
        .selectAll()
        .where('article_url', 'in', urls.slice(0, MAX_ARTICLE_URLS))
        .where('hidden', '=', 0)
        .where('source', 'is not', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      for (const url of urls) {
        const row = rows.find((r) => r.article_url === url);
        if (row) return threadFromRow(row);
      }
      return undefined;
    },

    async readCommentCounts(slugs) {
      const counts = new Map<string, number>();
      // Chunks keep each statement's parameters well under SQLite's and PostgreSQL's limits; every slug is one seek into threads' unique slug index.
      for (let i = 0; i < slugs.length; i += COUNT_CHUNK) {
        const rows = await db
          .selectFrom('threads')
          .select(['slug', sql<number>`visible_comment_count`.as('n')])
          .where('slug', 'in', slugs.slice(i, i + COUNT_CHUNK))
          .where('hidden', '=', 0)
          .execute();
        for (const row of rows) counts.set(row.slug, Number(row.n ?? 0));
      }
      return counts;
    },
  };
}
