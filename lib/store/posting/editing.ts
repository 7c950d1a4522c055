import type { ThreadEvent } from '../../domain/events';
import { mentionsToJson } from '../../domain/mentions';
import { commentFromRow, eventToRow } from '../mappers';
import type { OpenedDatabase } from '../openDatabase';
import type { EditCommentRecord, EditCommentResult } from '../store';
import { EDIT_SHAPE, personParams, type PostParams } from './rules';
import { refusalOf, type Judge } from './transaction';

/** Thrown inside an edit's transaction to roll it back, seq included: the text is the comment's already. */
class Unchanged extends Error {}

/**
 * An author's edit, judged as a post is (transaction.ts): the thread's seq
 * first, then every posting rule that concerns an edit (EDIT_SHAPE) in one
 * statement, with whether the edit is held; then the new text and its
 * `comment.updated` event. Under the thread's row lock, as every moderator's
 * change to a comment takes it too, so the comment cannot be removed, held or
 * locked between the judgement and the update.
 */
export function createEditing(opened: OpenedDatabase, judge: Judge): (record: EditCommentRecord) => Promise<EditCommentResult> {
  const { db } = opened;
  return async (record) => {
    const params: PostParams = {
      threadId: record.threadId,
      id: record.commentId,
      authorGuestId: record.authorGuestId,
      body: record.body,
      hold: record.hold,
      refuseIfBannedAt: record.editedAt,
      addressBits: record.addressBits ?? null,
      createdAt: record.editedAt,
      // What only a new comment has.
      parentId: null,
      clientId: null,
      authorName: '',
      // The policy and the trust rules judge new comments only.
      ...personParams({}),
    };
    try {
      return await db.transaction().execute(async (trx) => {
        const judgement = await judge(trx, params, EDIT_SHAPE);
        if (judgement.stoppedBy?.stop === 'unchanged') throw new Unchanged();
        if (judgement.stoppedBy) throw await refusalOf(judgement.stoppedBy, trx, params);
        const { seq, status, held_reason } = judgement.posted;
        // The comment_gone and comment_held rules have just seen it visible, under the lock.
        const row = await trx
          .updateTable('comments')
          .set({ body: record.body, edited_at: record.editedAt, status, held_reason, mentions: mentionsToJson(record.mentions) })
          .where('id', '=', record.commentId)
          .where('thread_id', '=', record.threadId)
          .where('author_guest_id', '=', record.authorGuestId)
          .where('status', '=', 'visible')
          .returningAll()
          .executeTakeFirstOrThrow();
        const comment = commentFromRow(row);
        const event: ThreadEvent = { type: 'comment.updated', comment, threadId: record.threadId, seq: Number(seq), createdAt: record.editedAt };
        await trx.insertInto('thread_events').values(eventToRow(event)).execute();
        return { comment, event };
      });
    } catch (err) {
      if (!(err instanceof Unchanged)) throw err;
      const row = await db.selectFrom('comments').selectAll().where('id', '=', record.commentId).executeTakeFirstOrThrow();
      return { comment: commentFromRow(row), event: null };
    }
  };
}
