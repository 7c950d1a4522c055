import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A report's category (lib/contract/reports.ts: spam, abuse, off_topic,
 * other). Reports from before were words alone: `other`, words kept. A report
 * with a category and no words keeps `reason` empty rather than null: the
 * column stays NOT NULL, which SQLite cannot drop without rebuilding the
 * table; the store reads '' as no words.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('category', 'text', (c) => c.notNull().defaultTo('other')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('category').execute();
}
