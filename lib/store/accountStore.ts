import type { Kysely, Transaction } from 'kysely';
import { ACCOUNT_ROLES, BADGES, displayNameKey, isStaffRole, type AccountRole, type Badge, type ProvenIdentity, type SignInMethod } from '../domain/identity';
import { newId } from '../domain/ids';
import type { Database, SessionsTable, UsersTable } from './schema';
import { isUniqueViolation } from './uniqueViolation';

/** @deprecated the name from when accounts were staff only: lib/domain/identity.ts AccountRole. */
export const ROLES = ACCOUNT_ROLES;
export type Role = AccountRole;

/** One person with an account: a commenter, a moderator or an admin (lib/domain/identity.ts). */
export interface User {
  id: string;
  /** The password sign-in's name (staff); for other accounts their id. Never shown to readers. */
  username: string;
  /** Shown next to their comments; unique per site. */
  displayName: string;
  role: Role;
  email: string | null;
  /** When the address was proven (a link followed, or a provider's word); null when never. */
  emailVerifiedAt: string | null;
  badges: Badge[];
  trusted: boolean;
  shadowBanned: boolean;
  createdAt: string;
  /** Set when an admin removed the account: it can no longer sign in. */
  removedAt: string | null;
}

export interface UserWithHash extends User {
  /** '' when the account has no password. */
  passwordHash: string;
}

export interface SessionUser {
  /** SHA-256 of the session token. */
  sessionId: string;
  user: User;
  /** When the session stops working (ISO time). */
  expiresAt: string;
}

/** One of a person's sessions, as their settings list them. */
export interface SessionInfo {
  id: string;
  method: SignInMethod | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
}

/** A sign-in method linked to an account (no secrets: a provider's subject and the address it gave). */
export interface LinkedIdentity {
  method: SignInMethod;
  provider: string;
  subject: string;
  email: string | null;
  createdAt: string;
  lastUsedAt: string;
}

/** Accounts, their sign-in methods, and their server-side (revocable) sessions. */
export interface AccountStore {
  /** Staff accounts that are not removed. */
  countUsers(): Promise<number>;
  /** Creates a staff account, or sets a new password and role on an existing one (and restores it if removed). */
  upsertUser(request: { username: string; passwordHash: string; role: Role }): Promise<{ user: User; created: boolean }>;
  findUserByUsername(username: string): Promise<UserWithHash | undefined>;
  findUserById(id: string): Promise<User | undefined>;
  /** Staff accounts (moderators and admins), removed ones too. */
  listUsers(): Promise<User[]>;
  /** Removes the account and revokes all its sessions; returns it, or undefined when there is none. */
  removeUser(username: string): Promise<User | undefined>;
  /** The accounts (not removed) whose display name folds like `name`, or whose address is `name`: at most one each. */
  findPeopleByNameOrEmail(name: string): Promise<User[]>;
  /** Gives the account another role (its sessions stay: they carry the new rights at once); undefined when there is none. */
  setRole(request: { userId: string; role: Role }): Promise<User | undefined>;
  /**
   * The account a proven identity signs in to: the one linked to it; else, when the provider vouches
   * for the address, the commenter account with that verified address (the identity is linked to it;
   * never a moderator's or an admin's, which a provider's word alone must not open); else a new
   * commenter account. SSO badges replace the account's. `created`: a new account was made.
   */
  accountForIdentity(identity: ProvenIdentity): Promise<{ user: User; created: boolean }>;
  listIdentities(userId: string): Promise<LinkedIdentity[]>;
  createSession(request: { id: string; userId: string; expiresAt: string; method?: SignInMethod; userAgent?: string | null }): Promise<void>;
  /** The live session's user: not revoked, not expired, account not removed. */
  findSession(request: { id: string; now: string }): Promise<SessionUser | undefined>;
  revokeSession(id: string): Promise<void>;
  /** The account's live sessions, newest first. */
  listSessions(request: { userId: string; now: string }): Promise<SessionInfo[]>;
  /** Revokes every live session of the account but `keep`; returns the revoked ids. */
  revokeSessions(request: { userId: string; keep?: string }): Promise<string[]>;
}

/** A users row's badges: unknown ones (a badge dropped from BADGES) are left out. */
export function parseBadges(text: string): Badge[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? BADGES.filter((b) => value.includes(b)) : [];
  } catch {
    return [];
  }
}

export function userFromRow(row: UsersTable): UserWithHash {
  const role = (ACCOUNT_ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'commenter';
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name ?? row.username,
    role,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    badges: parseBadges(row.badges),
    trusted: row.trusted === 1,
    shadowBanned: row.shadow_banned === 1,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    passwordHash: row.password_hash,
  };
}

/** A new staff member's row: trusted, no address, no badges (a password sign-in, or an import's staff). */
export function staffUserRow(user: { username: string; displayName: string; passwordHash: string; role: Role; createdAt: string; removedAt: string | null }): UsersTable {
  return {
    id: newId(),
    username: user.username,
    password_hash: user.passwordHash,
    role: user.role,
    created_at: user.createdAt,
    removed_at: user.removedAt,
    display_name: user.displayName,
    display_key: displayNameKey(user.displayName),
    email: null,
    email_verified_at: null,
    badges: '[]',
    trusted: 1,
    shadow_banned: 0,
  };
}

export function withoutHash({ passwordHash: _hash, ...user }: UserWithHash): User {
  return user;
}

/** Free names are tried in this order: the wish, then the wish with a number. */
const NAME_TRIES = 50;

function fallbackName(identity: ProvenIdentity): string {
  const local = identity.email?.split('@')[0]?.trim();
  return local && local.length >= 1 ? local.slice(0, 40) : 'Reader';
}

function sessionFromRow(row: SessionsTable): SessionInfo {
  return {
    id: row.id,
    method: (row.method as SignInMethod | null) ?? null,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

export function createAccountStore(db: Kysely<Database>, now: () => string): AccountStore {
  /** A new commenter account named after `wish`, or after it with a number when the name is taken. */
  async function insertCommenter(trx: Transaction<Database>, identity: ProvenIdentity, wish: string): Promise<UsersTable> {
    const id = newId();
    let name: string | undefined;
    for (let i = 0; i < NAME_TRIES && name === undefined; i++) {
      const tried = i === 0 ? wish : `${wish} ${i + 1}`;
      const taken = await trx.selectFrom('users').select('id').where('display_key', '=', displayNameKey(tried)).executeTakeFirst();
      if (!taken) name = tried;
    }
    // Fifty people of one name: the id tells this one apart.
    name ??= `${wish} ${id.slice(0, 6)}`;
    const at = now();
    const row: UsersTable = {
      id,
      username: id,
      password_hash: '',
      role: 'commenter',
      created_at: at,
      removed_at: null,
      display_name: name,
      display_key: displayNameKey(name),
      email: identity.email,
      email_verified_at: identity.email && identity.emailVerified ? at : null,
      badges: JSON.stringify(identity.badges ?? []),
      trusted: 0,
      shadow_banned: 0,
    };
    await trx.insertInto('users').values(row).execute();
    return row;
  }

  async function linkIdentity(trx: Transaction<Database>, userId: string, identity: ProvenIdentity): Promise<void> {
    const at = now();
    await trx
      .insertInto('identities')
      .values({ provider: identity.provider, subject: identity.subject, user_id: userId, method: identity.method, email: identity.email, created_at: at, last_used_at: at })
      .execute();
  }

  async function findOrCreate(identity: ProvenIdentity): Promise<{ user: User; created: boolean }> {
    return db.transaction().execute(async (trx) => {
      const linked = await trx
        .selectFrom('identities as i')
        .innerJoin('users as u', 'u.id', 'i.user_id')
        .selectAll('u')
        .where('i.provider', '=', identity.provider)
        .where('i.subject', '=', identity.subject)
        .executeTakeFirst();
      if (linked) {
        await trx.updateTable('identities').set({ last_used_at: now(), email: identity.email }).where('provider', '=', identity.provider).where('subject', '=', identity.subject).execute();
        const updated = await refresh(trx, linked, identity);
        return { user: withoutHash(userFromRow(updated)), created: false };
      }
      if (identity.email && identity.emailVerified) {
        const byEmail = await trx
          .selectFrom('users')
          .selectAll()
          .where('email', '=', identity.email)
          .where('email_verified_at', 'is not', null)
          // A staff account is never taken over by an address another provider vouches for: its methods are linked by hand.
          .where('role', '=', 'commenter')
          .orderBy('created_at')
          .executeTakeFirst();
        if (byEmail) {
          await linkIdentity(trx, byEmail.id, identity);
          const updated = await refresh(trx, byEmail, identity);
          return { user: withoutHash(userFromRow(updated)), created: false };
        }
      }
      const wish = identity.name?.trim() || fallbackName(identity);
      const row = await insertCommenter(trx, identity, wish);
      await linkIdentity(trx, row.id, identity);
      return { user: withoutHash(userFromRow(row)), created: true };
    });
  }

  /** What a sign-in may change on the account: SSO's badges, and an address the provider now vouches for. */
  async function refresh(trx: Transaction<Database>, row: UsersTable, identity: ProvenIdentity): Promise<UsersTable> {
    const set: Partial<UsersTable> = {};
    if (identity.badges) set.badges = JSON.stringify(identity.badges);
    if (identity.email && identity.emailVerified && (row.email !== identity.email || row.email_verified_at === null)) {
      set.email = identity.email;
      set.email_verified_at = now();
    }
    if (Object.keys(set).length === 0) return row;
    return trx.updateTable('users').set(set).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  }

  return {
    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('removed_at', 'is', null)
        .where('role', 'in', ['moderator', 'admin'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async upsertUser({ username, passwordHash, role }) {
      return db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
        if (existing) {
          const row = await trx
            .updateTable('users')
            .set({ password_hash: passwordHash, role, removed_at: null })
            .where('id', '=', existing.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          // A new password ends the sessions opened with the old one.
          await trx.updateTable('sessions').set({ revoked_at: now() }).where('user_id', '=', existing.id).where('revoked_at', 'is', null).execute();
          return { user: withoutHash(userFromRow(row)), created: false };
        }
        // A staff member's display name is their username, unless a commenter holds it: then it gets a mark.
        const nameTaken = await trx.selectFrom('users').select('id').where('display_key', '=', displayNameKey(username)).executeTakeFirst();
        const displayName = nameTaken ? `${username} (${role})` : username;
        const row = staffUserRow({ username, displayName, passwordHash, role, createdAt: now(), removedAt: null });
        await trx.insertInto('users').values(row).execute();
        return { user: withoutHash(userFromRow(row)), created: true };
      });
    },

    async findUserByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    },

    async findUserById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? withoutHash(userFromRow(row)) : undefined;
    },

    async listUsers() {
      const rows = await db.selectFrom('users').selectAll().where('role', 'in', ['moderator', 'admin']).orderBy('username').execute();
      return rows.map((r) => withoutHash(userFromRow(r)));
    },

    async removeUser(username) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('users').set({ removed_at: now() }).where('username', '=', username).returningAll().executeTakeFirst();
        if (!row) return undefined;
        await trx.updateTable('sessions').set({ revoked_at: now() }).where('user_id', '=', row.id).where('revoked_at', 'is', null).execute();
        return withoutHash(userFromRow(row));
      });
    },

    async findPeopleByNameOrEmail(name) {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('removed_at', 'is', null)
        .where((eb) => eb.or([eb('display_key', '=', displayNameKey(name)), eb('email', '=', name.trim().toLowerCase()), eb('username', '=', name)]))
        .orderBy('created_at')
        .execute();
      return rows.map((r) => withoutHash(userFromRow(r)));
    },

    async setRole({ userId, role }) {
      const row = await db.updateTable('users').set({ role }).where('id', '=', userId).returningAll().executeTakeFirst();
      return row ? withoutHash(userFromRow(row)) : undefined;
    },

    async accountForIdentity(identity) {
      try {
        return await findOrCreate(identity);
      } catch (err) {
        // Two first sign-ins of one identity at once: the second finds the first's account.
        if (isUniqueViolation(err)) return findOrCreate(identity);
        throw err;
      }
    },

    async listIdentities(userId) {
      const rows = await db.selectFrom('identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
      return rows.map((r) => ({ method: r.method as SignInMethod, provider: r.provider, subject: r.subject, email: r.email, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
    },

    async createSession({ id, userId, expiresAt, method, userAgent }) {
      const at = now();
      await db
        .insertInto('sessions')
        .values({ id, user_id: userId, created_at: at, expires_at: expiresAt, revoked_at: null, method: method ?? null, user_agent: userAgent?.slice(0, 200) ?? null, last_seen_at: at })
        .execute();
    },

    async findSession({ id, now: at }) {
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .selectAll('u')
        .select(['s.id as session_id', 's.expires_at as session_expires_at'])
        .where('s.id', '=', id)
        .where('s.revoked_at', 'is', null)
        .where('s.expires_at', '>', at)
        .where('u.removed_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      const { session_id, session_expires_at, ...user } = row;
      return { sessionId: session_id, expiresAt: session_expires_at, user: withoutHash(userFromRow(user)) };
    },

    async revokeSession(id) {
      await db.updateTable('sessions').set({ revoked_at: now() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    async listSessions({ userId, now: at }) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(sessionFromRow);
    },

    async revokeSessions({ userId, keep }) {
      let query = db.updateTable('sessions').set({ revoked_at: now() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (keep) query = query.where('id', '!=', keep);
      const rows = await query.returning('id').execute();
      return rows.map((r) => r.id);
    },
  };
}

export { isStaffRole };
