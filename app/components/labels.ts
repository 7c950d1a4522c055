import type { CommentStatus } from '../../lib/contract/api';

/** Shown where a comment has no known author (imported text carries none). */
export const ANONYMOUS = 'Anonymous';

export function commentCountLabel(n: number): string {
  return n === 1 ? '1 comment' : `${n.toLocaleString('en-US')} comments`;
}

export function replyCountLabel(n: number): string {
  return n === 1 ? '1 reply' : `${n.toLocaleString('en-US')} replies`;
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

export function formatDate(iso: string): string {
  return `${DATE_FORMAT.format(new Date(iso))} UTC`;
}
