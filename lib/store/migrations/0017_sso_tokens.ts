import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The host site's sign-in tokens already used (lib/services/signIn/ssoTokens.ts): a token's `jti`
 * is taken once, so a token copied from a page, a log or a proxy cannot sign anyone in again. In
 * the database, not a node's memory, so a replay to another node is refused too. A row is kept
 * until its token expires (`expires_at`); then the token is refused for its age anyway, and the
 * row is swept. `jti_hash` is SHA-256 of the issuer and the jti: fixed length, whatever a host sends.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_used_tokens')
    .addColumn('jti_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_used_tokens_expires').on('sso_used_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_used_tokens').execute();
}
