import type { Transaction } from 'kysely';
import type { ThreadEvent } from '../domain/events';
import { commentFromRow, eventToRow } from './mappers';
import type { CommentsTable, Database } from './schema';
import { allocateSeqs } from './threadSeqs';

/** A committed change as the fan-out takes it (lib/services/eventBus.ts PublishedEvent). */
export interface ThreadChange {
  slug: string;
  event: ThreadEvent;
}

/** Statements name at most this many comments at once (SQLite's bound parameters, PostgreSQL's plan sizes). */
const CHUNK = 500;

function byThread<T extends { thread_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  // Threads in one order: two such changes lock their threads' rows in the same order on PostgreSQL.
  for (const row of [...rows].sort((a, b) => a.thread_id.localeCompare(b.thread_id))) {
    const group = groups.get(row.thread_id) ?? [];
    group.push(row);
    groups.set(row.thread_id, group);
  }
  return groups;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function slugOf(trx: Transaction<Database>, threadId: string): Promise<string> {
  return (await trx.selectFrom('threads').select('slug').where('id', '=', threadId).executeTakeFirstOrThrow()).slug;
}

/**
 * Changes many comments of a person across threads, each as a `comment.updated` event under its
 * thread's next seq (the same event a moderator's removal writes), so open pages update live and
 * readers who were away catch up from the database.
 */
export async function rewriteComments(
  trx: Transaction<Database>,
  at: string,
  comments: readonly { id: string; thread_id: string }[],
  set: Partial<CommentsTable>,
): Promise<ThreadChange[]> {
  const changes: ThreadChange[] = [];
  for (const [threadId, rows] of byThread(comments)) {
    const slug = await slugOf(trx, threadId);
    for (const part of chunks(rows)) {
      const first = (await allocateSeqs(trx, threadId, part.length)) + 1;
      const updated = await trx
        .updateTable('comments')
        .set(set)
        .where('thread_id', '=', threadId)
        .where(
          'id',
          'in',
          part.map((r) => r.id),
        )
        .returningAll()
        .execute();
      updated.sort((a, b) => Number(a.seq) - Number(b.seq));
      const events: ThreadEvent[] = updated.map((row, i) => ({ type: 'comment.updated', comment: commentFromRow(row), threadId, seq: first + i, createdAt: at }));
      // Seqs have no gaps: any taken for comments that were not there are given back, under the same row lock.
      if (events.length < part.length) await trx.updateTable('threads').set((eb) => ({ seq: eb('seq', '-', part.length - events.length) })).where('id', '=', threadId).execute();
      if (events.length > 0) await trx.insertInto('thread_events').values(events.map(eventToRow)).execute();
      changes.push(...events.map((event) => ({ slug, event })));
    }
  }
  return changes;
}

/**
 * One like fewer on each of these comments (their reactions rows are already gone), each as a
 * `comment.liked` event with the new count, as taking a like back writes it.
 */
export async function dropLikes(trx: Transaction<Database>, at: string, likes: readonly { comment_id: string; thread_id: string }[]): Promise<ThreadChange[]> {
  const changes: ThreadChange[] = [];
  for (const [threadId, rows] of byThread(likes)) {
    const slug = await slugOf(trx, threadId);
    let seq = await allocateSeqs(trx, threadId, rows.length);
    for (const { comment_id: commentId } of rows) {
      const row = await trx
        .updateTable('comments')
        .set((eb) => ({ likes: eb('likes', '-', 1) }))
        .where('id', '=', commentId)
        .returning('likes')
        .executeTakeFirstOrThrow();
      const event: ThreadEvent = { type: 'comment.liked', commentId, likes: Number(row.likes), threadId, seq: ++seq, createdAt: at };
      await trx.insertInto('thread_events').values(eventToRow(event)).execute();
      changes.push({ slug, event });
    }
  }
  return changes;
}

export { chunks };
