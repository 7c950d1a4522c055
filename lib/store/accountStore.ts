import type { Kysely } from 'kysely';
import { newId } from '../domain/ids';
import type { Database, UsersTable } from './schema';

export const ROLES = ['moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
  /** Set when an admin removed the account: it can no longer log in. */
  removedAt: string | null;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface SessionUser {
  /** SHA-256 of the session token. */
  sessionId: string;
  user: User;
  /** When the session stops working (ISO time). */
  expiresAt: string;
}

/** Moderator and admin accounts, and their server-side (revocable) sessions. */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** Creates the account, or sets a new password and role on an existing one (and restores it if removed). */
  upsertUser(request: { username: string; passwordHash: string; role: Role }): Promise<{ user: User; created: boolean }>;
  findUserByUsername(username: string): Promise<UserWithHash | undefined>;
  listUsers(): Promise<User[]>;
  /** Removes the account and revokes all its sessions; returns it, or undefined when there is none. */
  removeUser(username: string): Promise<User | undefined>;
  createSession(request: { id: string; userId: string; expiresAt: string }): Promise<void>;
  /** The live session's user: not revoked, not expired, account not removed. */
  findSession(request: { id: string; now: string }): Promise<SessionUser | undefined>;
  revokeSession(id: string): Promise<void>;
}

function userFromRow(row: UsersTable): UserWithHash {
  const role = (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'moderator';
  return { id: row.id, username: row.username, role, createdAt: row.created_at, removedAt: row.removed_at, passwordHash: row.password_hash };
}

function withoutHash({ passwordHash: _hash, ...user }: UserWithHash): User {
  return user;
}

export function createAccountStore(db: Kysely<Database>, now: () => string): AccountStore {
  return {
    async countUsers() {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('removed_at', 'is', null).executeTakeFirstOrThrow();
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
        const row = { id: newId(), username, password_hash: passwordHash, role, created_at: now(), removed_at: null };
        await trx.insertInto('users').values(row).execute();
        return { user: withoutHash(userFromRow(row)), created: true };
      });
    },

    async findUserByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    },

    async listUsers() {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
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

    async createSession({ id, userId, expiresAt }) {
      await db.insertInto('sessions').values({ id, user_id: userId, created_at: now(), expires_at: expiresAt, revoked_at: null }).execute();
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
  };
}
