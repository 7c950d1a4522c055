import type { Kysely, Transaction } from 'kysely';
import type { ThreadEvent } from '../domain/events';
import { AppError } from '../domain/errors';
import { mentionsToJson } from '../domain/mentions';
import { commentFromRow, eventToRow } from './mappers';
import { changeReports, insertAudit } from './moderationStore';
import type { Database } from './schema';
import type { SetLikeRecord, SetLikeResult, Store, UpdateCommentRecord } from './store';
import { allocateSeqs } from './threadSeqs';

/** Changes to a stored comment: moderators' and authors' updates, and readers' likes. */
export type CommentChanges = Pick<Store, 'updateComment' | 'setLike'>;

export function createCommentChanges(db: Kysely<Database>, now: () => string): CommentChanges {
  return {
    async updateComment({ threadId, commentId, changes, onlyIfStatus, onlyIfAnswerId, audit, reports }: UpdateCommentRecord) {
      return db.transaction().execute(async (trx) => {
        const seq = (await allocateSeqs(trx, threadId, 1)) + 1;
        let update = trx
          .updateTable('comments')
          .set({
            ...(changes.body !== undefined && { body: changes.body }),
            ...(changes.status !== undefined && { status: changes.status }),
            ...(changes.authorName !== undefined && { author_name: changes.authorName }),
            ...(changes.editedAt !== undefined && { edited_at: changes.editedAt }),
            ...(changes.locked !== undefined && { locked: changes.locked ? 1 : 0 }),
            ...(changes.pinned !== undefined && { pinned: changes.pinned ? 1 : 0 }),
            ...(changes.heldReason !== undefined && { held_reason: changes.heldReason }),
            ...(changes.mentions !== undefined && { mentions: mentionsToJson(changes.mentions) }),
            ...(changes.pick !== undefined && { pick_note: changes.pick.note, picked_at: changes.pick.at }),
            ...(changes.answerId !== undefined && { answer_id: changes.answerId }),
          })
          .where('id', '=', commentId)
          .where('thread_id', '=', threadId);
        // A conditional update: of two moderators acting at once, one changes it and the other is told.
        if (onlyIfStatus) update = update.where('status', 'in', onlyIfStatus);
        if (onlyIfAnswerId !== undefined) update = update.where('answer_id', onlyIfAnswerId === null ? 'is' : '=', onlyIfAnswerId);
        const row = await update.returningAll().executeTakeFirst();
        if (!row) {
          const exists = await trx.selectFrom('comments').select('id').where('id', '=', commentId).where('thread_id', '=', threadId).executeTakeFirst();
          throw new AppError(exists ? 'already_handled' : 'comment_not_found');
        }
        const comment = commentFromRow(row);
        const at = now();
        const event: ThreadEvent = { type: 'comment.updated', comment, threadId, seq, createdAt: at };
        await trx.insertInto('thread_events').values(eventToRow(event)).execute();
        if (audit) await insertAudit(trx, { ...audit, threadId, commentId }, at);
        if (reports) await changeReports(trx, commentId, reports, at);
        return { comment, event };
      });
    },

    async setLike(record: SetLikeRecord): Promise<SetLikeResult> {
      try {
        return await db.transaction().execute((trx) => setLikeInTransaction(trx, record));
      } catch (err) {
        if (!(err instanceof NothingChanged)) throw err;
        // Rolled back, seq included: answer with the count as it is.
        const row = await db.selectFrom('comments').select('likes').where('id', '=', record.commentId).executeTakeFirst();
        return { likes: Number(row?.likes ?? 0), event: null };
      }
    },
  };

  /**
   * The thread's row first (its seq), as every other change to a thread takes
   * it: on PostgreSQL likes, posts and moderators' actions on one thread queue
   * on that one lock in one order, so they cannot deadlock, and the count is
   * read and written under it. A like that changes nothing throws
   * `NothingChanged`, which rolls back the seq it took.
   */
  async function setLikeInTransaction(trx: Transaction<Database>, record: SetLikeRecord): Promise<SetLikeResult> {
    const { threadId, commentId, guestId, liked } = record;
    const seq = (await allocateSeqs(trx, threadId, 1)) + 1;
    const comment = await trx.selectFrom('comments').select('status').where('id', '=', commentId).where('thread_id', '=', threadId).executeTakeFirst();
    // A held comment does not exist for anyone but its author and the moderators.
    if (!comment || comment.status === 'pending' || comment.status === 'unavailable') throw new AppError('comment_not_found');
    if (comment.status !== 'visible') throw new AppError('comment_gone');
    const at = now();
    const changed = liked
      ? await trx
          .insertInto('reactions')
          .values({ comment_id: commentId, guest_id: guestId, created_at: at })
          .onConflict((oc) => oc.columns(['comment_id', 'guest_id']).doNothing())
          .returning('comment_id')
          .executeTakeFirst()
      : await trx.deleteFrom('reactions').where('comment_id', '=', commentId).where('guest_id', '=', guestId).returning('comment_id').executeTakeFirst();
    if (!changed) throw new NothingChanged();
    const row = await trx
      .updateTable('comments')
      .set((eb) => ({ likes: eb('likes', liked ? '+' : '-', 1) }))
      .where('id', '=', commentId)
      .returning('likes')
      .executeTakeFirstOrThrow();
    const likes = Number(row.likes);
    const event: ThreadEvent = { type: 'comment.liked', commentId, likes, threadId, seq, createdAt: at };
    await trx.insertInto('thread_events').values(eventToRow(event)).execute();
    return { likes, event };
  }
}

/** Thrown inside a like's transaction to roll it back: the like (or its absence) was already there. */
class NothingChanged extends Error {}
