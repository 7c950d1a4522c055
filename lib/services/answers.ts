import { AppError } from '../domain/errors';
import { STDERR_LOG, type ErrorLog } from '../domain/errorLog';
import { answerLost, answersByBadge, answersOnItsOwn, canBeAnswer } from '../domain/questions';
import type { Comment } from '../domain/types';
import type { User } from '../store/accountStore';
import type { Store } from '../store/store';
import type { BadgeLookup } from './badgeDirectory';
import type { EventBus } from './eventBus';

/**
 * Keeps each question's answer (lib/domain/questions.ts says what answers one) as the thread
 * changes: a badge holder's reply shown, an answer gone, a moderator's mark. Each change to the
 * question is a `comment.updated` under the thread's next seq (store.updateComment), so every
 * page on every node follows it through the usual fan-out, and catching up replays it.
 */
export interface Answers {
  /** A reply was just shown (posted visible, or approved): its question is answered by it if the rule says so. */
  replyShown(reply: Comment): Promise<void>;
  /** A comment stopped being shown (removed, deleted, rejected): a question it answered is open again. */
  commentGone(comment: Comment): Promise<void>;
  /** A moderator makes the reply its question's answer (`answer: true`), or takes that back. Returns the reply. */
  mark(request: { commentId: string; answer: boolean; actor: User; reason?: string }): Promise<Comment>;
}

export function createAnswers(deps: { store: Store; bus: EventBus; badges?: BadgeLookup; log?: ErrorLog }): Answers {
  const { store, bus } = deps;
  const log = deps.log ?? STDERR_LOG;

  /** The reply's thread and question, or undefined when either is gone. */
  async function placeOf(reply: Comment) {
    const thread = await store.findThreadById(reply.threadId);
    const question = thread && (await store.findComment({ threadId: thread.id, id: reply.rootId }));
    return thread && question ? { thread, question } : undefined;
  }

  /**
   * Sets the question's answer only if it is still `was`: of two answers at once (two experts, or an
   * expert and a moderator), the first stays. Another change first is no error here: nothing is written.
   */
  async function setAnswer(slug: string, question: Comment, answerId: string | null, was: string | null, audit?: Parameters<Store['updateComment']>[0]['audit']) {
    try {
      const { comment, event } = await store.updateComment({ threadId: question.threadId, commentId: question.id, changes: { answerId }, onlyIfAnswerId: was, audit });
      bus.publish({ slug, event });
      return comment;
    } catch (err) {
      if (AppError.is(err) && err.code === 'already_handled' && !audit) return undefined;
      throw err;
    }
  }

  /** The automatic changes never fail the post or the moderation they follow: they are told to the log. */
  async function quietly(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      log.error(`keeping a question's answer after ${what} failed`, err);
    }
  }

  return {
    async replyShown(reply) {
      // Most replies are by people without a badge: they cost no read.
      if (reply.depth === 1 || reply.authorGuestId === null) return;
      const badges = deps.badges?.(reply.authorGuestId);
      if (!answersByBadge(badges)) return;
      await quietly('a reply', async () => {
        const place = await placeOf(reply);
        if (place && answersOnItsOwn(place.thread, place.question, reply, badges)) await setAnswer(place.thread.slug, place.question, reply.id, null);
      });
    },

    async commentGone(comment) {
      if (comment.depth === 1) return;
      await quietly('a removal', async () => {
        const place = await placeOf(comment);
        if (place && answerLost(place.question, comment)) await setAnswer(place.thread.slug, place.question, null, comment.id);
      });
    },

    async mark({ commentId, answer, actor, reason }) {
      const reply = await store.findComment({ id: commentId });
      if (!reply) throw new AppError('comment_not_found');
      const place = await placeOf(reply);
      if (!place) throw new AppError('comment_not_found');
      const { thread, question } = place;
      const audit = { actorId: actor.id, actorName: actor.username, action: answer ? 'comment.answer' : 'comment.unanswer', reason: reason ?? null, details: { reply: reply.id } };
      if (answer) {
        if (!canBeAnswer(thread, question, reply)) throw new AppError('not_answerable', { fields: { commentId: ['must be a shown reply to a question of a Q&A thread'] } });
        if (question.answerId === reply.id) throw new AppError('already_handled');
        await setAnswer(thread.slug, question, reply.id, question.answerId ?? null, audit);
      } else {
        if (question.answerId !== reply.id) throw new AppError('already_handled');
        await setAnswer(thread.slug, question, null, reply.id, audit);
      }
      return reply;
    },
  };
}
