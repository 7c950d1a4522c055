import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Sign-in by email link, and the one-time codes that hand a sign-in to the embed's frame
 * (docs/security.md, "Email links"). Only SHA-256 hashes of the link tokens, the browser nonces
 * and the frame codes are stored: a copy of the database signs nobody in.
 *
 * - `sign_in_links`: one row per link sent, bound to the browser that asked (`browser_hash`),
 *   valid until `expires_at`, used at most once (`used_at`). Swept some time after expiry.
 * - `frame_codes`: a signed-in person's first-party page (the sign-in popup) mints one for the
 *   embed's frame, which swaps it for a session cookie of its own; valid a minute, used once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('next_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('sign_in_links_expires').on('sign_in_links').column('expires_at').execute();

  await db.schema
    .createTable('frame_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('frame_codes_expires').on('frame_codes').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('frame_codes').execute();
  await db.schema.dropTable('sign_in_links').execute();
}
