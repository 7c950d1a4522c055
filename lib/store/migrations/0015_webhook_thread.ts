import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Which thread a webhook delivery is about, so that deleting a thread also
 * takes its deliveries out of the outbox: a delivery still waiting would
 * otherwise send the text of a comment that no longer exists anywhere else
 * (issue 14.3's leftover). Rows queued before this migration have none and
 * are left to finish as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('thread_id', 'text').execute();
  await db.schema.createIndex('webhook_deliveries_thread').on('webhook_deliveries').column('thread_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_thread').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('thread_id').execute();
}
