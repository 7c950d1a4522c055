import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Moderation that sticks to a person (issue 16, docs/decisions.md "A person's page and bans by
 * address range"):
 *
 * - `bans.address_range` / `address_bits`: a guest's ban may also cover an address range. The range
 *   as written (`198.51.100.0/24`) and as the rule matches it: the family and the prefix's bits
 *   (`4:110001100011…`, lib/domain/addressRange.ts), a prefix of the poster's own bits.
 * - `guest_addresses`: the address key (lib/domain/addressKey.ts) a guest last posted from, so a
 *   moderator can ban its range without ever seeing the address. One row per guest, overwritten.
 * - `person_notes`: what moderators write about a person for each other (never shown to the person).
 * - indexes for the person's page: their comments by time, audit entries by target and by comment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bans').addColumn('address_range', 'text').execute();
  await db.schema.alterTable('bans').addColumn('address_bits', 'text').execute();
  // Every post asks whether a range ban covers it: the index holds the range bans alone (others are NULL), so that costs no scan of the bans.
  await db.schema.createIndex('bans_address_bits').on('bans').column('address_bits').execute();
  // The person's page reads their comments newest first, and what moderators did to them or to their comments.
  await db.schema.createIndex('comments_author_created').on('comments').columns(['author_guest_id', 'created_at']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').column('target').execute();
  await db.schema.createIndex('audit_log_comment').on('audit_log').column('comment_id').execute();

  await db.schema
    .createTable('guest_addresses')
    .addColumn('guest_id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('person_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_notes_person').on('person_notes').columns(['person_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_notes').execute();
  await db.schema.dropTable('guest_addresses').execute();
  for (const index of ['audit_log_comment', 'audit_log_target', 'comments_author_created', 'bans_address_bits']) await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('bans').dropColumn('address_bits').execute();
  await db.schema.alterTable('bans').dropColumn('address_range').execute();
}
