import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Questions, answered live (issue 19.2): a thread switched to Q&A (`qa`, 0/1 like `locked`), and on
 * each question (a top-level comment) the reply that answers it (`answer_id`, NULL while open). The
 * answer is stored, not derived from the badges at read time, so that it changes under a seq like
 * any other change and the answered-first order is a keyset the database can page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').addColumn('qa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('answer_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').dropColumn('answer_id').execute();
  await db.schema.alterTable('threads').dropColumn('qa').execute();
}
