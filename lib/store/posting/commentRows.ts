import type { Kysely, Transaction } from 'kysely';
import type { ThreadEvent } from '../../domain/events';
import type { Comment } from '../../domain/types';
import { compileOnce } from '../compiledOnce';
import { commentToRow, eventToRow } from '../mappers';
import type { CommentRow, Database, ThreadEventRow } from '../schema';

/** Every column a post writes, in the order of its compiled INSERT; the store suite proves the rows read back whole. */
const COMMENT_COLUMNS: readonly (keyof CommentRow)[] = [
  'id', 'thread_id', 'parent_id', 'depth', 'root_id', 'status', 'author_name', 'author_guest_id',
  'client_id', 'body', 'created_at', 'edited_at', 'seq', 'locked', 'pinned', 'held_reason', 'mentions',
];
const EVENT_COLUMNS: readonly (keyof ThreadEventRow)[] = ['thread_id', 'seq', 'type', 'comment_id', 'payload', 'created_at'];

/**
 * Stores a posted comment with its `comment.created` event: both rows, or
 * neither when the (guest, clientId) pair is already stored (undefined). Each
 * INSERT is built and compiled once (compiledOnce.ts).
 */
export function createCommentRows(db: Kysely<Database>): (trx: Transaction<Database>, comment: Comment, createdAt: string) => Promise<ThreadEvent | undefined> {
  const insertComment = compileOnce<CommentRow>((p) =>
    db
      .insertInto('comments')
      .values(Object.fromEntries(COMMENT_COLUMNS.map((column) => [column, p(column)])) as unknown as CommentRow)
      .onConflict((oc) => oc.columns(['author_guest_id', 'client_id']).doNothing())
      .returning('id'),
  );
  const insertEvent = compileOnce<ThreadEventRow>((p) =>
    db.insertInto('thread_events').values(Object.fromEntries(EVENT_COLUMNS.map((column) => [column, p(column)])) as unknown as ThreadEventRow),
  );
  return async (trx, comment, createdAt) => {
    const inserted = await insertComment.execute(trx, commentToRow(comment));
    if (inserted.rows.length === 0) return undefined;
    const event = createdEvent(comment, createdAt);
    await insertEvent.execute(trx, eventToRow(event));
    return event;
  };
}

/** The event a new comment is stored with. */
export function createdEvent(comment: Comment, createdAt: string): ThreadEvent {
  return { type: 'comment.created', comment, threadId: comment.threadId, seq: comment.seq, createdAt };
}
