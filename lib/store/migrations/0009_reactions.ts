import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Likes: one row per (comment, guest), so liking twice is a no-op by the
 * primary key, and a count on the comment kept in the same transaction, so a
 * page and the "top" sort read a column instead of counting rows per request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reactions')
    .addColumn('comment_id', 'text', (c) => c.notNull())
    .addColumn('guest_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['comment_id', 'guest_id'])
    .execute();
  // "Which of these comments did this reader like": per page view, by guest first.
  await db.schema.createIndex('reactions_guest').on('reactions').columns(['guest_id', 'comment_id']).execute();
  await db.schema.alterTable('comments').addColumn('likes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The "top" sort's keyset: top-level comments of a thread by likes, then seq.
  await sql`create index comments_thread_top_liked on comments (thread_id, likes desc, seq) where parent_id is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_thread_top_liked').execute();
  await db.schema.alterTable('comments').dropColumn('likes').execute();
  await db.schema.dropTable('reactions').execute();
}
