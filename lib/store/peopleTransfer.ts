import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ThreadEvent } from '../domain/events';
import { BADGES, displayNameKey, isStaffRole, type SignInMethod } from '../domain/identity';
import type { EmailChoice, EmailKind, ThreadWatchMode } from '../domain/notifications';
import { userFromRow, type User } from './accountStore';
import type { PersonNote } from './personStore';
import { eventToRow } from './mappers';
import type { Database, UsersTable } from './schema';
import { allocateSeqs } from './threadSeqs';
import type { ImportStoreOptions } from './importStore';

/**
 * People in the Threadline export (format 2, docs/import.md "The Threadline export"): every
 * account with what a move needs, and what hangs off a person id: their sign-in links,
 * moderators' word on them and notes about them, whom they muted, the threads they follow,
 * their mail choices and their likes. Each kind is one table read in key order (so the export
 * is the same whatever the engine) and added by key, leaving rows already there as they are,
 * so an import of the same file twice adds nothing.
 */

/** An account. Never its password's hash: an imported account signs in by its linked methods, or is given a password. */
export type ExportedAccount = User;

/** A sign-in method linked to an account: the provider's subject names the person there; it opens nothing without the provider's proof. */
export interface ExportedIdentity {
  userId: string;
  provider: string;
  subject: string;
  method: SignInMethod;
  email: string | null;
  createdAt: string;
  lastUsedAt: string;
}

/** A moderator's word on a person, an account's or a guest's (migration 0020): what the posting rules read. */
export interface ExportedStanding {
  personId: string;
  trusted: boolean;
  shadowBanned: boolean;
  trustedSince: string | null;
  updatedAt: string;
}

/** What moderators wrote about a person for each other (migration 0021). */
export type ExportedNote = PersonNote;

export interface ExportedMute {
  ownerId: string;
  mutedId: string;
  createdAt: string;
}

export interface ExportedWatch {
  ownerId: string;
  threadId: string;
  mode: ThreadWatchMode;
  createdAt: string;
}

/** A person's mail choice for one kind, where they made one. */
export interface ExportedPreference {
  userId: string;
  kind: EmailKind;
  choice: EmailChoice;
  updatedAt: string;
}

/** One person's like of one comment. */
export interface ExportedLike {
  commentId: string;
  personId: string;
  createdAt: string;
}

export interface PersonRows {
  account: ExportedAccount;
  identity: ExportedIdentity;
  standing: ExportedStanding;
  note: ExportedNote;
  mute: ExportedMute;
  watch: ExportedWatch;
  preference: ExportedPreference;
  like: ExportedLike;
}
export type PersonRowKind = keyof PersonRows;
/** One row of any kind, told apart by `kind`. */
export type PersonRow = { [K in PersonRowKind]: { kind: K; value: PersonRows[K] } }[PersonRowKind];
/** The order of the export: an account before what names it (identities must find it), likes last. */
export const PERSON_ROW_KINDS = ['account', 'identity', 'standing', 'note', 'mute', 'watch', 'preference', 'like'] as const satisfies readonly PersonRowKind[];

/** What an add did: rows that name an account, a thread or a comment not in the store are answered, not added. */
export interface AddedPersonRows<K extends PersonRowKind> {
  added: number;
  missing: PersonRows[K][];
  /** Accepted with a change worth knowing (an account renamed because its name is taken here). */
  warnings: string[];
}

export interface PeopleTransfer {
  /** A page of one kind, in key order, after `after` (the last row of the page before). */
  personRowsPage<K extends PersonRowKind>(request: { kind: K; after: PersonRows[K] | null; limit: number }): Promise<PersonRows[K][]>;
  /**
   * Adds the rows whose key is not in the store yet; those already there are left as they are.
   * Likes keep `comments.likes` equal to the comment's reactions, with a `comment.liked` event
   * under its thread's next seq for a visible comment (open pages and cached pages see the count).
   */
  addPersonRows<K extends PersonRowKind>(request: { kind: K; rows: readonly PersonRows[K][] }): Promise<AddedPersonRows<K>>;
}

/** Rows per multi-row statement: well under both engines' bound-parameter limits. */
const CHUNK = 200;
/** Names tried for an account whose display name is taken here: the name, then the name with a number (as a sign-in does). */
const NAME_TRIES = 50;

type Value = string | number | null;
type LooseRow = Record<string, Value>;
/** The plain tables are handled alike, by name: their columns are all text or 0/1. */
type LooseDb = Kysely<Record<string, LooseRow>>;

interface Transfer<L> {
  table: string;
  /** The primary key: the export's order, and what "already there" means. */
  key: readonly string[];
  keyOf(line: L): string[];
  toLine(row: LooseRow): L;
  toRow(line: L): LooseRow;
  /** A row naming something that must be there first (the foreign key of `identities`, a watch's thread). */
  needs?: { table: 'users' | 'threads'; id(line: L): string };
}

const text = (v: Value): string => String(v);
const textOrNull = (v: Value): string | null => (v === null ? null : String(v));
const flag = (v: Value): boolean => Number(v) === 1;
const bit = (b: boolean): number => (b ? 1 : 0);

const TRANSFERS: { [K in Exclude<PersonRowKind, 'account' | 'like'>]: Transfer<PersonRows[K]> } = {
  identity: {
    table: 'identities',
    key: ['provider', 'subject'],
    keyOf: (l) => [l.provider, l.subject],
    toLine: (r) => ({
      userId: text(r.user_id!),
      provider: text(r.provider!),
      subject: text(r.subject!),
      method: text(r.method!) as SignInMethod,
      email: textOrNull(r.email ?? null),
      createdAt: text(r.created_at!),
      lastUsedAt: text(r.last_used_at!),
    }),
    toRow: (l) => ({ provider: l.provider, subject: l.subject, user_id: l.userId, method: l.method, email: l.email, created_at: l.createdAt, last_used_at: l.lastUsedAt }),
    needs: { table: 'users', id: (l) => l.userId },
  },
  standing: {
    table: 'person_standing',
    key: ['person_id'],
    keyOf: (l) => [l.personId],
    toLine: (r) => ({
      personId: text(r.person_id!),
      trusted: flag(r.trusted!),
      shadowBanned: flag(r.shadow_banned!),
      trustedSince: textOrNull(r.trusted_since ?? null),
      updatedAt: text(r.updated_at!),
    }),
    toRow: (l) => ({ person_id: l.personId, trusted: bit(l.trusted), shadow_banned: bit(l.shadowBanned), trusted_since: l.trustedSince, updated_at: l.updatedAt }),
  },
  note: {
    table: 'person_notes',
    key: ['id'],
    keyOf: (l) => [l.id],
    toLine: (r) => ({
      id: text(r.id!),
      personId: text(r.person_id!),
      authorId: textOrNull(r.author_id ?? null),
      authorName: text(r.author_name!),
      text: text(r.text!),
      createdAt: text(r.created_at!),
    }),
    toRow: (l) => ({ id: l.id, person_id: l.personId, author_id: l.authorId, author_name: l.authorName, text: l.text, created_at: l.createdAt }),
  },
  mute: {
    table: 'person_mutes',
    key: ['owner_id', 'muted_id'],
    keyOf: (l) => [l.ownerId, l.mutedId],
    toLine: (r) => ({ ownerId: text(r.owner_id!), mutedId: text(r.muted_id!), createdAt: text(r.created_at!) }),
    toRow: (l) => ({ owner_id: l.ownerId, muted_id: l.mutedId, created_at: l.createdAt }),
  },
  watch: {
    table: 'thread_watches',
    key: ['owner_id', 'thread_id'],
    keyOf: (l) => [l.ownerId, l.threadId],
    toLine: (r) => ({ ownerId: text(r.owner_id!), threadId: text(r.thread_id!), mode: text(r.mode!) as ThreadWatchMode, createdAt: text(r.created_at!) }),
    toRow: (l) => ({ owner_id: l.ownerId, thread_id: l.threadId, mode: l.mode, created_at: l.createdAt }),
    needs: { table: 'threads', id: (l) => l.threadId },
  },
  preference: {
    table: 'notification_preferences',
    key: ['user_id', 'kind'],
    keyOf: (l) => [l.userId, l.kind],
    toLine: (r) => ({ userId: text(r.user_id!), kind: text(r.kind!) as EmailKind, choice: text(r.choice!) as EmailChoice, updatedAt: text(r.updated_at!) }),
    toRow: (l) => ({ user_id: l.userId, kind: l.kind, choice: l.choice, updated_at: l.updatedAt }),
  },
};

/** Rows of `table` whose `column` is one of `values`; with `then`, also the rows their `then.column` names in `then.table`. */
export interface PersonRowLookup {
  table: keyof Database;
  column: string;
  values: string[];
  then?: { column: string; table: keyof Database; by: string };
}

/**
 * The store's rows `addPersonRows` looks at for these rows (whether they are there, names taken, the
 * comments liked and their threads): a dry run copies them into its scratch store first
 * (lib/store/dryRunImportStore.ts), so that it counts what an import would add. Kept next to the
 * writers, so that a change in what one reads is a change here too.
 */
export function personRowLookups<K extends PersonRowKind>(kind: K, rows: readonly PersonRows[K][]): PersonRowLookup[] {
  if (kind === 'account') {
    const accounts = rows as readonly ExportedAccount[];
    return [
      { table: 'users', column: 'id', values: accounts.map((a) => a.id) },
      { table: 'users', column: 'username', values: accounts.map((a) => a.username) },
      { table: 'users', column: 'display_key', values: accounts.map((a) => displayNameKey(a.displayName)) },
    ];
  }
  if (kind === 'like') {
    const ids = (rows as readonly ExportedLike[]).map((l) => l.commentId);
    return [
      { table: 'comments', column: 'id', values: ids, then: { column: 'thread_id', table: 'threads', by: 'id' } },
      { table: 'reactions', column: 'comment_id', values: ids },
    ];
  }
  const t = TRANSFERS[kind as keyof typeof TRANSFERS] as Transfer<PersonRows[K]>;
  const lookups: PersonRowLookup[] = [{ table: t.table as keyof Database, column: t.key[0]!, values: rows.map((r) => t.keyOf(r)[0]!) }];
  if (t.needs) lookups.push({ table: t.needs.table, column: 'id', values: rows.map((r) => t.needs!.id(r)) });
  // A standing is mirrored on its account (mirrorStanding).
  if (kind === 'standing') lookups.push({ table: 'users', column: 'id', values: (rows as readonly ExportedStanding[]).map((r) => r.personId) });
  return lookups;
}

/** `(a, b) > (x, y)`: row values compare in key order on SQLite and PostgreSQL alike. */
function after(columns: readonly string[], values: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(columns.map((c) => sql.ref(c)))}) > (${sql.join(values)})`;
}

export function accountFromRow(row: UsersTable): ExportedAccount {
  const user = userFromRow(row);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    email: user.email,
    emailVerifiedAt: user.emailVerifiedAt,
    badges: user.badges,
    trusted: user.trusted,
    shadowBanned: user.shadowBanned,
    createdAt: user.createdAt,
    removedAt: user.removedAt,
  };
}

/** Matches no scrypt hash (lib/services/passwords.ts): a staff account from an export cannot log in until given a password. */
export const NO_PASSWORD = '!';

export function createPeopleTransfer(db: Kysely<Database>, now: () => string, options: ImportStoreOptions = {}): PeopleTransfer {
  const loose = db as unknown as LooseDb;

  /** Of `ids`, those that are rows of `table`. */
  async function present(trx: Kysely<Database> | Transaction<Database>, table: 'users' | 'threads' | 'comments', ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await trx.selectFrom(table).select('id').where('id', 'in', unique.slice(i, i + CHUNK)).execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  async function page<L>(t: Transfer<L>, from: L | null, limit: number): Promise<L[]> {
    let query = loose.selectFrom(t.table).selectAll();
    if (from !== null) query = query.where(after(t.key, t.keyOf(from)));
    for (const column of t.key) query = query.orderBy(column);
    const rows = await query.limit(limit).execute();
    return rows.map((r) => t.toLine(r));
  }

  /**
   * Rows by key, in one transaction with what follows from them: `then` is told which were added
   * and which were there already, and answers warnings.
   */
  async function addPlain<L>(
    t: Transfer<L>,
    rows: readonly L[],
    then?: (trx: Transaction<Database>, outcome: { added: L[]; there: L[] }) => Promise<string[]>,
  ): Promise<{ added: number; missing: L[]; warnings: string[] }> {
    const keyText = (values: readonly unknown[]) => values.map(String).join('\u0000');
    // A key repeated in the file is one row.
    const unique = [...new Map(rows.map((r) => [keyText(t.keyOf(r)), r])).values()];
    let usable = unique;
    let missing: L[] = [];
    if (t.needs) {
      const { table, id } = t.needs;
      const found = await present(db, table, unique.map(id));
      missing = unique.filter((r) => !found.has(id(r)));
      usable = unique.filter((r) => found.has(id(r)));
    }
    return db.transaction().execute(async (trx) => {
      const added: L[] = [];
      const there: L[] = [];
      for (let i = 0; i < usable.length; i += CHUNK) {
        const chunk = usable.slice(i, i + CHUNK);
        const inserted = await (trx as unknown as LooseDb)
          .insertInto(t.table)
          .values(chunk.map((r) => t.toRow(r)))
          .onConflict((oc) => oc.columns([...t.key]).doNothing())
          .returning([...t.key])
          .execute();
        const keys = new Set(inserted.map((row) => keyText(t.key.map((k) => row[k]))));
        for (const r of chunk) (keys.has(keyText(t.keyOf(r))) ? added : there).push(r);
      }
      const warnings = then ? await then(trx, { added, there }) : [];
      return { added: added.length, missing, warnings };
    });
  }

  /** For an account, `users.trusted` and `users.shadow_banned` say what its standing says (lib/store/policyStore.ts). */
  async function mirrorStanding(trx: Transaction<Database>, { added }: { added: ExportedStanding[] }): Promise<string[]> {
    for (const s of added) await trx.updateTable('users').set({ trusted: bit(s.trusted), shadow_banned: bit(s.shadowBanned) }).where('id', '=', s.personId).execute();
    return [];
  }

  /** A sign-in link already here for another account: the person signs in to that one, not to the imported one. */
  async function identityClashes(trx: Transaction<Database>, { there }: { there: ExportedIdentity[] }): Promise<string[]> {
    const warnings: string[] = [];
    for (let i = 0; i < there.length; i += CHUNK / 2) {
      const chunk = there.slice(i, i + CHUNK / 2);
      const rows = await trx
        .selectFrom('identities')
        .select(['provider', 'subject', 'user_id'])
        .where((eb) => eb.or(chunk.map((r) => eb.and([eb('provider', '=', r.provider), eb('subject', '=', r.subject)]))))
        .execute();
      const owner = new Map(rows.map((r) => [`${r.provider}\u0000${r.subject}`, r.user_id]));
      for (const r of chunk) {
        const userId = owner.get(`${r.provider}\u0000${r.subject}`);
        if (userId !== undefined && userId !== r.userId) {
          warnings.push(`account ${r.userId}: its sign-in ${r.provider} ${r.subject} is linked here to account ${userId}, which that sign-in keeps opening`);
        }
      }
    }
    return warnings;
  }

  /**
   * Accounts by id. One whose id is new here but whose name is taken by another account is still
   * added (its comments, likes and mentions point at its id): under a free display name, and a
   * staff member whose sign-in name is taken signs in by the account's id. Each is a warning.
   */
  async function addAccounts(accounts: readonly ExportedAccount[]): Promise<AddedPersonRows<'account'>> {
    let added = 0;
    const warnings: string[] = [];
    for (let i = 0; i < accounts.length; i += CHUNK) {
      const chunk = accounts.slice(i, i + CHUNK);
      await db.transaction().execute(async (trx) => {
        const existing = await present(trx, 'users', chunk.map((a) => a.id));
        const fresh = chunk.filter((a, index) => !existing.has(a.id) && chunk.findIndex((b) => b.id === a.id) === index);
        if (fresh.length === 0) return;
        const usernames = new Set(
          (await trx.selectFrom('users').select('username').where('username', 'in', fresh.map((a) => a.username)).execute()).map((r) => r.username),
        );
        const keys = new Set(
          (
            await trx
              .selectFrom('users')
              .select('display_key')
              .where('display_key', 'in', fresh.map((a) => displayNameKey(a.displayName)))
              .execute()
          ).map((r) => r.display_key),
        );
        const rows: UsersTable[] = [];
        for (const a of fresh) {
          let username = a.username;
          if (usernames.has(username)) {
            username = a.id;
            warnings.push(`account ${a.id}: the sign-in name ${a.username} is taken here by another account; it signs in as ${a.id}`);
          }
          usernames.add(username);
          let name = a.displayName;
          if (keys.has(displayNameKey(name))) {
            name = await freeName(trx, a.displayName, keys, a.id);
            warnings.push(`account ${a.id}: the name ${a.displayName} is taken here by another account; it is ${name} here`);
          }
          keys.add(displayNameKey(name));
          rows.push({
            id: a.id,
            username,
            // '' : a commenter has no password sign-in; a staff member gets one from an admin (`npm run user:create`).
            password_hash: isStaffRole(a.role) ? NO_PASSWORD : '',
            role: a.role,
            created_at: a.createdAt,
            removed_at: a.removedAt,
            display_name: name,
            display_key: displayNameKey(name),
            email: a.email,
            email_verified_at: a.emailVerifiedAt,
            badges: JSON.stringify(BADGES.filter((b) => a.badges.includes(b))),
            trusted: bit(a.trusted),
            shadow_banned: bit(a.shadowBanned),
          });
        }
        await trx.insertInto('users').values(rows).execute();
        added += rows.length;
      });
    }
    return { added, missing: [], warnings };
  }

  async function freeName(trx: Transaction<Database>, wish: string, taken: Set<string | null>, id: string): Promise<string> {
    for (let n = 2; n < NAME_TRIES; n++) {
      const tried = `${wish} ${n}`;
      if (taken.has(displayNameKey(tried))) continue;
      const row = await trx.selectFrom('users').select('id').where('display_key', '=', displayNameKey(tried)).executeTakeFirst();
      if (!row) return tried;
    }
    // Fifty people of one name: the id tells this one apart.
    return `${wish} ${id.slice(0, 6)}`;
  }

  /**
   * Likes of comments in the store, in one transaction: the threads' row locks first, the reactions
   * not there yet, then each touched comment's count from its reactions (never a sum of what the
   * file says) and, for a visible comment, its `comment.liked` event at the thread's next seq.
   */
  async function addLikes(likes: readonly ExportedLike[]): Promise<AddedPersonRows<'like'>> {
    return db.transaction().execute(async (trx) => {
      const comments = new Map<string, { threadId: string; status: string }>();
      const ids = [...new Set(likes.map((l) => l.commentId))];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await trx.selectFrom('comments').select(['id', 'thread_id', 'status']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
        for (const row of rows) comments.set(row.id, { threadId: row.thread_id, status: row.status });
      }
      const missing = likes.filter((l) => !comments.has(l.commentId));
      const usable = likes.filter((l) => comments.has(l.commentId));
      // The threads' row locks before any reaction row, in id order: liking takes its thread's first too, so the two never wait on each other in a cycle.
      for (const threadId of [...new Set(usable.map((l) => comments.get(l.commentId)!.threadId))].sort()) {
        await trx.updateTable('threads').set((eb) => ({ seq: eb('seq', '+', 0) })).where('id', '=', threadId).execute();
      }
      const touched = new Set<string>();
      let added = 0;
      for (let i = 0; i < usable.length; i += CHUNK) {
        const inserted = await trx
          .insertInto('reactions')
          .values(usable.slice(i, i + CHUNK).map((l) => ({ comment_id: l.commentId, guest_id: l.personId, created_at: l.createdAt })))
          .onConflict((oc) => oc.columns(['comment_id', 'guest_id']).doNothing())
          .returning('comment_id')
          .execute();
        for (const row of inserted) touched.add(row.comment_id);
        added += inserted.length;
      }
      if (touched.size === 0) return { added, missing, warnings: [] };

      // Readers see a count change only on a visible comment; the others' counts change without an event.
      const byThread = new Map<string, string[]>();
      for (const id of touched) {
        const c = comments.get(id)!;
        if (c.status !== 'visible') continue;
        byThread.set(c.threadId, [...(byThread.get(c.threadId) ?? []), id]);
      }
      const seqs = new Map<string, number>();
      for (const threadId of [...byThread.keys()].sort()) {
        const list = byThread.get(threadId)!.sort();
        const beforeFirst = await allocateSeqs(trx, threadId, list.length);
        list.forEach((id, i) => seqs.set(id, beforeFirst + 1 + i));
      }

      const touchedIds = [...touched];
      const at = now();
      const events: ThreadEvent[] = [];
      for (let i = 0; i < touchedIds.length; i += CHUNK) {
        const rows = await trx
          .updateTable('comments')
          .set({ likes: sql<number>`(select count(*) from reactions r where r.comment_id = comments.id)` })
          .where('id', 'in', touchedIds.slice(i, i + CHUNK))
          .returning(['id', 'thread_id', 'likes'])
          .execute();
        for (const row of rows) {
          const seq = seqs.get(row.id);
          if (seq !== undefined) events.push({ type: 'comment.liked', commentId: row.id, likes: Number(row.likes), threadId: row.thread_id, seq, createdAt: at });
        }
      }
      events.sort((a, b) => (a.threadId === b.threadId ? a.seq - b.seq : a.threadId < b.threadId ? -1 : 1));
      for (let i = 0; i < events.length; i += CHUNK) await trx.insertInto('thread_events').values(events.slice(i, i + CHUNK).map(eventToRow)).execute();
      // Open pages hear of the new counts now, as of imported comments, not at the seq heartbeat.
      await options.announceChanges?.(trx, [...byThread.keys()]);
      return { added, missing, warnings: [] };
    });
  }

  return {
    async personRowsPage({ kind, after: from, limit }) {
      if (kind === 'account') {
        let query = db.selectFrom('users').selectAll();
        if (from !== null) query = query.where('id', '>', (from as ExportedAccount).id);
        const rows = await query.orderBy('id').limit(limit).execute();
        return rows.map(accountFromRow) as PersonRows[typeof kind][];
      }
      if (kind === 'like') {
        let query = db.selectFrom('reactions').selectAll();
        if (from !== null) {
          const l = from as ExportedLike;
          query = query.where((eb) => eb(eb.refTuple('comment_id', 'guest_id'), '>', eb.tuple(l.commentId, l.personId)));
        }
        const rows = await query.orderBy('comment_id').orderBy('guest_id').limit(limit).execute();
        return rows.map((r) => ({ commentId: r.comment_id, personId: r.guest_id, createdAt: r.created_at })) as PersonRows[typeof kind][];
      }
      return page(TRANSFERS[kind as keyof typeof TRANSFERS] as Transfer<PersonRows[typeof kind]>, from, limit);
    },

    async addPersonRows({ kind, rows }) {
      type Answer = AddedPersonRows<typeof kind>;
      if (rows.length === 0) return { added: 0, missing: [], warnings: [] };
      if (kind === 'account') return (await addAccounts(rows as readonly ExportedAccount[])) as Answer;
      if (kind === 'like') return (await addLikes(rows as readonly ExportedLike[])) as Answer;
      if (kind === 'standing') return (await addPlain(TRANSFERS.standing, rows as readonly ExportedStanding[], mirrorStanding)) as Answer;
      if (kind === 'identity') return (await addPlain(TRANSFERS.identity, rows as readonly ExportedIdentity[], identityClashes)) as Answer;
      return (await addPlain(TRANSFERS[kind as keyof typeof TRANSFERS] as Transfer<PersonRows[typeof kind]>, rows)) as Answer;
    },
  };
}
