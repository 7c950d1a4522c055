/**
 * Who may comment (issue 16, section 2), and when a person's comments wait for a moderator (section 3,
 * "Trust" and "Shadow-ban"). Stated here once; the store's posting rules (lib/store/posting/rules.ts)
 * turn it into SQL, so every transport and every store path judges a post by the same rule.
 */

/**
 * - `guests`: anyone may comment (the default, as before).
 * - `guests-premoderated`: guests' comments are held for a moderator (`guest_review`); accounts post directly.
 * - `accounts`: sign-in required: a guest's post is refused with `account_required`.
 */
export const COMMENT_POLICIES = ['guests', 'guests-premoderated', 'accounts'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];
export const DEFAULT_COMMENT_POLICY: CommentPolicy = 'guests';

export function isCommentPolicy(value: unknown): value is CommentPolicy {
  return typeof value === 'string' && (COMMENT_POLICIES as readonly string[]).includes(value);
}

/** The thread's own policy when an admin set one, else the site's. */
export function effectivePolicy(thread: CommentPolicy | null, site: CommentPolicy): CommentPolicy {
  return thread ?? site;
}

/** What a reader without an account may do under a policy: post, post to be reviewed, or sign in first. */
export function guestMay(policy: CommentPolicy): 'post' | 'post-reviewed' | 'sign-in' {
  return policy === 'accounts' ? 'sign-in' : policy === 'guests-premoderated' ? 'post-reviewed' : 'post';
}

/**
 * The trust settings (docs/moderation.md, "Trust"):
 * - `newAccountHold`: an account's comments are held (`new_account`) until this many of them have been
 *   published; 0 (the default) holds none.
 * - `rejections` within `rejectionWindowDays`: a person with that many comments rejected by moderators in
 *   the window (and since a moderator last trusted them) has their new comments held (`untrusted`);
 *   0 rejections turns it off.
 */
export interface TrustSettings {
  newAccountHold: number;
  rejections: number;
  rejectionWindowDays: number;
}

export const DEFAULT_TRUST: Readonly<TrustSettings> = { newAccountHold: 0, rejections: 3, rejectionWindowDays: 30 };

/** Every site setting an admin can change (`PUT /api/settings`); the environment gives their defaults. */
export interface SiteSettings extends TrustSettings {
  commentPolicy: CommentPolicy;
}

export const DEFAULT_SITE_SETTINGS: Readonly<SiteSettings> = { commentPolicy: DEFAULT_COMMENT_POLICY, ...DEFAULT_TRUST };

/** The settings' keys as stored (site_settings.key, migration 0020). */
export const SITE_SETTING_KEYS = {
  commentPolicy: 'comment_policy',
  newAccountHold: 'new_account_hold',
  rejections: 'review_rejections',
  rejectionWindowDays: 'review_window_days',
} as const satisfies Record<keyof SiteSettings, string>;

/** Bounds of the numeric settings, shared by the environment's and the API's validation. */
export const TRUST_LIMITS = { newAccountHold: 100, rejections: 1000, rejectionWindowDays: 3650 } as const;
