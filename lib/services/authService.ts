import { createHash, randomBytes } from 'node:crypto';
import { UsernameSchema } from '../contract/api';
import { AppError } from '../domain/errors';
import type { Role, SessionUser, User } from '../store/accountStore';
import type { Store } from '../store/store';
import type { EventBus } from './eventBus';
import { generatePassword, hashPassword, OWASP_COST, verifyPassword, type PasswordCost } from './passwords';
import { consumeOrThrow, type RateLimiter } from './rateLimiter';

/** How long a moderator stays signed in. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Told to every node, so each can take rights away from open sockets at once. */
export type AccountChange = { type: 'session.revoked'; sessionId: string } | { type: 'user.revoked'; userId: string };

export interface AuthService {
  /** A new session token (to put in the cookie; only its hash is stored). */
  login(request: { username: string; password: string; clientKey: string }): Promise<{ token: string; user: User; expiresAt: string }>;
  logout(token: string): Promise<void>;
  /** The signed-in moderator or admin behind a session token, checked against the store every time. */
  authenticate(token: string | null | undefined): Promise<SessionUser | null>;
  upsertUser(request: { username: string; password: string; role: Role }): Promise<{ user: User; created: boolean }>;
  removeUser(request: { username: string; actor: User }): Promise<User>;
  listUsers(): Promise<User[]>;
  /** On a store with no accounts: creates `admin` with a random password and returns it (to print once). */
  ensureFirstAdmin(): Promise<{ username: string; password: string } | null>;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createAuthService(deps: {
  store: Store;
  accountBus: EventBus<AccountChange>;
  loginLimiters: { byAddress: RateLimiter; byUsername: RateLimiter };
  passwordCost?: PasswordCost;
  now?: () => number;
}): AuthService {
  const { store } = deps;
  const accounts = store.accounts;
  const now = deps.now ?? Date.now;
  const cost = deps.passwordCost ?? OWASP_COST;
  // Verifying against this when the username is unknown takes as long as a real check.
  const decoy = hashPassword(generatePassword(), cost);

  return {
    async login({ username, password, clientKey }) {
      const message = 'Too many sign-in attempts. Wait a minute and try again.';
      await consumeOrThrow(deps.loginLimiters.byAddress, `login:${clientKey}`, message);
      await consumeOrThrow(deps.loginLimiters.byUsername, `login-user:${username.toLowerCase()}`, message);
      const user = await accounts.findUserByUsername(username.toLowerCase());
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
      if (!user || !ok || user.removedAt !== null) throw new AppError('invalid_credentials');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now() + SESSION_TTL_MS).toISOString();
      await accounts.createSession({ id: sessionIdOf(token), userId: user.id, expiresAt });
      const { passwordHash: _hash, ...publicUser } = user;
      await store.moderation.appendAudit({ actorId: user.id, actorName: user.username, action: 'auth.login' });
      return { token, user: publicUser, expiresAt };
    },

    async logout(token) {
      const sessionId = sessionIdOf(token);
      await accounts.revokeSession(sessionId);
      deps.accountBus.publish({ type: 'session.revoked', sessionId });
    },

    async authenticate(token) {
      if (!token) return null;
      return (await accounts.findSession({ id: sessionIdOf(token), now: new Date(now()).toISOString() })) ?? null;
    },

    async upsertUser({ username, password, role }) {
      const name = UsernameSchema.safeParse(username.toLowerCase());
      if (!name.success) throw new AppError('invalid_request', { fields: { username: name.error.issues.map((i) => i.message) } });
      if (password.length < 12) throw new AppError('invalid_request', { fields: { password: ['must be at least 12 characters'] } });
      const result = await accounts.upsertUser({ username: name.data, passwordHash: await hashPassword(password, cost), role });
      if (!result.created) deps.accountBus.publish({ type: 'user.revoked', userId: result.user.id });
      return result;
    },

    async removeUser({ username, actor }) {
      if (username === actor.username) throw new AppError('forbidden', { message: 'You cannot remove your own account.' });
      const user = await accounts.removeUser(username);
      if (!user) throw new AppError('user_not_found');
      await store.moderation.appendAudit({ actorId: actor.id, actorName: actor.username, action: 'user.remove', target: username });
      deps.accountBus.publish({ type: 'user.revoked', userId: user.id });
      return user;
    },

    listUsers: () => accounts.listUsers(),

    async ensureFirstAdmin() {
      if ((await accounts.countUsers()) > 0) return null;
      const password = generatePassword();
      await accounts.upsertUser({ username: 'admin', passwordHash: await hashPassword(password, cost), role: 'admin' });
      return { username: 'admin', password };
    },
  };
}
