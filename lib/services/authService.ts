import { createHash, randomBytes } from 'node:crypto';
import { UsernameSchema } from '../contract/api';
import { signDeviceToken, verifyDeviceToken } from '../domain/deviceToken';
import { AppError } from '../domain/errors';
import { isStaffRole, type ProvenIdentity } from '../domain/identity';
import type { Role, SessionUser, User, UserWithHash } from '../store/accountStore';
import type { Store } from '../store/store';
import type { EventBus } from './eventBus';
import { generatePassword, type Passwords } from './passwords';
import { admitSignIn, type SignInLimiters } from './signInGate';
import { CappedMap } from '../domain/cappedMap';

/** How long a session lasts (a commenter's or a moderator's). */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A session's `last_seen_at` is at most this stale (one write per session per interval, per node at most). */
export const SESSION_SEEN_EVERY_MS = 5 * 60 * 1000;
/** Sessions whose last mark this node remembers; past it, it forgets them all (one extra write each, at worst). */
const SEEN_REMEMBERED = 10_000;

/** Told to every node, so each can take rights away from open sockets at once. */
export type AccountChange = { type: 'session.revoked'; sessionId: string } | { type: 'user.revoked'; userId: string };

export interface AuthService {
  /**
   * A new session token (to put in the cookie; only its hash is stored), and the device token
   * for this browser to keep (lib/domain/deviceToken.ts): `deviceToken` is the one it sent, if any.
   */
  login(request: { username: string; password: string; clientKey: string; deviceToken?: string | undefined }): Promise<{
    token: string;
    user: User;
    expiresAt: string;
    deviceToken: string;
  }>;
  /**
   * Signs in the account a sign-in method proved (SSO, an email link, OpenID Connect), making
   * it on first sign-in: a new session token, as `login` gives.
   */
  signInWith(request: { identity: ProvenIdentity; userAgent?: string | undefined }): Promise<{ token: string; user: User; expiresAt: string; created: boolean }>;
  /**
   * A new session for an account already proved elsewhere (the embed's frame, handed a one-time
   * code by the sign-in popup: lib/services/signIn/frameCodes.ts); `account_removed` for a closed one.
   */
  signInAccount(request: { userId: string; method: ProvenIdentity['method']; userAgent?: string | undefined }): Promise<{ token: string; user: User; expiresAt: string }>;
  logout(token: string): Promise<void>;
  /** The signed-in moderator or admin behind a session token, checked against the store every time; null for a commenter's session. */
  authenticate(token: string | null | undefined): Promise<SessionUser | null>;
  /** The signed-in person (any role) behind a session token, checked against the store every time. */
  person(token: string | null | undefined): Promise<SessionUser | null>;
  upsertUser(request: { username: string; password: string; role: Role }): Promise<{ user: User; created: boolean }>;
  removeUser(request: { username: string; actor: User }): Promise<User>;
  /**
   * An admin makes an account a moderator (or an admin, or a commenter again): audited, never on
   * oneself, and told to every node so open sockets get or lose their rights at once.
   */
  setRole(request: { userId: string; role: Role; actor: User | 'command line' }): Promise<User>;
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
  loginLimiters: SignInLimiters;
  passwords: Passwords;
  /** Signs the device tokens. */
  sessionSecret: string;
  now?: () => number;
}): AuthService {
  const { store, passwords } = deps;
  const accounts = store.accounts;
  const now = deps.now ?? Date.now;

  async function openSession(userId: string, method: ProvenIdentity['method'], userAgent?: string): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now() + SESSION_TTL_MS).toISOString();
    await accounts.createSession({ id: sessionIdOf(token), userId, expiresAt, method, userAgent: userAgent ?? null });
    return { token, expiresAt };
  }

  /** When this node last marked each session seen: the list of sessions needs "last seen", not a write per request. */
  const seen = new CappedMap<string, number>(SEEN_REMEMBERED);

  function markSeen(sessionId: string): void {
    const at = now();
    if (at - (seen.get(sessionId) ?? 0) < SESSION_SEEN_EVERY_MS) return;
    seen.set(sessionId, at);
    // Other nodes may have marked it meanwhile: the write is skipped when the row is recent enough already.
    void store.ownData.touchSession({ id: sessionId, unlessSeenAfter: new Date(at - SESSION_SEEN_EVERY_MS).toISOString() }).catch(() => seen.delete(sessionId));
  }

  async function findPerson(token: string | null | undefined): Promise<SessionUser | null> {
    if (!token) return null;
    const session = (await accounts.findSession({ id: sessionIdOf(token), now: new Date(now()).toISOString() })) ?? null;
    if (session) markSeen(session.sessionId);
    return session;
  }

  return {
    async login({ username, password, clientKey, deviceToken }) {
      const name = username.toLowerCase();
      const deviceId = verifyDeviceToken(deviceToken, name, deps.sessionSecret);
      const admission = await admitSignIn(deps.loginLimiters, passwords.reserve, { username: name, clientKey, deviceId });
      let user: UserWithHash | undefined;
      let ok: boolean;
      try {
        user = await accounts.findUserByUsername(name);
        // An unknown username is checked against a decoy: the answer takes as long, and costs the same.
        ok = await passwords.verify(password, user?.passwordHash || undefined, admission.ticket);
      } catch (err) {
        await admission.giveBack();
        throw err;
      }
      if (!user || !ok || user.removedAt !== null) throw new AppError('invalid_credentials');
      await admission.succeeded();
      const { token, expiresAt } = await openSession(user.id, 'password');
      const { passwordHash: _hash, ...publicUser } = user;
      await store.moderation.appendAudit({ actorId: user.id, actorName: user.username, action: 'auth.login' });
      return { token, user: publicUser, expiresAt, deviceToken: signDeviceToken(name, deps.sessionSecret, deviceId ?? undefined) };
    },

    async signInWith({ identity, userAgent }) {
      const { user, created } = await accounts.accountForIdentity(identity);
      if (user.removedAt !== null) throw new AppError('account_removed');
      const { token, expiresAt } = await openSession(user.id, identity.method, userAgent);
      await store.moderation.appendAudit({ actorId: user.id, actorName: user.displayName, action: created ? 'account.create' : 'auth.login', details: { method: identity.method, provider: identity.provider } });
      return { token, user, expiresAt, created };
    },

    async signInAccount({ userId, method, userAgent }) {
      const user = await accounts.findUserById(userId);
      if (!user || user.removedAt !== null) throw new AppError('account_removed');
      const { token, expiresAt } = await openSession(user.id, method, userAgent);
      return { token, user, expiresAt };
    },

    async logout(token) {
      const sessionId = sessionIdOf(token);
      await accounts.revokeSession(sessionId);
      deps.accountBus.publish({ type: 'session.revoked', sessionId });
    },

    async authenticate(token) {
      const session = await findPerson(token);
      return session && isStaffRole(session.user.role) ? session : null;
    },

    person: findPerson,

    async upsertUser({ username, password, role }) {
      const name = UsernameSchema.safeParse(username.toLowerCase());
      if (!name.success) throw new AppError('invalid_request', { fields: { username: name.error.issues.map((i) => i.message) } });
      if (password.length < 12) throw new AppError('invalid_request', { fields: { password: ['must be at least 12 characters'] } });
      const result = await accounts.upsertUser({ username: name.data, passwordHash: await passwords.hash(password), role });
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

    async setRole({ userId, role, actor }) {
      if (actor !== 'command line' && userId === actor.id) throw new AppError('forbidden', { message: 'You cannot change your own role.' });
      const before = await accounts.findUserById(userId);
      if (!before || before.removedAt !== null) throw new AppError('user_not_found', { message: 'No account has that id.' });
      const user = await accounts.setRole({ userId, role });
      if (!user) throw new AppError('user_not_found', { message: 'No account has that id.' });
      const by = actor === 'command line' ? { actorId: null, actorName: 'npm run user:role' } : { actorId: actor.id, actorName: actor.username };
      await store.moderation.appendAudit({ ...by, action: 'user.role', target: user.id, details: { from: before.role, to: role } });
      // Nothing is revoked: sockets re-read the account on this event, so a new moderator's desk opens and a former one's closes.
      deps.accountBus.publish({ type: 'user.revoked', userId: user.id });
      return user;
    },

    listUsers: () => accounts.listUsers(),

    async ensureFirstAdmin() {
      if ((await accounts.countUsers()) > 0) return null;
      const password = generatePassword();
      await accounts.upsertUser({ username: 'admin', passwordHash: await passwords.hash(password), role: 'admin' });
      return { username: 'admin', password };
    },
  };
}
