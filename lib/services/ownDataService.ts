import { RenameRequestSchema, type OwnAccount } from '../contract/ownData';
import { AppError } from '../domain/errors';
import { parseOrThrow } from '../domain/validation';
import type { SessionInfo, User } from '../store/accountStore';
import type { PersonExport, ThreadChange } from '../store/personData';
import type { Store } from '../store/store';
import type { AccountChange } from './authService';
import type { EventBus, PublishedEvent } from './eventBus';
import type { QueueChange } from './moderationService';
import { consumeOrThrow, type RateLimiter } from './rateLimiter';

/** One of the person's sessions as their settings show it. */
export interface SessionView {
  id: string;
  method: SessionInfo['method'];
  /** The browser, shortened to what a person recognises ("Firefox on Linux"). */
  browser: string;
  createdAt: string;
  lastSeenAt: string | null;
  current: boolean;
}

/** Who deletes an account: the person themself, or an admin on their request. */
export type Eraser = { self: true } | { self: false; admin: User };

export interface OwnDataService {
  /** Changes the display name (rate-limited per account, audited); their comments show the new one at once. */
  rename(request: { user: User; displayName: unknown }): Promise<User>;
  listSessions(request: { user: User; currentSessionId: string }): Promise<SessionView[]>;
  /** Ends every session of the account but this one; returns how many ended. */
  signOutOthers(request: { user: User; currentSessionId: string }): Promise<number>;
  /** Ends one of the account's sessions (`session_not_found` when it is not theirs or not live). */
  signOut(request: { user: User; sessionId: string }): Promise<void>;
  /** Everything about the person (`person_not_found` when there is no such account). */
  exportData(userId: string): Promise<PersonExport>;
  /** Deletes the account and its personal data; their comments stay as deleted placeholders. */
  erase(request: { userId: string; by: Eraser }): Promise<void>;
  /** How many comments this browser's guest wrote (offered to claim). */
  guestComments(guestId: string | null): Promise<number>;
  claimGuest(request: { guestId: string; user: User }): Promise<{ comments: number; likes: number; reports: number }>;
}

/** "Firefox on Linux" from a User-Agent; "Unknown browser" when it says nothing we know. */
export function shortBrowser(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux|X11/.test(userAgent)
            ? 'Linux'
            : null;
  if (!browser) return os ? `A browser on ${os}` : userAgent.slice(0, 40);
  return os ? `${browser} on ${os}` : browser;
}

/** The account as its own settings show it (no secrets, nothing moderators keep). */
export function ownAccount(user: User): OwnAccount {
  return { id: user.id, displayName: user.displayName, email: user.email, role: user.role, badges: user.badges, createdAt: user.createdAt };
}

export function createOwnDataService(deps: {
  store: Store;
  bus: EventBus<PublishedEvent>;
  accountBus: EventBus<AccountChange>;
  queueBus: EventBus<QueueChange>;
  /** A comment's item on the moderators' queue now (lib/services/moderationService.ts). */
  queueItem: (commentId: string) => Promise<QueueChange['item']>;
  /** Display-name changes per account. */
  renames: RateLimiter;
  now?: () => number;
}): OwnDataService {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const publish = (changes: ThreadChange[]) => changes.forEach((change) => deps.bus.publish(change));

  return {
    async rename({ user, displayName }) {
      const { displayName: name } = parseOrThrow(RenameRequestSchema, { displayName });
      if (name === user.displayName) return user;
      await consumeOrThrow(deps.renames, `rename:${user.id}`, 'You have changed your name too often. Please try again tomorrow.');
      try {
        const result = await store.ownData.renameAccount({ userId: user.id, displayName: name });
        publish(result.changes);
        return result.user;
      } catch (err) {
        // A refused name costs no change.
        await deps.renames.refund(`rename:${user.id}`);
        throw err;
      }
    },

    async listSessions({ user, currentSessionId }) {
      const sessions = await store.accounts.listSessions({ userId: user.id, now: new Date(now()).toISOString() });
      return sessions.map((s) => ({ id: s.id, method: s.method, browser: shortBrowser(s.userAgent), createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, current: s.id === currentSessionId }));
    },

    async signOutOthers({ user, currentSessionId }) {
      const revoked = await store.accounts.revokeSessions({ userId: user.id, keep: currentSessionId });
      for (const sessionId of revoked) deps.accountBus.publish({ type: 'session.revoked', sessionId });
      return revoked.length;
    },

    async signOut({ user, sessionId }) {
      const live = await store.accounts.listSessions({ userId: user.id, now: new Date(now()).toISOString() });
      if (!live.some((s) => s.id === sessionId)) throw new AppError('session_not_found');
      await store.accounts.revokeSession(sessionId);
      deps.accountBus.publish({ type: 'session.revoked', sessionId });
    },

    async exportData(userId) {
      const data = await store.ownData.exportPerson(userId);
      if (!data) throw new AppError('person_not_found');
      return data;
    },

    async erase({ userId, by }) {
      const audit = by.self
        ? // The entry outlives the person: it says an account was deleted, not whose.
          { actorId: null, actorName: 'self', action: 'account.delete', target: null }
        : { actorId: by.admin.id, actorName: by.admin.username, action: 'person.delete', target: userId };
      if (!by.self && by.admin.id === userId) throw new AppError('forbidden', { message: 'Delete your own account from your settings.' });
      // A site must keep someone who can manage it: an admin's account is deleted by another admin.
      if (by.self && (await store.accounts.findUserById(userId))?.role === 'admin') throw new AppError('forbidden', { message: 'An admin’s account is deleted by another admin.' });
      const result = await store.ownData.erasePerson({ userId, audit });
      publish(result.changes);
      deps.accountBus.publish({ type: 'user.revoked', userId });
      for (const sessionId of result.sessionIds) deps.accountBus.publish({ type: 'session.revoked', sessionId });
      for (const commentId of result.queueChanged) deps.queueBus.publish({ commentId, item: await deps.queueItem(commentId) });
    },

    async guestComments(guestId) {
      return guestId ? store.ownData.countGuestComments(guestId) : 0;
    },

    async claimGuest({ guestId, user }) {
      if (guestId === user.id) return { comments: 0, likes: 0, reports: 0 };
      const { changes, ...counts } = await store.ownData.claimGuest({ guestId, userId: user.id });
      publish(changes);
      return counts;
    },
  };
}
