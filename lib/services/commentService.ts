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
  /** Where a held comment is announced to the moderators' desks. */
  onHeld?: (commentId: string) => void;
  /** The banned words; defaults to reading the store every time. */
  bannedWords?: () => Promise<string[]>;
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
  const bannedWords = deps.bannedWords ?? (() => store.moderation.listBannedWords());

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
      const thread = await store.findThreadRowBySlug(slug);
      if (!thread) throw new AppError('thread_not_found');
      // A retry is answered before the rate limit: it stores nothing new.
      if (input.clientId !== undefined) {
        const stored = await store.findCommentByClientId({ guestId, clientId: input.clientId });
        if (stored && stored.threadId === thread.id) return { comment: toCommentView(stored), created: false };
        if (stored) throw new AppError('invalid_request', { fields: { clientId: ['was already used for a comment on another thread'] } });
      }
      if (thread.locked) throw new AppError('thread_locked');
      const ban = await store.moderation.activeBan({ guestId, now: new Date(now()).toISOString() });
      if (ban) {
        const until = ban.until ? ` until ${new Date(ban.until).toUTCString()}` : '';
        throw new AppError('banned', { message: `You have been banned from commenting${until}. Reason: ${ban.reason}` });
      }
      const limit = await deps.postLimiter.consume(`post:${guestId}`);
      if (!limit.allowed) throw new AppError('rate_limited', { retryAfter: Math.ceil(limit.retryAfterMs / 1000) });

      const words = await bannedWords();
      const { comment, event } = await store.createComment({
        threadId: thread.id,
        parentId: input.parentId,
        authorName: input.authorName,
        authorGuestId: guestId,
        body: input.body,
        clientId: input.clientId ?? null,
        hold: containsBannedWord(`${input.authorName}\n${input.body}`, words) ? 'banned_word' : null,
      });
      if (event) bus.publish({ slug: thread.slug, event });
      if (event && comment.status === 'pending') deps.onHeld?.(comment.id);
      // The author sees their own held comment; nobody else does until it is approved.
      return { comment: toCommentView(comment, { reveal: true }), created: event !== null };
    },

    async edit({ commentId, body, guestId }) {
      const { comment, thread } = await ownComment(commentId, guestId);
      if (comment.status !== 'visible') throw new AppError('comment_gone');
      if (thread.locked) throw new AppError('thread_locked');
      if (comment.createdAt === null || now() - Date.parse(comment.createdAt) > EDIT_WINDOW_MS) throw new AppError('edit_window_closed');
      if (body === comment.body) return toCommentView(comment);
      // An edit passes the same filter as a post: a banned word sends the comment back for review.
      const held = containsBannedWord(`${comment.authorName ?? ''}\n${body}`, await bannedWords());
      const updated = await store.updateComment({
        threadId: thread.id,
        commentId,
        changes: { body, editedAt: new Date(now()).toISOString(), ...(held && { status: 'pending' as const, heldReason: 'banned_word' as const }) },
        onlyIfStatus: ['visible'],
      });
      bus.publish({ slug: thread.slug, event: updated.event });
      if (held) deps.onHeld?.(commentId);
      return toCommentView(updated.comment, { reveal: true });
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

/**
 * Whole-word, case-insensitive match after Unicode normalisation, so "Spam"
 * and "ｓｐａｍ" match "spam" but "spammer" does not match "spam".
 */
export function containsBannedWord(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const normalised = text.normalize('NFKC').toLowerCase();
  const tokens = new Set(normalised.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return words.some((w) => (/^[\p{L}\p{N}]+$/u.test(w) ? tokens.has(w) : normalised.includes(w)));
}
