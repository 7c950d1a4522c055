import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Threads nobody wanted (issue 14.3): an admin can hide a thread (`hidden`,
 * 0/1 like `locked`: gone for everyone but staff, kept whole) or delete it.
 *
 * The thread lists are paged by a keyset on (created_at, id), newest first
 * (docs/decisions.md, "Threads nobody wanted"). The public list binds
 * `hidden = 0`, hence the equality column first; the admins' list sees every
 * thread. Each page is one seek and `limit` index entries, however many
 * threads there are: without them, a page of the newest 50 of 200,000 threads
 * sorted the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('threads_listed').on('threads').columns(['hidden', 'created_at', 'id']).execute();
  await db.schema.createIndex('threads_created').on('threads').columns(['created_at', 'id']).execute();
  // Deleting a thread finds its reports by thread, and its import_sources rows by what they point at
  // (its comments, events and likes are found by indexes they already have: by thread, and by comment).
  await db.schema.createIndex('reports_thread').on('reports').column('thread_id').execute();
  await db.schema.createIndex('import_sources_target').on('import_sources').column('target_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reports_thread').execute();
  await db.schema.dropIndex('import_sources_target').execute();
  await db.schema.dropIndex('threads_created').execute();
  await db.schema.dropIndex('threads_listed').execute();
  await db.schema.alterTable('threads').dropColumn('hidden').execute();
}
