import type { CommentStatus } from '../../lib/contract/api';
import type { MessageKey, Translator } from '../i18n/translator';

/** Counts in the reader's language (plural rules and number format of the locale: app/i18n). */
export function commentCountLabel(t: Translator, n: number): string {
  return t.t('count.comments', { count: n });
}

export function replyCountLabel(t: Translator, n: number): string {
  return t.t('count.replies', { count: n });
}

export function newCommentsLabel(t: Translator, n: number): string {
  return t.t('count.newComments', { count: n });
}

/** What stands in place of a comment that is not shown. */
const HIDDEN_COMMENT_TEXT: Record<Exclude<CommentStatus, 'visible'>, MessageKey> = {
  unavailable: 'comment.unavailable',
  deleted: 'comment.deleted',
  removed: 'comment.removed',
  pending: 'comment.pending',
};

export function hiddenCommentText(t: Translator, status: CommentStatus): string {
  return status === 'visible' ? '' : t.t(HIDDEN_COMMENT_TEXT[status]);
}
