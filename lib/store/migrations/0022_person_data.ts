import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A person's own data (issue 16.4): their export, their account's deletion and a guest's claim read
 * the reports a person made across every thread, by `reports.guest_id` alone; the one index on it
 * so far starts with the comment. (Comments by author use `comments_guest_client`, likes `reactions_guest`.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('reports_guest').on('reports').column('guest_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reports_guest').execute();
}
