import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A thread's count of visible comments reads this index alone. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_thread_status').on('comments').columns(['thread_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_thread_status').execute();
}
