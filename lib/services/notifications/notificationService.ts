import type { MarkReadRequest, MutedPersonWire, MuteMergeResponse, NotificationList, ThreadWatchWire } from '../../contract/notifications';
import { authorKey } from '../../domain/authorKey';
import { NOTIFICATIONS_PAGE_DEFAULT } from '../../contract/notifications';
import { AppError } from '../../domain/errors';
import type { ThreadWatchMode } from '../../domain/notifications';
import type { NotificationBefore } from '../../store/notificationStore';
import type { Store } from '../../store/store';
import type { EventBus } from '../eventBus';
import { parseThreadCursor, threadCursorOf } from '../pageCursor';
import type { NoticeDelivery } from './notifier';
import { toNotificationItem } from './view';

/**
 * A signed-in person's bell and their notice settings (docs/notifications.md): what the HTTP API, the
 * settings page and its no-JavaScript forms call. Every call is about the caller's own account.
 */
export interface NotificationService {
  list(request: { userId: string; before?: string; limit?: number }): Promise<NotificationList>;
  unread(userId: string): Promise<number>;
  /** Their other devices hear the new count at once. */
  markRead(request: { userId: string } & { read: MarkReadRequest }): Promise<{ marked: number; unread: number }>;
  mutes(userId: string): Promise<MutedPersonWire[]>;
  isMuted(request: { userId: string; personId: string }): Promise<boolean>;
  /** Throws `cannot_mute_self`, `person_not_found` (an account, or a guest who left a trace here). */
  mute(request: { userId: string; personId: string }): Promise<void>;
  /** By display name (an open account's); throws `person_not_found`, `cannot_mute_self`. Answers the person's id. */
  muteByName(request: { userId: string; displayName: string }): Promise<string>;
  /** Mutes the author of a visible comment (an account or a guest); throws `comment_not_found`, `cannot_mute_self`. */
  muteAuthorOf(request: { userId: string; commentId: string }): Promise<void>;
  /** A guest's browser mutes, merged on sign-in: each comment's author muted; those that name nobody mutable are skipped, not refused. */
  muteAuthorsOf(request: { userId: string; commentIds: readonly string[] }): Promise<MuteMergeResponse>;
  unmute(request: { userId: string; personId: string }): Promise<void>;
  watches(userId: string): Promise<ThreadWatchWire[]>;
  /** Throws `thread_not_found` (a hidden thread does not exist for readers). */
  watchOf(request: { userId: string; slug: string }): Promise<ThreadWatchMode | null>;
  watch(request: { userId: string; slug: string; mode: ThreadWatchMode }): Promise<void>;
  unwatch(request: { userId: string; slug: string }): Promise<void>;
}

/** A page's cursor is a thread list's (the same keyset: a time and an id), refused under its own name. */
function parseBefore(before: string | undefined): NotificationBefore | undefined {
  try {
    return parseThreadCursor(before);
  } catch {
    throw new AppError('invalid_request', { fields: { before: ['must be a cursor returned as next'] } });
  }
}

export function createNotificationService(deps: { store: Store; deliveries: EventBus<NoticeDelivery>; now?: () => number }): NotificationService {
  const { store } = deps;
  const notices = store.notifications;
  const at = () => new Date((deps.now ?? Date.now)()).toISOString();

  async function unread(userId: string): Promise<number> {
    return (await notices.unreadCounts({ recipientIds: [userId], at: at() })).get(userId) ?? 0;
  }

  async function visibleThread(slug: string) {
    const thread = await store.findThreadRowBySlug(slug);
    if (!thread || thread.hidden) throw new AppError('thread_not_found');
    return thread;
  }

  async function checkMutable(userId: string, personId: string): Promise<void> {
    if (personId === userId) throw new AppError('cannot_mute_self');
    const account = await store.accounts.findUserById(personId);
    if (account ? account.removedAt !== null : !(await store.people.knownGuest(personId))) throw new AppError('person_not_found');
  }

  async function muteAuthorOf(userId: string, commentId: string): Promise<void> {
    const comment = await store.findComment({ id: commentId });
    const thread = comment ? await store.findThreadById(comment.threadId) : undefined;
    if (!comment || comment.status !== 'visible' || comment.authorGuestId === null || !thread || thread.hidden) throw new AppError('comment_not_found');
    if (comment.authorGuestId === userId) throw new AppError('cannot_mute_self');
    await notices.mute({ ownerId: userId, mutedId: comment.authorGuestId, at: at() });
  }

  /** With each person's author key: a page folds their comments by it (issue 19). */
  async function mutes(userId: string): Promise<MutedPersonWire[]> {
    return (await notices.listMutes(userId)).map((m) => ({ ...m, authorKey: authorKey(m.personId) }));
  }

  return {
    async list({ userId, before, limit = NOTIFICATIONS_PAGE_DEFAULT }) {
      const now = at();
      const [rows, count] = await Promise.all([notices.list({ recipientId: userId, before: parseBefore(before), limit: limit + 1, at: now }), unread(userId)]);
      const shown = rows.slice(0, limit);
      const last = shown.at(-1);
      return { notifications: shown.map(toNotificationItem), next: rows.length > limit && last ? threadCursorOf(last) : null, unread: count };
    },

    unread,

    async markRead({ userId, read }) {
      const marked = await notices.markRead({ recipientId: userId, ids: 'all' in read ? 'all' : read.ids, at: at() });
      const count = await unread(userId);
      if (marked > 0) deps.deliveries.publish({ recipientId: userId, unread: count, notification: null });
      return { marked, unread: count };
    },

    mutes,

    isMuted: ({ userId, personId }) => notices.isMuted({ ownerId: userId, mutedId: personId }),

    async mute({ userId, personId }) {
      await checkMutable(userId, personId);
      await notices.mute({ ownerId: userId, mutedId: personId, at: at() });
    },

    async muteByName({ userId, displayName }) {
      const personId = await notices.accountIdByName(displayName);
      if (!personId) throw new AppError('person_not_found', { fields: { displayName: ['no account goes by this name'] } });
      await checkMutable(userId, personId);
      await notices.mute({ ownerId: userId, mutedId: personId, at: at() });
      return personId;
    },

    muteAuthorOf: ({ userId, commentId }) => muteAuthorOf(userId, commentId),

    async muteAuthorsOf({ userId, commentIds }) {
      const skipped: string[] = [];
      let merged = 0;
      for (const commentId of new Set(commentIds)) {
        try {
          await muteAuthorOf(userId, commentId);
          merged++;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          skipped.push(commentId);
        }
      }
      return { merged, skipped, mutes: await mutes(userId) };
    },

    async unmute({ userId, personId }) {
      await notices.unmute({ ownerId: userId, mutedId: personId });
    },

    async watches(userId) {
      return (await notices.listWatches(userId)).map((w) => ({ slug: w.thread.slug, title: w.thread.title, mode: w.mode, createdAt: w.createdAt }));
    },

    async watchOf({ userId, slug }) {
      return notices.watchOf({ ownerId: userId, threadId: (await visibleThread(slug)).id });
    },

    async watch({ userId, slug, mode }) {
      await notices.setWatch({ ownerId: userId, threadId: (await visibleThread(slug)).id, mode, at: at() });
    },

    async unwatch({ userId, slug }) {
      // A watch of a thread since hidden can still be dropped: only a slug that names nothing is refused.
      const thread = await store.findThreadRowBySlug(slug);
      if (!thread) throw new AppError('thread_not_found');
      await notices.clearWatch({ ownerId: userId, threadId: thread.id });
    },
  };
}
