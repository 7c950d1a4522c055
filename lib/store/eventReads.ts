import type { Kysely } from 'kysely';
import { commentFromRow, eventFromRow } from './mappers';
import type { CommentRow, Database } from './schema';
import type { EventsAfterRequest, Store } from './store';

const DEFAULT_EVENTS_LIMIT = 1000;

/** What catch-up reads: a thread's events after a seq, each comment event with its comment as it is now. */
export type EventReads = Pick<Store, 'eventsAfter' | 'latestEventAt'>;

export function createEventReads(db: Kysely<Database>): EventReads {
  return {
    async latestEventAt({ threadId }) {
      const row = await db.selectFrom('thread_events').select('created_at').where('thread_id', '=', threadId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row?.created_at ?? null;
    },

    async eventsAfter({ threadId, afterSeq, limit = DEFAULT_EVENTS_LIMIT }: EventsAfterRequest) {
      const rows = await db
        .selectFrom('thread_events as e')
        .leftJoin('comments as c', 'c.id', 'e.comment_id')
        .selectAll('e')
        .select([
          'c.id as c_id',
          'c.thread_id as c_thread_id',
          'c.parent_id as c_parent_id',
          'c.depth as c_depth',
          'c.root_id as c_root_id',
          'c.status as c_status',
          'c.author_name as c_author_name',
          'c.author_guest_id as c_author_guest_id',
          'c.client_id as c_client_id',
          'c.body as c_body',
          'c.created_at as c_created_at',
          'c.edited_at as c_edited_at',
          'c.seq as c_seq',
          'c.locked as c_locked',
          'c.pinned as c_pinned',
          'c.held_reason as c_held_reason',
          'c.likes as c_likes',
          'c.mentions as c_mentions',
          'c.pick_note as c_pick_note',
          'c.picked_at as c_picked_at',
          'c.answer_id as c_answer_id',
        ])
        .where('e.thread_id', '=', threadId)
        .where('e.seq', '>', afterSeq)
        .orderBy('e.seq')
        .limit(limit)
        .execute();
      return rows.map((row) => {
        const comment = row.c_id === null ? undefined : commentFromRow(unprefix(row) as unknown as CommentRow);
        return eventFromRow(row, comment);
      });
    },

  };
}

/** The `c_`-prefixed comment columns of a joined event row, as a comment row. */
function unprefix(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('c_')) out[key.slice(2)] = value;
  return out;
}
