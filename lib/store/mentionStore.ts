import { sql, type Kysely } from 'kysely';
import type { Badge } from '../domain/identity';
import type { MentionableAccount } from '../domain/mentions';
import { parseBadges } from './accountStore';
import type { Database } from './schema';

/** An account that commented visibly in a thread, as the `@` suggestion offers it. */
export interface Participant {
  id: string;
  name: string;
  badges: Badge[];
}

/** What anyone may see of an account (its public page): nothing private, no address. */
export interface PublicPerson {
  id: string;
  name: string;
  badges: Badge[];
  memberSince: string;
}

/** One of a person's visible comments on their public page, with where it is. */
export interface PublicComment {
  id: string;
  threadSlug: string;
  threadTitle: string;
  body: string;
  createdAt: string | null;
}

/**
 * Who can be named with `@` (docs/mentions.md): accounts by display-name key, the people of a
 * thread for the suggestion, and a person's public page. Guests have no account and so are
 * never among them; neither is a closed account (`removed_at`) or an erased one (no row).
 */
export interface MentionStore {
  /** The open accounts whose display-name key is one of `keys` (one query per 500 keys; a comment asks one). */
  findMentionable(keys: readonly string[]): Promise<MentionableAccount[]>;
  /**
   * Accounts with a visible comment in the thread whose display-name key starts with `prefixKey`,
   * most recent commenters first: not shadow-banned, not closed, not `excludeId` (the asker).
   */
  threadParticipants(request: { threadId: string; prefixKey: string; excludeId: string | null; limit: number }): Promise<Participant[]>;
  /** An open account's public face; undefined for a guest's id, a closed or an erased account. */
  publicPerson(id: string): Promise<PublicPerson | undefined>;
  /** The person's visible comments in listed threads, newest first. */
  recentPublicComments(request: { authorId: string; limit: number }): Promise<PublicComment[]>;
}

/** Keys per statement: within SQLite's bound parameters and a reasonable IN list for PostgreSQL. */
const KEYS_PER_QUERY = 500;

/** A LIKE pattern matching what starts with `prefix`, its own `%`, `_` and `\` taken literally. */
export function startsWithPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createMentionStore(db: Kysely<Database>): MentionStore {
  return {
    async findMentionable(keys) {
      const found: MentionableAccount[] = [];
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const part = keys.slice(i, i + KEYS_PER_QUERY);
        const rows = await db
          .selectFrom('users')
          .select(['id', 'display_key'])
          .where('display_key', 'in', part)
          .where('removed_at', 'is', null)
          .execute();
        for (const row of rows) if (row.display_key !== null) found.push({ id: row.id, key: row.display_key });
      }
      return found;
    },

    async threadParticipants({ threadId, prefixKey, excludeId, limit }) {
      let query = db
        .selectFrom('comments as c')
        .innerJoin('users as u', 'u.id', 'c.author_guest_id')
        .select(['u.id', 'u.display_name', 'u.username', 'u.badges'])
        .select((eb) => eb.fn.max('c.seq').as('last_seq'))
        .where('c.thread_id', '=', threadId)
        .where('c.status', '=', 'visible')
        .where('u.removed_at', 'is', null)
        .where('u.shadow_banned', '=', 0)
        .where('u.display_key', 'is not', null);
      if (prefixKey !== '') query = query.where(sql<boolean>`u.display_key like ${startsWithPattern(prefixKey)} escape '\\'`);
      if (excludeId !== null) query = query.where('u.id', '!=', excludeId);
      const rows = await query.groupBy(['u.id', 'u.display_name', 'u.username', 'u.badges']).orderBy('last_seq', 'desc').orderBy('u.id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, name: r.display_name ?? r.username, badges: parseBadges(r.badges) }));
    },

    async publicPerson(id) {
      const row = await db
        .selectFrom('users')
        .select(['id', 'display_name', 'username', 'badges', 'created_at'])
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return row && { id: row.id, name: row.display_name ?? row.username, badges: parseBadges(row.badges), memberSince: row.created_at };
    },

    async recentPublicComments({ authorId, limit }) {
      const rows = await db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .select(['c.id', 't.slug', 't.title', 'c.body', 'c.created_at'])
        .where('c.author_guest_id', '=', authorId)
        .where('c.status', '=', 'visible')
        .where('t.hidden', '=', 0)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, threadSlug: r.slug, threadTitle: r.title, body: r.body, createdAt: r.created_at }));
    },
  };
}
