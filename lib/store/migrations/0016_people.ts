import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * One account model for everyone (docs/decisions.md, "People, not cookies"):
 *
 * - `users` now holds commenters too (role `commenter`): a display name unique per site
 *   (by its folded key, lib/domain/identity.ts displayNameKey), an optional verified email,
 *   badges (a JSON array), whether moderators trust the person, whether they are shadow-banned.
 *   A password is one sign-in method among others: '' means the account has none.
 * - `identities`: the sign-in methods linked to an account, one row per provider's subject.
 * - `sessions` say how they were opened and from what browser, for the person's own list.
 *
 * Existing staff keep their username as their display name.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('display_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('display_key', 'text').execute();
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('badges', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('users').addColumn('trusted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('shadow_banned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable('users').set((eb: any) => ({ display_name: eb.ref('username'), display_key: eb.fn('lower', [eb.ref('username')]) })).execute();
  await db.schema.createIndex('users_display_key').on('users').column('display_key').unique().execute();
  await db.schema.createIndex('users_email').on('users').column('email').execute();

  await db.schema
    .createTable('identities')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identities_pk', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('identities_user').on('identities').column('user_id').execute();

  await db.schema.alterTable('sessions').addColumn('method', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['last_seen_at', 'user_agent', 'method']) await db.schema.alterTable('sessions').dropColumn(column).execute();
  await db.schema.dropTable('identities').execute();
  await db.schema.dropIndex('users_email').execute();
  await db.schema.dropIndex('users_display_key').execute();
  for (const column of ['shadow_banned', 'trusted', 'badges', 'email_verified_at', 'email', 'display_key', 'display_name']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
