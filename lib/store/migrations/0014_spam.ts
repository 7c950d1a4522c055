import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What the spam check (lib/services/spam) remembers between posts, each kept
 * only as long as its window (lib/store/spamStore.ts sweeps older rows):
 *
 * - `spam_texts`: a fingerprint (SHA-256 of the folded text) per thread it was
 *   posted in, with the last time, for "the same text in many threads";
 * - `spam_new_guests`: a guest's first post, with the address key it came
 *   from, for "a burst of new guests from one address";
 * - `spam_not_checked`: comments the outside spam service could not judge
 *   (posted anyway), and why, for the moderators until one keeps it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('spam_texts')
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('spam_texts_pk', ['hash', 'thread_id'])
    .execute();
  await db.schema.createIndex('spam_texts_at').on('spam_texts').column('at').execute();

  await db.schema
    .createTable('spam_new_guests')
    .addColumn('guest_id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spam_new_guests_address').on('spam_new_guests').columns(['address', 'first_at']).execute();
  await db.schema.createIndex('spam_new_guests_first_at').on('spam_new_guests').column('first_at').execute();

  await db.schema
    .createTable('spam_not_checked')
    .addColumn('comment_id', 'text', (c) => c.primaryKey())
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spam_not_checked_at').on('spam_not_checked').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spam_not_checked').execute();
  await db.schema.dropTable('spam_new_guests').execute();
  await db.schema.dropTable('spam_texts').execute();
}
