import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Editors' picks (issue 19.1): a featured comment is a pinned one (the `pinned` flag of migration 0002
 * stays the one truth of whether it is featured); these say what the strip shows with it:
 * - `pick_note`: the moderator's one-line note, or NULL. Kept when the comment is removed or unfeatured
 *   alone is cleared: an Undo of a removal brings the pick back with its note.
 * - `picked_at`: when it was (last) featured, the order of the Picks strip and of its feed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('pick_note', 'text').execute();
  await db.schema.alterTable('comments').addColumn('picked_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['picked_at', 'pick_note']) await db.schema.alterTable('comments').dropColumn(column).execute();
}
