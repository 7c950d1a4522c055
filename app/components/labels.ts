import type { CommentStatus, HeldReason, NotChecked } from '../../lib/contract/api';
import type { ReportCategory } from '../../lib/contract/reports';
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

/** What stands where the author's name would: what became of the comment, in a word ("Deleted", not "Hidden"). */
const HIDDEN_AUTHOR_TEXT: Record<Exclude<CommentStatus, 'visible'>, MessageKey> = {
  unavailable: 'comment.unavailableAuthor',
  deleted: 'comment.deletedAuthor',
  removed: 'comment.removedAuthor',
  pending: 'comment.hiddenAuthor',
};

export function hiddenAuthorText(t: Translator, status: CommentStatus): string {
  return status === 'visible' ? '' : t.t(HIDDEN_AUTHOR_TEXT[status]);
}

/*
 * The catalogues name these messages after the values themselves (`report.spam`, `desk.held.edited`),
 * so a value added to the contract without its words in every language fails type-checking here.
 */

/** A report's category as the reader picks it and the moderator reads it (lib/contract/reports.ts). */
export function reportCategoryLabel(t: Translator, category: ReportCategory): string {
  return t.t(`report.${category}`);
}

/** Why a held comment waits, as the desk names it: the spam signal in words, never shown to its author. */
export function heldReasonLabel(t: Translator, reason: HeldReason): string {
  return t.t(`desk.held.${reason}`);
}

/** Why the outside spam service did not judge a comment (lib/contract/api.ts NOT_CHECKED_REASONS). */
export function notCheckedLabel(t: Translator, why: NotChecked): string {
  return t.t(`desk.notChecked.${why}`);
}
