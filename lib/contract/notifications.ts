import { AuthorNameSchema, CommentIdSchema, ThreadCursorSchema } from './api';
import { z } from './zod';
import { MODERATION_DECISIONS, NOTIFICATION_KINDS, THREAD_WATCH_MODES } from '../domain/notifications';

/** The bell and its settings (docs/notifications.md, docs/api.md "Notifications"): the shapes of /api/me/notifications, /api/me/mutes, /api/me/threads. */

/** The kinds the bell lists (a followed thread's news goes to the daily digest alone). */
type BellKind = Exclude<(typeof NOTIFICATION_KINDS)[number], 'followed'>;
export const BELL_KINDS = NOTIFICATION_KINDS.filter((k): k is BellKind => k !== 'followed') as [BellKind, ...BellKind[]];

/** Notices per page of the bell's list, at most (and by default). */
export const NOTIFICATIONS_PAGE_MAX = 50;
export const NOTIFICATIONS_PAGE_DEFAULT = 20;

export const NotificationItemSchema = z.object({
  id: z.string(),
  kind: z.enum(BELL_KINDS),
  thread: z.object({ slug: z.string(), title: z.string() }),
  commentId: z.string(),
  /** Where the comment is: its branch's page, at the comment (it need not be on the article's first page). */
  href: z.string(),
  /** Who replied or mentioned; null for a moderator's decision (the author is not told who). */
  actorName: z.string().nullable(),
  decision: z.enum(MODERATION_DECISIONS).nullable(),
  /** The moderator's reason, when one was given. */
  reason: z.string().nullable(),
  /** The start of the comment's text while it is visible; null otherwise. */
  excerpt: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationItem = z.infer<typeof NotificationItemSchema>;

/** `GET /api/me/notifications?before=&limit=` */
export const NotificationListQuerySchema = z.strictObject({
  before: ThreadCursorSchema.optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(NOTIFICATIONS_PAGE_MAX).optional(),
});

export const NotificationListSchema = z.object({
  notifications: z.array(NotificationItemSchema),
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  next: ThreadCursorSchema.nullable(),
  unread: z.number().int(),
});
export type NotificationList = z.infer<typeof NotificationListSchema>;

/** `queue`: for moderators and admins, how many comments wait on the desk. */
export const UnreadCountSchema = z.object({ unread: z.number().int(), queue: z.number().int().optional() });

/** `POST /api/me/notifications/read`: these notices, or all of them. */
export const MarkReadRequestSchema = z.union([
  z.strictObject({ ids: z.array(z.string().regex(/^[a-z0-9]{1,32}$/, 'a notification id')).min(1, 'name at least one notice').max(100, 'at most 100 at a time') }),
  z.strictObject({ all: z.literal(true, { error: 'must be true' }) }),
]);
export type MarkReadRequest = z.infer<typeof MarkReadRequestSchema>;
export const MarkReadResponseSchema = z.object({ marked: z.number().int(), unread: z.number().int() });

/** `authorKey`: what this person's comments carry as `author.key`, for a page to fold them (issue 19, docs/api.md "Readers' mutes"). */
export const MutedPersonSchema = z.object({ personId: z.string(), displayName: z.string().nullable(), createdAt: z.string(), authorKey: z.string() });
export const MutesResponseSchema = z.object({ mutes: z.array(MutedPersonSchema) });
export const MuteStateSchema = z.object({ personId: z.string(), muted: z.boolean() });
/** `POST /api/me/mutes`: by display name (an account's: the settings page's form), or by a comment (its author, account or guest: a comment's menu). */
export const MuteByNameRequestSchema = z.strictObject({ displayName: AuthorNameSchema });
export const MuteRequestSchema = z.union([MuteByNameRequestSchema, z.strictObject({ commentId: CommentIdSchema })]);
/** A mute by comment does not say whom (a guest's id is never shown to readers). */
export const MutedSchema = z.object({ muted: z.literal(true), personId: z.string().optional() });
/** `POST /api/me/mutes/merge`: a guest's mutes from their browser, taken into the account they signed in to (by a comment of each). */
export const MuteMergeRequestSchema = z.strictObject({
  commentIds: z.array(CommentIdSchema).min(1, 'name at least one comment').max(100, 'at most 100 at a time'),
});
/** `merged`: the comments whose authors are muted now; `skipped`: those that named nobody mutable (gone, hidden, or the caller's own). */
export const MuteMergeResponseSchema = z.object({ merged: z.number().int(), skipped: z.array(z.string()), mutes: z.array(MutedPersonSchema) });
export type MuteMergeResponse = z.infer<typeof MuteMergeResponseSchema>;

export const ThreadWatchModeSchema = z.enum(THREAD_WATCH_MODES);
export const ThreadWatchRequestSchema = z.strictObject({ mode: ThreadWatchModeSchema });
export const ThreadWatchSchema = z.object({ slug: z.string(), title: z.string(), mode: ThreadWatchModeSchema, createdAt: z.string() });
export const ThreadWatchesResponseSchema = z.object({ threads: z.array(ThreadWatchSchema) });
export const ThreadWatchStateSchema = z.object({ slug: z.string(), mode: ThreadWatchModeSchema.nullable() });
export type ThreadWatchWire = z.infer<typeof ThreadWatchSchema>;
export type MutedPersonWire = z.infer<typeof MutedPersonSchema>;

/** `notifications:changed` to the person's sockets (every device, every node): the new unread count, and the notice that arrived if one did. */
/**
 * `notifications:changed` to a person's sockets. A new notice comes as `notification` without `unread`:
 * the count went up by one (counting it again on every notice would cost the node a query per notice;
 * the page reads the true count when it opens the list and when it reconnects). A change to the read
 * marks comes as `unread`, the count now, with `notification` null.
 */
export type NotificationsChanged = { unread?: undefined; notification: NotificationItem } | { unread: number; notification: null };

/** `moderation:count` to staff sockets: how many items wait in the desk's queue (throttled). */
export interface QueueCountNotice {
  queue: number;
}
