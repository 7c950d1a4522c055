import { MAX_MENTIONS_PER_COMMENT } from '../../domain/notifications';
import type { Comment } from '../../domain/types';
import type { Audience, NewNotification } from '../../store/notificationStore';
import type { CommentDecision } from './decisions';

/**
 * Who is told what (issue 17, docs/notifications.md), in one place: a change is turned into
 * candidate notices by the producers, then each phase in PHASES may drop some. A new rule is one
 * small function added to one list, and every path that tells anyone (the bell now, the mail that
 * reads the bell's rows) goes through the same list. Pure: the notifier (./notifier.ts) reads what
 * they need in one query (Audience) and keeps what survives.
 */

/** What happened to a comment, once committed. */
export type NoticeChange =
  /** Posted visible: its parent's author and the people it mentions may be told. */
  | { cause: 'posted'; comment: Comment; parentAuthorId: string | null }
  /** Its author edited it, and it is visible: people it now mentions may be told (those told before are not told again). */
  | { cause: 'edited'; comment: Comment; parentAuthorId: null }
  /**
   * A decision on it: its author may be told; once approved it is public, and its parent's author and
   * the people it mentions may be told now (a held comment's notices go out when it is approved, not before).
   */
  | { cause: 'decided'; comment: Comment; parentAuthorId: string | null; decision: CommentDecision };

export interface NoticeContext {
  change: NoticeChange;
  /** The actor is the comment's author (a moderator's decision is told without its moderator). */
  audience: Audience;
}

type Producer = (change: NoticeChange) => NewNotification[];
type Phase = (notices: NewNotification[], context: NoticeContext) => NewNotification[];

const isPublic = (change: NoticeChange) => change.cause !== 'decided' || change.decision.decision === 'approved';
const fromAuthor = (comment: Comment, kind: 'reply' | 'mention', recipientId: string): NewNotification => ({
  recipientId,
  kind,
  threadId: comment.threadId,
  commentId: comment.id,
  actorId: comment.authorGuestId,
  actorName: comment.authorName,
  decision: null,
  reason: null,
});

/** A direct reply to one's comment (not a reply further down the branch). */
export const directReply: Producer = (change) =>
  change.cause !== 'edited' && isPublic(change) && change.parentAuthorId !== null ? [fromAuthor(change.comment, 'reply', change.parentAuthorId)] : [];

/** The people the comment names (resolved when it was stored: lib/domain/mentions.ts), the first MAX_MENTIONS_PER_COMMENT. */
export const mentions: Producer = (change) =>
  isPublic(change) ? (change.comment.mentions ?? []).slice(0, MAX_MENTIONS_PER_COMMENT).map((m) => fromAuthor(change.comment, 'mention', m.id)) : [];

/** A decision on one's comment, with the moderator's reason; never one's own decision on one's own comment. */
export const decisionToAuthor: Producer = (change) => {
  if (change.cause !== 'decided' || change.comment.authorGuestId === null) return [];
  const { decision, reason, moderatorId } = change.decision;
  if (moderatorId === change.comment.authorGuestId) return [];
  return [{ recipientId: change.comment.authorGuestId, kind: 'moderation', threadId: change.comment.threadId, commentId: change.comment.id, actorId: null, actorName: null, decision, reason }];
};

export const PRODUCERS: readonly Producer[] = [directReply, mentions, decisionToAuthor];

const byAuthor = (n: NewNotification) => n.kind !== 'moderation';

/** One's own actions tell nobody: a reply to oneself, a mention of oneself. */
export const notOwnAction: Phase = (notices, { change }) => notices.filter((n) => !byAuthor(n) || n.recipientId !== change.comment.authorGuestId);

/**
 * The comment is as the notice says, now: a reply or mention while it is visible; a decision while it
 * still stands (approved and visible, held and pending, removed and gone), so a decision undone before
 * the notifier ran is not told.
 */
export const commentStillAsTold: Phase = (notices, { change }) => {
  const { status } = change.comment;
  return notices.filter((n) => {
    if (byAuthor(n)) return status === 'visible';
    if (n.decision === 'approved') return status === 'visible';
    if (n.decision === 'held') return status === 'pending';
    return status === 'removed' || status === 'deleted';
  });
};

/** Nothing by a banned or shadow-banned person tells anyone. */
export const authorNotSilenced: Phase = (notices, { audience }) => (audience.actorSilenced ? notices.filter((n) => !byAuthor(n)) : notices);

/** A comment held because its author is shadow-banned stays invisible to them: no decision on it is told. */
export const notShadowHeld: Phase = (notices, { change }) =>
  change.cause === 'decided' && change.decision.heldReason === 'shadow_banned' ? notices.filter(byAuthor) : notices;

/** Only an open account is told (a guest has none; a deleted or closed account is gone). */
export const recipientHasAccount: Phase = (notices, { audience }) => notices.filter((n) => audience.accounts.has(n.recipientId));

/** Nothing from someone the recipient muted. */
export const notMuted: Phase = (notices, { audience }) => notices.filter((n) => !byAuthor(n) || !audience.muting.has(n.recipientId));

/** Nothing on a thread the recipient blocked. */
export const threadNotBlocked: Phase = (notices, { audience }) => notices.filter((n) => !audience.blocking.has(n.recipientId));

/** One notice per person per change, the first produced: a reply that also mentions its parent's author is a reply. */
export const onePerPerson: Phase = (notices) => {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const key = `${n.recipientId}\u0000${n.kind === 'moderation' ? 'decision' : 'author'}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

export const PHASES: readonly Phase[] = [notOwnAction, commentStillAsTold, authorNotSilenced, notShadowHeld, recipientHasAccount, notMuted, threadNotBlocked, onePerPerson];

/** The candidates a change makes, before any phase: whom the notifier asks about (Audience). */
export function candidatesOf(change: NoticeChange): NewNotification[] {
  return PRODUCERS.flatMap((produce) => produce(change));
}

/** The notices to keep: the candidates through every phase, in order. */
export function noticesFor(change: NoticeChange, audience: Audience, candidates = candidatesOf(change)): NewNotification[] {
  return PHASES.reduce((notices, phase) => phase(notices, { change, audience }), candidates);
}
