import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** The host site's sign-in tokens already used (migration 0017): each `jti` signs in once, on any node. */
export interface SsoTokenStore {
  /** Takes a token's jti (already hashed) until `expiresAt`: false when it was taken before (a replay). */
  claim(request: { jtiHash: string; expiresAt: string }): Promise<boolean>;
  /** Drops the jti's of tokens expired before `before` (they are refused for their age anyway); how many went. */
  sweep(request: { before: string }): Promise<number>;
}

export function createSsoTokenStore(db: Kysely<Database>): SsoTokenStore {
  return {
    async claim({ jtiHash, expiresAt }) {
      // One statement: of two nodes given the same token at once, exactly one inserts the row.
      const result = await db
        .insertInto('sso_used_tokens')
        .values({ jti_hash: jtiHash, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti_hash').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async sweep({ before }) {
      const result = await db.deleteFrom('sso_used_tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
