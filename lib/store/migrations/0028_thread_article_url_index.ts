import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Threads by their article's address (issue 18.5): an embed that names a slug no thread has, on a
 * page whose address is an imported thread's article, is sent to that thread
 * (server/embed/embedGate.ts). Any view of any made-up slug may ask, so the lookup is a seek, not a
 * scan of every thread.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('threads_article_url').on('threads').column('article_url').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('threads_article_url').execute();
}
