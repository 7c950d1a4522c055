import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors';
import { threadFromRow } from './mappers';
import { insertAudit, queuedComments } from './moderationStore';
import type { Database } from './schema';
import type { DeletedThreadResult, DeleteThreadRecord, Store } from './store';

/**
 * Deleting a thread with everything that hangs off it (issue 14.3: threads
 * nobody wanted). Every table that points at a thread or its comments, child
 * first, in one transaction: likes and import mappings (no foreign keys: they
 * are named here or left behind), reports, events, webhook deliveries about it
 * (sent or not: a waiting one would carry a deleted comment's text out), comments, the thread. The
 * foreign keys that do exist (comments, events and reports → threads;
 * events, reports and replies → comments) make a table forgotten here fail
 * the deletion rather than leave orphans. The audit log is not among them: its
 * entry about the deletion is written in the same transaction and stays, with
 * the thread's id, slug, title and counts, as do the entries of what was done
 * in the thread before.
 */
export function createThreadDeletion(db: Kysely<Database>, now: () => string): Pick<Store, 'deleteThread'> {
  return {
    async deleteThread({ threadId, audit }: DeleteThreadRecord): Promise<DeletedThreadResult> {
      return db.transaction().execute(async (trx) => {
        // The row lock posting, edits and moderation take to write to the thread (its seq): whatever holds it
        // commits first and is deleted with the rest; whatever waits for it finds no thread (thread_not_found).
        const row = await trx
          .updateTable('threads')
          .set((eb) => ({ seq: eb('seq', '+', 0) }))
          .where('id', '=', threadId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new AppError('thread_not_found');
        const thread = threadFromRow(row);
        const ofThread = trx.selectFrom('comments').select('comments.id').where('comments.thread_id', '=', threadId);

        const queued = await queuedComments(trx).select('c.id').where('c.thread_id', '=', threadId).execute();

        const likes = await trx.deleteFrom('reactions').where('comment_id', 'in', ofThread).executeTakeFirst();
        const reports = await trx.deleteFrom('reports').where('thread_id', '=', threadId).executeTakeFirst();
        // A re-import of the same source makes the thread again, rather than finding ids that are gone.
        await trx
          .deleteFrom('import_sources')
          .where((eb) => eb.or([eb.and([eb('kind', '=', 'thread'), eb('target_id', '=', threadId)]), eb.and([eb('kind', '=', 'comment'), eb('target_id', 'in', ofThread)])]))
          .execute();
        const webhooks = await trx.deleteFrom('webhook_deliveries').where('thread_id', '=', threadId).executeTakeFirst();
        // The bell's notices about it (a mail not yet sent would name its comments) and who followed or blocked it.
        await trx.deleteFrom('notifications').where('thread_id', '=', threadId).execute();
        await trx.deleteFrom('thread_watches').where('thread_id', '=', threadId).execute();
        await trx.deleteFrom('thread_events').where('thread_id', '=', threadId).execute();
        // One statement: replies and their parents go together (foreign keys are checked at its end).
        const comments = Number((await trx.deleteFrom('comments').where('thread_id', '=', threadId).executeTakeFirst()).numDeletedRows);
        await trx.deleteFrom('threads').where('id', '=', threadId).execute();

        await insertAudit(
          trx,
          {
            ...audit,
            threadId,
            target: thread.slug,
            details: { ...audit.details, title: thread.title, comments, likes: Number(likes.numDeletedRows), reports: Number(reports.numDeletedRows), webhooks: Number(webhooks.numDeletedRows), createdAt: thread.createdAt },
          },
          now(),
        );
        return { thread, comments, queued: queued.map((q) => q.id) };
      });
    },
  };
}
