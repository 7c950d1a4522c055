import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The host article a thread was opened for from an embed (issue 14.3): the
 * address in the host's signed token, or the page of the operator's site that
 * named the thread. Permalinks in the embed lead there rather than to whatever
 * `url` a request carries. Null for threads opened otherwise (the operator's,
 * imported ones, those from before).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').addColumn('article_url', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').dropColumn('article_url').execute();
}
