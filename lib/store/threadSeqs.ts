import type { Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Takes the thread's next `count` sequence numbers and returns the one before
 * the first. On PostgreSQL the UPDATE locks the thread's row until commit, so
 * writers to one thread (posts, moderation, imports) are serialized and seqs
 * commit in order.
 */
export async function allocateSeqs(trx: Transaction<Database>, threadId: string, count: number): Promise<number> {
  const row = await trx
    .updateTable('threads')
    .set((eb) => ({ seq: eb('seq', '+', count) }))
    .where('id', '=', threadId)
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq) - count;
}
