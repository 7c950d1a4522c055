import type { CommentStatus } from './types';
import type { Badge } from './identity';

/**
 * What makes a question answered (issue 19.2), the one place that says it. In a thread a moderator
 * switched to Q&A, every top-level comment is a question. Its answer is a reply anywhere in its
 * branch (not only a direct reply: an expert often answers a follow-up below the question), and
 * the first visible reply there by a holder of an answering badge becomes the answer on its own.
 * A moderator may mark any visible reply of the branch as the answer instead, or unmark it; a
 * marked answer is not replaced by a later badge holder's reply. An answer that stops being shown
 * (removed, deleted, rejected) stops answering: the question is open again.
 *
 * The answer is stored on the question (`answerId`), changed under the thread's next seq like any
 * other change to a comment (lib/services/answers.ts), so every page and node follows it live.
 */

/** The badges (issue 12) whose holders' replies answer a question. */
export const ANSWERING_BADGES: readonly Badge[] = ['staff', 'journalist', 'expert'];

/** The ways readers look at a Q&A thread: answered first, or only the answered or the open questions (values of `sort`). */
export const QA_SORTS = ['answered-first', 'answered', 'unanswered'] as const;
export type QaSort = (typeof QA_SORTS)[number];

export function isQaSort(sort: string): sort is QaSort {
  return (QA_SORTS as readonly string[]).includes(sort);
}

interface Post {
  id: string;
  depth: number;
  rootId: string;
  status: CommentStatus;
  answerId?: string | null;
}

/** Whether the comment is a question: a top-level comment in a Q&A thread. */
export function isQuestion(thread: { qa: boolean }, comment: { depth: number }): boolean {
  return thread.qa && comment.depth === 1;
}

export function isAnswered(question: { answerId?: string | null }): boolean {
  return question.answerId != null;
}

/** Whether the author's badges make their replies answers. */
export function answersByBadge(badges: readonly Badge[] | undefined): boolean {
  return badges?.some((b) => ANSWERING_BADGES.includes(b)) ?? false;
}

/** Whether `reply` may be the answer of `question` (a moderator's mark asks only this). */
export function canBeAnswer(thread: { qa: boolean }, question: Post, reply: Post): boolean {
  return isQuestion(thread, question) && question.status === 'visible' && reply.depth > 1 && reply.rootId === question.id && reply.status === 'visible';
}

/** Whether a reply just shown (posted, or approved) answers its question on its own: the first answering badge holder's. */
export function answersOnItsOwn(thread: { qa: boolean }, question: Post, reply: Post, authorBadges: readonly Badge[] | undefined): boolean {
  return canBeAnswer(thread, question, reply) && !isAnswered(question) && answersByBadge(authorBadges);
}

/** Whether the question loses its answer now that `changed` is as it is (no longer shown). */
export function answerLost(question: Post, changed: Post): boolean {
  return question.answerId === changed.id && changed.status !== 'visible';
}

/** Whether a top-level comment shows in the view: the `answered` and `unanswered` views hold only those. */
export function inQaView(sort: string, question: { answerId?: string | null }): boolean {
  if (sort === 'answered') return isAnswered(question);
  if (sort === 'unanswered') return !isAnswered(question);
  return true;
}
