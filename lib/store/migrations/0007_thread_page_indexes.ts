import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A thread's first page reads only what it shows, however long the thread
 * (issue 6, huge threads): without these, a 10,000-comment thread's page
 * walked the thread's whole (thread_id, seq) index to find its pinned comments,
 * and walked past every reply to find the next top-level comments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Pinned comments of a thread: a handful, found by seek (a plain index: the query binds `pinned = ?`,
  // which SQLite does not match against a partial index's constant).
  await db.schema.createIndex('comments_thread_pinned').on('comments').columns(['thread_id', 'pinned']).execute();
  // Top-level comments in seq order (either direction, after a cursor): partial, so replies cost nothing here.
  await db.schema
    .createIndex('comments_thread_top')
    .on('comments')
    .columns(['thread_id', 'seq'])
    .where(sql<boolean>`parent_id is null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_thread_top').execute();
  await db.schema.dropIndex('comments_thread_pinned').execute();
}
