import type { Kysely } from 'kysely';
import type { SignInMethod } from '../domain/identity';
import type { Database } from './schema';

/** Why a link signs nobody in: unknown (never sent, or swept), already used, past its time, or followed in another browser. */
export type LinkRefusal = 'unknown' | 'used' | 'expired' | 'other_browser';

export interface NewSignInLink {
  tokenHash: string;
  browserHash: string;
  email: string;
  nextPath: string;
  createdAt: string;
  expiresAt: string;
}

export type UseLinkResult = { ok: true; email: string; nextPath: string } | { ok: false; reason: LinkRefusal };
export type RedeemCodeResult = { ok: true; userId: string; method: SignInMethod } | { ok: false };

/**
 * The email sign-in links and the embed's frame codes (migration 0018), by hash only. Using one is
 * a single conditional UPDATE: of two browsers (or nodes) racing with the same link, one wins.
 */
export interface SignInLinkStore {
  createLink(link: NewSignInLink): Promise<void>;
  /** Marks the link used if it is unused, unexpired at `now` and asked for by this browser; else says why not (and changes nothing). */
  useLink(request: { tokenHash: string; browserHash: string; now: string }): Promise<UseLinkResult>;
  createFrameCode(code: { codeHash: string; userId: string; method: SignInMethod; expiresAt: string }): Promise<void>;
  redeemFrameCode(request: { codeHash: string; now: string }): Promise<RedeemCodeResult>;
  /** Drops links and codes that expired before `before`. */
  sweep(request: { before: string }): Promise<void>;
}

export function createSignInLinkStore(db: Kysely<Database>): SignInLinkStore {
  return {
    async createLink(link) {
      await db
        .insertInto('sign_in_links')
        .values({
          token_hash: link.tokenHash,
          browser_hash: link.browserHash,
          email: link.email,
          next_path: link.nextPath,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
          used_at: null,
        })
        .execute();
    },

    async useLink({ tokenHash, browserHash, now }) {
      const used = await db
        .updateTable('sign_in_links')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('browser_hash', '=', browserHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['email', 'next_path'])
        .executeTakeFirst();
      if (used) return { ok: true, email: used.email, nextPath: used.next_path };
      const row = await db.selectFrom('sign_in_links').select(['browser_hash', 'used_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      // Used first: a link that was followed is spent, wherever it is followed again.
      if (row.used_at !== null) return { ok: false, reason: 'used' };
      if (row.expires_at <= now) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'other_browser' };
    },

    async createFrameCode({ codeHash, userId, method, expiresAt }) {
      await db.insertInto('frame_codes').values({ code_hash: codeHash, user_id: userId, method, expires_at: expiresAt, used_at: null }).execute();
    },

    async redeemFrameCode({ codeHash, now }) {
      const row = await db
        .updateTable('frame_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['user_id', 'method'])
        .executeTakeFirst();
      return row ? { ok: true, userId: row.user_id, method: row.method as SignInMethod } : { ok: false };
    },

    async sweep({ before }) {
      await db.deleteFrom('sign_in_links').where('expires_at', '<', before).execute();
      await db.deleteFrom('frame_codes').where('expires_at', '<', before).execute();
    },
  };
}
