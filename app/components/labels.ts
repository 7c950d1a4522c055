import type { CommentStatus } from '../../lib/contract/api';

/** Shown where a comment has no known author (imported text carries none). */
export const ANONYMOUS = 'Anonymous';

/** One formatter for every count: `toLocaleString` builds a new one per call, on every comment of a page. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function commentCountLabel(n: number): string {
  return n === 1 ? '1 comment' : `${COUNT_FORMAT.format(n)} comments`;
}

export function replyCountLabel(n: number): string {
  return n === 1 ? '1 reply' : `${COUNT_FORMAT.format(n)} replies`;
}

export function newCommentsLabel(n: number): string {
  return n === 1 ? '1 new comment' : `${COUNT_FORMAT.format(n)} new comments`;
}

/** What stands in place of a comment that is not shown. */
export const HIDDEN_COMMENT_TEXT: Record<CommentStatus, string> = {
  visible: '',
  unavailable: 'This comment is unavailable.',
  deleted: 'This comment was deleted.',
  removed: 'This comment was removed by a moderator.',
  pending: 'This comment is awaiting moderation.',
};

const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
/** Formatted dates by ISO string: a page formats each comment's date twice, and the same comments on every view. */
const formatted = new Map<string, string>();
const MAX_FORMATTED = 10_000;

export function formatDate(iso: string): string {
  const hit = formatted.get(iso);
  if (hit !== undefined) return hit;
  const text = `${DATE_FORMAT.format(new Date(iso))} UTC`;
  // Bounded: forgetting them all at once is enough for a cache this cheap to refill.
  if (formatted.size >= MAX_FORMATTED) formatted.clear();
  formatted.set(iso, text);
  return text;
}
