import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Each comment records the top-level comment its branch starts from, so a page
 * of branches is two indexed reads (the top-level comments, then everything
 * under them) instead of a walk down the tree, and a live reply to a branch a
 * reader has not loaded can be told apart from one they have.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('root_id', 'text').execute();
  await sql`update comments set root_id = id where parent_id is null`.execute(db);
  // Level by level: every comment's parent is one level up, and already done.
  const deepest = await sql<{ d: number | null }>`select max(depth) as d from comments`.execute(db);
  for (let depth = 2; depth <= Number(deepest.rows[0]?.d ?? 0); depth++) {
    await sql`update comments set root_id = (select p.root_id from comments p where p.id = comments.parent_id) where depth = ${depth}`.execute(db);
  }
  await db.schema.createIndex('comments_thread_root').on('comments').columns(['thread_id', 'root_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_thread_root').execute();
  await db.schema.alterTable('comments').dropColumn('root_id').execute();
}
