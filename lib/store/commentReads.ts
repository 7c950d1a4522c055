import { sql, type Kysely, type Transaction } from 'kysely';
import type { Comment } from '../domain/types';
import { commentFromRow } from './mappers';
import type { Database } from './schema';
import type { Store } from './store';

/** Ids per `in (…)` list: well under both engines' bound-parameter limits. */
const IN_CHUNK = 500;

export type CommentReads = Pick<
  Store,
  | 'listComments'
  | 'listTopLevel'
  | 'listBranches'
  | 'countBranches'
  | 'listRecentVisible'
  | 'listPinned'
  | 'findComment'
  | 'findCommentByClientId'
  | 'listOwnComments'
  | 'likedBy'
  | 'likedIn'
  | 'hasReplies'
>;

export function createCommentReads(db: Kysely<Database>): CommentReads {
  return {
    async listComments({ threadId }) {
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).orderBy('seq').execute();
      return rows.map(commentFromRow);
    },

    async listTopLevel({ threadId, order, after, limit }) {
      let query = db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('parent_id', 'is', null);
      if (order === 'top') {
        // Keyset on (likes desc, seq asc): the cursor is the last branch's (likes, seq) when its page was read.
        if (after !== undefined) {
          const likes = after.likes ?? 0;
          query = query.where((eb) => eb.or([eb('likes', '<', likes), eb.and([eb('likes', '=', likes), eb('seq', '>', after.seq)])]));
        }
        query = query.orderBy('likes', 'desc').orderBy('seq', 'asc');
      } else if (order === 'answered-first') {
        // Keyset on (answered desc, seq asc): every answered question, then every open one, each oldest first.
        if (after !== undefined) {
          query = after.answered
            ? query.where((eb) => eb.or([eb('answer_id', 'is', null), eb('seq', '>', after.seq)]))
            : query.where('answer_id', 'is', null).where('seq', '>', after.seq);
        }
        query = query.orderBy(sql`case when answer_id is null then 1 else 0 end`).orderBy('seq', 'asc');
      } else if (order === 'answered' || order === 'unanswered') {
        query = query.where('answer_id', order === 'answered' ? 'is not' : 'is', null);
        if (after !== undefined) query = query.where('seq', '>', after.seq);
        query = query.orderBy('seq', 'asc');
      } else {
        if (after !== undefined) query = query.where('seq', order === 'asc' ? '>' : '<', after.seq);
        query = query.orderBy('seq', order);
      }
      const rows = await query.limit(limit).execute();
      return rows.map(commentFromRow);
    },

    async listBranches({ threadId, rootIds }) {
      if (rootIds.length === 0) return [];
      // Sorted here, not in SQL: with `order by seq`, SQLite's planner walks the thread's whole (thread_id, seq)
      // index to skip a sort, reading every comment of a 10,000-comment thread for one page's branches.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('root_id', 'in', [...rootIds]).execute();
      return rows.map(commentFromRow).sort((a, b) => a.seq - b.seq);
    },

    async countBranches({ threadId, rootIds }) {
      if (rootIds.length === 0) return new Map();
      // Counted in the (thread_id, root_id) index, without reading the rows.
      const rows = await db
        .selectFrom('comments')
        .select(['root_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('thread_id', '=', threadId)
        .where('root_id', 'in', [...rootIds])
        .groupBy('root_id')
        .execute();
      return new Map(rows.map((r) => [r.root_id, Number(r.n)]));
    },

    async listRecentVisible({ threadId, limit }) {
      // Walks the (thread_id, seq) index backwards, skipping what is not shown.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('status', '=', 'visible').orderBy('seq', 'desc').limit(limit).execute();
      return rows.map(commentFromRow);
    },

    async listPinned({ threadId }) {
      // Sorted here, not in SQL, so SQLite seeks comments_thread_pinned rather than walking the thread's seq index.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('pinned', '=', 1).execute();
      return rows.map(commentFromRow).sort((a, b) => a.seq - b.seq);
    },

    async findComment({ threadId, id }) {
      let query = db.selectFrom('comments').selectAll().where('id', '=', id);
      if (threadId !== undefined) query = query.where('thread_id', '=', threadId);
      const row = await query.executeTakeFirst();
      return row ? commentFromRow(row) : undefined;
    },

    async findCommentByClientId({ guestId, clientId }) {
      return findByClientId(db, guestId, clientId);
    },

    async listOwnComments({ threadId, guestId }) {
      // By guest first: the (author_guest_id, client_id) unique index finds a guest's few comments.
      const rows = await db
        .selectFrom('comments')
        .selectAll()
        .where('author_guest_id', '=', guestId)
        .where('thread_id', '=', threadId)
        .where('status', 'in', ['visible', 'pending'])
        .orderBy('seq', 'desc')
        .limit(1000)
        .execute();
      return rows.map(commentFromRow);
    },

    async likedIn({ threadId, guestId }) {
      const rows = await db
        .selectFrom('reactions')
        .innerJoin('comments', 'comments.id', 'reactions.comment_id')
        .select('reactions.comment_id')
        .where('reactions.guest_id', '=', guestId)
        .where('comments.thread_id', '=', threadId)
        .where('comments.status', '=', 'visible')
        .limit(10_000)
        .execute();
      return rows.map((r) => r.comment_id);
    },

    async likedBy({ guestId, commentIds }) {
      const liked = new Set<string>();
      for (let i = 0; i < commentIds.length; i += IN_CHUNK) {
        const rows = await db
          .selectFrom('reactions')
          .select('comment_id')
          .where('guest_id', '=', guestId)
          .where('comment_id', 'in', commentIds.slice(i, i + IN_CHUNK))
          .execute();
        for (const row of rows) liked.add(row.comment_id);
      }
      return liked;
    },

    async hasReplies({ commentId }) {
      const row = await db.selectFrom('comments').select('id').where('parent_id', '=', commentId).limit(1).executeTakeFirst();
      return row !== undefined;
    },

  };
}

export async function findByClientId(db: Kysely<Database> | Transaction<Database>, guestId: string, clientId: string): Promise<Comment | undefined> {
  const row = await db.selectFrom('comments').selectAll().where('author_guest_id', '=', guestId).where('client_id', '=', clientId).executeTakeFirst();
  return row ? commentFromRow(row) : undefined;
}
