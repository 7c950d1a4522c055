import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Closing on time (issue 19.4): `closes_at`, the UTC time at which the thread locks itself, or NULL
 * for never. Set at creation from COMMENTS_CLOSE_AFTER_DAYS, or by a moderator's schedule. Every node's
 * closing poller asks for the open threads whose time has come: one seek on this index, however many
 * threads there are (docs/decisions.md, "Closing on time").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').addColumn('closes_at', 'text').execute();
  await db.schema.createIndex('threads_closes_at').on('threads').columns(['closes_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('threads_closes_at').execute();
  await db.schema.alterTable('threads').dropColumn('closes_at').execute();
}
