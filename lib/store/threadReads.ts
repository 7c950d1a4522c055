import { sql, type Kysely } from 'kysely';
import type { ThreadWithCount } from '../domain/types';
import { threadFromRow } from './mappers';
import type { Database, ThreadRow } from './schema';
import type { Store } from './store';

export type ThreadReads = Pick<Store, 'countThreads' | 'listThreads' | 'findThreadBySlug' | 'findThreadRowBySlug' | 'findThreadById'>;

export function createThreadReads(db: Kysely<Database>): ThreadReads {
  function withCount(row: ThreadRow & { comment_count: unknown }): ThreadWithCount {
    return { ...threadFromRow(row), commentCount: Number(row.comment_count ?? 0) };
  }

  // The count of visible comments is kept on the thread's row by triggers (migration 0008): reading it
  // costs the same for a 10-comment thread and a 10,000-comment one.
  const threadsWithCounts = () => db.selectFrom('threads').selectAll('threads').select(sql<number>`threads.visible_comment_count`.as('comment_count'));

  return {
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

    async findThreadRowBySlug(slug) {
      const row = await db.selectFrom('threads').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

    async findThreadById(id) {
      const row = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

  };
}
