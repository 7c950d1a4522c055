/**
 * What a signed-in person is told about (issue 17, docs/notifications.md): each kind once, with how
 * it may reach them by email. Guests are told nothing outside their open page: they have no account
 * to keep a notice, a read mark or an address.
 */

/**
 * The kinds a person can be told about, each kept in the bell and, by their choice, mailed.
 * `followed`: a new top-level comment on a thread they follow, in the daily digest only (never in the bell).
 */
export const NOTIFICATION_KINDS = [
  'reply',
  'mention',
  'moderation',
  'followed',
  // A moderator featured one's comment as an editors' pick (issue 19.1), with their note if any.
  'featured',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What only moderators and admins may choose to get by email: the queue has waited longer than QUEUE_ALERT_MINUTES. */
export const STAFF_EMAIL_KINDS = ['queue'] as const;
export type StaffEmailKind = (typeof STAFF_EMAIL_KINDS)[number];

/** Every kind a mail can be about, the one list the settings, the unsubscribe links and the outbox share. */
export const EMAIL_KINDS = [...NOTIFICATION_KINDS, ...STAFF_EMAIL_KINDS] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** `immediate`: batched (several notices in a few minutes make one mail); `daily`: the digest; `never`. */
export const EMAIL_CHOICES = ['immediate', 'daily', 'never'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

/** The choices a kind allows: a followed thread comes as a digest only, the queue's alert is at once or not at all. */
export const EMAIL_CHOICES_BY_KIND: Record<EmailKind, readonly EmailChoice[]> = {
  reply: EMAIL_CHOICES,
  mention: EMAIL_CHOICES,
  moderation: EMAIL_CHOICES,
  followed: ['daily', 'never'],
  queue: ['immediate', 'never'],
  featured: EMAIL_CHOICES,
};

/** What a person gets until they choose: quiet by default, but a direct answer is worth a mail. */
export const DEFAULT_EMAIL_CHOICES: Record<EmailKind, EmailChoice> = {
  reply: 'immediate',
  mention: 'immediate',
  moderation: 'immediate',
  followed: 'daily',
  queue: 'never',
  featured: 'immediate',
};

/** A moderator's decision on a comment that its author is told about. */
export const MODERATION_DECISIONS = ['held', 'approved', 'removed'] as const;
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];

/** People one comment may notify by mention, at most: a comment naming 500 people tells the first ten. */
export const MAX_MENTIONS_PER_COMMENT = 10;

/** A person's follows and blocks of threads: `follow` puts its new top-level comments in their digest; `block` silences it. */
export const THREAD_WATCH_MODES = ['follow', 'block'] as const;
export type ThreadWatchMode = (typeof THREAD_WATCH_MODES)[number];

/** One notice kept for one person (the bell's list). */
export interface Notification {
  id: string;
  /** The account told. */
  recipientId: string;
  kind: Exclude<NotificationKind, 'followed'>;
  threadId: string;
  /** The comment it is about: the reply, the comment with the mention, the comment decided on. */
  commentId: string;
  /** Whose action it was (a person id), null for a moderator's decision: the author is not told who. */
  actorId: string | null;
  /** The actor's display name when told (a moderation notice: null). */
  actorName: string | null;
  /** A moderation notice's decision and reason (the reason only when the moderator gave one); a `featured` notice's reason is the pick's note. */
  decision: ModerationDecision | null;
  reason: string | null;
  createdAt: string;
  readAt: string | null;
}
