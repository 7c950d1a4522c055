import type { CatchUp, CommentView, LikeResponse, ThreadEventWire, ThreadResponse, ViewerResponse } from '../contract/api';
import type { BanDetails } from '../contract/errors';

/**
 * Light checks of what the server sends, for the browser. The contract's zod
 * schemas say the same more strictly, but they would bring the whole of zod
 * into the page's bundle; the page only needs to know that a body has the
 * shape it is about to read, so a truncated or foreign answer becomes an error
 * instead of a crash. The server and the tests keep validating with zod.
 */
type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

export function isCommentView(value: unknown): value is CommentView {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    isStringOrNull(value.parentId) &&
    typeof value.rootId === 'string' &&
    isCount(value.depth) &&
    isCount(value.seq) &&
    typeof value.status === 'string' &&
    isObject(value.author) &&
    typeof value.body === 'string' &&
    typeof value.html === 'string' &&
    typeof value.locked === 'boolean' &&
    typeof value.pinned === 'boolean' &&
    isCount(value.likes)
  );
}

/** A thread's settings as the page keeps them: locked, slow mode, pre-moderation, hidden by an admin. */
function isSettings(value: unknown): value is Fields & { locked: boolean; slowModeSeconds: number; preModeration: boolean; hidden: boolean } {
  return isObject(value) && typeof value.locked === 'boolean' && isCount(value.slowModeSeconds) && typeof value.preModeration === 'boolean' && typeof value.hidden === 'boolean';
}

/** The settings and the seq they hold at. */
function isThreadState(value: unknown): value is Fields & { seq: number; locked: boolean; slowModeSeconds: number; preModeration: boolean; hidden: boolean } {
  return isSettings(value) && isCount(value.seq);
}

/** `GET /api/threads/<slug>`: one page of branches. */
export function isThreadResponse(value: unknown): value is ThreadResponse {
  return isObject(value) && isThreadState(value.thread) && isCount(value.thread.commentCount) && Array.isArray(value.comments) && value.comments.every(isCommentView) && isStringOrNull(value.nextCursor);
}

/**
 * The event types this page understands, each with what it reads. A type not
 * listed comes from a newer server: the page does not guess at it.
 */
const EVENT_FIELDS: { [T in ThreadEventWire['type']]: (event: Fields) => boolean } = {
  'thread.created': (e) => isObject(e.thread) && typeof e.thread.locked === 'boolean',
  'comment.created': (e) => isCommentView(e.comment),
  'comment.updated': (e) => isCommentView(e.comment),
  'thread.updated': (e) => isSettings(e.thread),
  'comment.liked': (e) => typeof e.commentId === 'string' && isCount(e.likes),
};

/** A thread event of a type this page knows, carrying what that type needs. */
export function isKnownEvent(value: unknown): value is ThreadEventWire {
  if (!isObject(value) || typeof value.slug !== 'string' || !isCount(value.seq) || typeof value.type !== 'string') return false;
  return Object.hasOwn(EVENT_FIELDS, value.type) && EVENT_FIELDS[value.type as ThreadEventWire['type']](value);
}

/** `GET /api/threads/<slug>/events` and the catch-up in a subscription's acknowledgement. */
export function isCatchUp(value: unknown): value is CatchUp {
  return isObject(value) && isThreadState(value.thread) && Array.isArray(value.missed) && typeof value.resync === 'boolean';
}

export function isLikeResponse(value: unknown): value is LikeResponse {
  return isObject(value) && isCount(value.likes) && typeof value.liked === 'boolean' && typeof value.changed === 'boolean';
}

/** The signed-in person's name and role: what the composer shows (badges are the contract's to check). */
function isAccount(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && typeof value.displayName === 'string' && typeof value.role === 'string' && Array.isArray(value.badges);
}

/** `GET /api/threads/<slug>/viewer`: the reader's own comments, likes, account and staff session. */
export function isViewerResponse(value: unknown): value is ViewerResponse {
  const staff = isObject(value) ? value.staff : undefined;
  const account = isObject(value) ? value.account : undefined;
  return (
    isObject(value) &&
    (staff === null || (isObject(staff) && typeof staff.username === 'string' && (staff.role === 'moderator' || staff.role === 'admin'))) &&
    (account === null || isAccount(account)) &&
    Array.isArray(value.own) &&
    value.own.every(isCommentView) &&
    Array.isArray(value.liked) &&
    value.liked.every((id) => typeof id === 'string')
  );
}

/** `{ comment }`: what an edit, a deletion and a post answer. */
export function hasComment(value: unknown): value is { comment: CommentView } {
  return isObject(value) && isCommentView(value.comment);
}

/** The `{ error: { code } }` of every refusal, whatever else it carries. */
export function errorOf(value: unknown): { code: string; retryAfter?: number; ban?: BanDetails } | null {
  if (!isObject(value) || !isObject(value.error) || typeof value.error.code !== 'string') return null;
  const { code, retryAfter, ban } = value.error;
  return { code, ...(isCount(retryAfter) && { retryAfter }), ...(isBanDetails(ban) && { ban }) };
}

/** With `banned`: why and until when (lib/contract/errors.ts BanDetails). */
export function isBanDetails(value: unknown): value is BanDetails {
  return isObject(value) && typeof value.reason === 'string' && (value.until === null || (typeof value.until === 'string' && !Number.isNaN(Date.parse(value.until))));
}
