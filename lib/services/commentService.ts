import { EDIT_WINDOW_MS, type CommentView, type CreateCommentRequest } from '../contract/api';
import { AppError } from '../domain/errors';
import type { Store } from '../store/store';
import { toCommentView } from './commentView';
import type { EventBus } from './eventBus';
import type { RateLimiter } from './rateLimiter';

export interface CommentService {
  /** `created` is false when a retried `clientId` returned the comment stored the first time. */
  create(request: { slug: string; input: CreateCommentRequest; guestId: string }): Promise<{ comment: CommentView; created: boolean }>;
  edit(request: { commentId: string; body: string; guestId: string }): Promise<CommentView>;
  delete(request: { commentId: string; guestId: string }): Promise<CommentView>;
}

export interface CommentServiceDeps {
  store: Store;
  bus: EventBus;
  /** Posts per guest. */
  postLimiter: RateLimiter;
  now?: () => number;
}

/**
 * Posting, editing and deleting, one list of steps each: the same code serves
 * the HTTP API, the socket and the no-JavaScript form.
 */
export function createCommentService(deps: CommentServiceDeps): CommentService {
  const { store, bus } = deps;
  const now = deps.now ?? Date.now;

  async function ownComment(commentId: string, guestId: string) {
    const comment = await store.findComment({ id: commentId });
    if (!comment) throw new AppError('comment_not_found');
    if (comment.authorGuestId === null || comment.authorGuestId !== guestId) throw new AppError('not_your_comment');
    const thread = await store.findThreadById(comment.threadId);
    if (!thread) throw new AppError('comment_not_found');
    return { comment, thread };
  }

  return {
    async create({ slug, input, guestId }) {
      const thread = await store.findThreadBySlug(slug);
      if (!thread) throw new AppError('thread_not_found');
      // A retry is answered before the rate limit: it stores nothing new.
      if (input.clientId !== undefined) {
        const stored = await store.findCommentByClientId({ guestId, clientId: input.clientId });
        if (stored && stored.threadId === thread.id) return { comment: toCommentView(stored), created: false };
        if (stored) throw new AppError('invalid_request', { fields: { clientId: ['was already used for a comment on another thread'] } });
      }
      if (thread.locked) throw new AppError('thread_locked');
      const limit = await deps.postLimiter.consume(`post:${guestId}`);
      if (!limit.allowed) throw new AppError('rate_limited', { retryAfter: Math.ceil(limit.retryAfterMs / 1000) });

      const { comment, event } = await store.createComment({
        threadId: thread.id,
        parentId: input.parentId,
        authorName: input.authorName,
        authorGuestId: guestId,
        body: input.body,
        clientId: input.clientId ?? null,
      });
      if (event) bus.publish({ slug: thread.slug, event });
      return { comment: toCommentView(comment), created: event !== null };
    },

    async edit({ commentId, body, guestId }) {
      const { comment, thread } = await ownComment(commentId, guestId);
      if (comment.status !== 'visible') throw new AppError('comment_gone');
      if (thread.locked) throw new AppError('thread_locked');
      if (comment.createdAt === null || now() - Date.parse(comment.createdAt) > EDIT_WINDOW_MS) throw new AppError('edit_window_closed');
      if (body === comment.body) return toCommentView(comment);
      const updated = await store.updateComment({
        threadId: thread.id,
        commentId,
        changes: { body, editedAt: new Date(now()).toISOString() },
      });
      bus.publish({ slug: thread.slug, event: updated.event });
      return toCommentView(updated.comment);
    },

    async delete({ commentId, guestId }) {
      const { comment, thread } = await ownComment(commentId, guestId);
      if (comment.status === 'deleted') return toCommentView(comment);
      if (comment.status !== 'visible') throw new AppError('comment_gone');
      // The text and name go; the row stays so that replies keep their place.
      const updated = await store.updateComment({
        threadId: thread.id,
        commentId,
        changes: { status: 'deleted', body: '', authorName: null },
      });
      bus.publish({ slug: thread.slug, event: updated.event });
      return toCommentView(updated.comment);
    },
  };
}
