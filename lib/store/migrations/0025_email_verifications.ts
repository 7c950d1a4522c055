import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Email for notices (issue 17, docs/email.md): an address a signed-in person gave, waiting for its
 * proof. `users.email` changes only once the link in the mail is followed, so a typo never takes
 * the mail of an address that works; the token is kept by hash only, as the sign-in links are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_verifications')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  // A person's pending addresses (a new request replaces the old ones), and their account's deletion.
  await db.schema.createIndex('email_verifications_user').on('email_verifications').column('user_id').execute();
  // The admins' list of dead letters, and the outbox's sweep of sent mail.
  await db.schema.createIndex('mail_outbox_state_created').on('mail_outbox').columns(['state', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_state_created').execute();
  await db.schema.dropTable('email_verifications').execute();
}
