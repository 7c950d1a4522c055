import type { CommentView, ThreadDetail, ThreadEventWire, ThreadSummary } from '../contract/api';
import type { CommentPolicy } from '../domain/commentPolicy';
import type { ThreadEvent } from '../domain/events';
import type { Comment, ThreadWithCount } from '../domain/types';
import type { BadgeLookup } from './badgeDirectory';
import { authorKey } from '../domain/authorKey';
import { commentHtml } from './htmlCache';

/**
 * The public face of a comment. Only a visible comment shows its author and
 * text: a placeholder, a deleted or a removed comment keeps its place in the
 * tree and nothing else. Server-only fields (guest id, client id) never leave.
 */
export function toCommentView(comment: Comment, options: { reveal?: boolean; author?: boolean; badges?: BadgeLookup } = {}): CommentView {
  // `reveal`: the author looking at their own held comment, or a moderator.
  const shown = comment.status === 'visible' || ((options.reveal === true || options.author === true) && comment.status === 'pending');
  // A shadow-banned comment looks published to its author: only moderators are told it is not (docs/moderation.md).
  const status = options.author === true && comment.status === 'pending' && comment.heldReason === 'shadow_banned' ? 'visible' : comment.status;
  // Only when there are any: most authors have none, and the field is optional on the wire.
  const badges = shown && comment.authorGuestId !== null ? options.badges?.(comment.authorGuestId) : undefined;
  return {
    id: comment.id,
    parentId: comment.parentId,
    depth: comment.depth,
    rootId: comment.rootId,
    status,
    author: { name: shown ? comment.authorName : null, ...(shown && comment.authorGuestId !== null && { key: authorKey(comment.authorGuestId) }) },
    body: shown ? comment.body : '',
    html: shown ? commentHtml.render(comment.body, comment.mentions) : '',
    createdAt: comment.createdAt,
    editedAt: shown ? comment.editedAt : null,
    seq: comment.seq,
    locked: comment.locked,
    pinned: comment.pinned && comment.status === 'visible',
    likes: comment.status === 'visible' ? comment.likes : 0,
    ...(badges && badges.length > 0 && { authorBadges: [...badges] }),
    ...(comment.pinned && comment.status === 'visible' && { pick: { note: comment.pick?.note ?? null, at: comment.pick?.at ?? null } }),
    ...(comment.answerId != null && { answerId: comment.answerId }),
  };
}

/** A thread's own comment policy on the wire: absent when it follows the site's (clients read absent as null). */
export function policyField(policy: CommentPolicy | null | undefined): { commentPolicy?: CommentPolicy } {
  return policy == null ? {} : { commentPolicy: policy };
}

/** Q&A on the wire: only when on (absent: off), so a thread that never was one sends what it always sent. */
export function qaField(qa: boolean | undefined): { qa?: true } {
  return qa === true ? { qa: true } : {};
}

/** A thread's closing time on the wire: absent for none, as before closing existed (an older page reads nothing new). */
export function closingField(closesAt: string | null | undefined): { closesAt?: string } {
  return closesAt == null ? {} : { closesAt };
}

/** The author's own comment, as they see it (held ones with their text; a shadow-banned one as published). */
export function toAuthorView(comment: Comment, badges?: BadgeLookup): CommentView {
  return toCommentView(comment, { author: true, badges });
}

/** A committed event as readers receive it. */
export function toWireEvent(slug: string, event: ThreadEvent, badges?: BadgeLookup): ThreadEventWire {
  switch (event.type) {
    case 'comment.created':
      return {
        slug,
        seq: event.seq,
        type: event.type,
        comment: toCommentView(event.comment, { badges }),
        ...(event.comment.clientId !== null && { clientId: event.comment.clientId }),
      };
    case 'comment.updated':
      return { slug, seq: event.seq, type: event.type, comment: toCommentView(event.comment, { badges }) };
    case 'thread.created':
      return { slug, seq: event.seq, type: event.type, thread: { title: event.thread.title, locked: event.thread.locked } };
    case 'thread.updated': {
      const { commentPolicy, qa, closesAt, ...settings } = event.thread;
      return { slug, seq: event.seq, type: event.type, thread: { ...settings, ...policyField(commentPolicy), ...qaField(qa), ...closingField(closesAt) } };
    }
    case 'comment.liked':
      return { slug, seq: event.seq, type: event.type, commentId: event.commentId, likes: event.likes };
  }
}

export function toThreadSummary(thread: ThreadWithCount): ThreadSummary {
  return { slug: thread.slug, title: thread.title, locked: thread.locked, commentCount: thread.commentCount };
}

export function toThreadDetail(thread: ThreadWithCount): ThreadDetail {
  return { ...toThreadSummary(thread), seq: thread.seq, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration, hidden: thread.hidden, ...policyField(thread.commentPolicy), ...qaField(thread.qa), ...closingField(thread.closesAt) };
}

/** The article's paragraphs, as stored: separated by a blank line. */
export function articleParagraphs(article: string): string[] {
  return article
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
