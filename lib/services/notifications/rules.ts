import { MAX_MENTIONS_PER_COMMENT } from '../../domain/notifications';
import type { Comment } from '../../domain/types';
import type { AudienceCheck, CheckedNotification, NewNotification } from '../../store/notificationStore';
import type { NoticesOfPost } from '../../store/store';
import type { CommentDecision } from './decisions';

/**
 * Who is told what (issue 17, docs/notifications.md), in one place: a change is turned into
 * candidate notices by the producers, then each phase in PHASES may drop some. A new rule is one
 * small function added to one list, and every path that tells anyone (the bell now, the mail that
 * reads the bell's rows) goes through the same list. Two kinds of phase: PHASES, pure functions of
 * the change, and AUDIENCE_PHASES, which ask a fact only the store knows when the notice is kept (a
 * recipient's account, mutes and blocks, the author's standing). The notifier (./notifier.ts) runs
 * the first, and hands the store each surviving notice with the facts the second say it must find
 * true: the store asks them in the statement that keeps the notices (one round trip per change).
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
}

/**
 * What the audience phases are judged by outside the store (rules.test.ts): the facts about a change's
 * recipients and its author, as sets. The notifier never reads these; the store asks each fact in SQL
 * in the statement that keeps the notices (AudienceCheck).
 */
export interface Audience {
  /** The actor has a ban in force, or is shadow-banned (no actor: false). */
  actorSilenced: boolean;
  /** Of the candidates, those with an open account (a guest id, a deleted or removed account is absent). */
  accounts: ReadonlySet<string>;
  /** Of the candidates, those who muted the actor. */
  muting: ReadonlySet<string>;
  /** Of the candidates, those who blocked the thread. */
  blocking: ReadonlySet<string>;
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
  const told = { recipientId: change.comment.authorGuestId, threadId: change.comment.threadId, commentId: change.comment.id, actorId: null, actorName: null, reason };
  return [decision === 'featured' ? { ...told, kind: 'featured', decision: null } : { ...told, kind: 'moderation', decision }];
};

export const PRODUCERS: readonly Producer[] = [directReply, mentions, decisionToAuthor];

/** A reply or a mention: told as the comment's author's doing (a decision or a pick is told without its moderator). */
const byAuthor = (n: NewNotification) => n.kind !== 'moderation' && n.kind !== 'featured';

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
    if (n.kind === 'featured') return status === 'visible' && change.comment.pinned;
    if (n.decision === 'approved') return status === 'visible';
    if (n.decision === 'held') return status === 'pending';
    return status === 'removed' || status === 'deleted';
  });
};

/** A comment held because its author is shadow-banned stays invisible to them: no decision on it is told. */
export const notShadowHeld: Phase = (notices, { change }) =>
  change.cause === 'decided' && change.decision.heldReason === 'shadow_banned' ? notices.filter(byAuthor) : notices;

/** One notice per person per change, the first produced: a reply that also mentions its parent's author is a reply. */
export const onePerPerson: Phase = (notices) => {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const key = `${n.recipientId}\u0000${n.kind === 'moderation' || n.kind === 'featured' ? n.kind : 'author'}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

export const PHASES: readonly Phase[] = [notOwnAction, commentStillAsTold, notShadowHeld, onePerPerson];

/**
 * A phase that asks a fact only the store knows at the moment it keeps a notice: the notices it
 * concerns are kept only when `check` holds then (lib/store/notificationStore.ts, AUDIENCE_CHECK_SQL).
 * It concerns every notice, or those by the comment's author (a reply or a mention: a moderator's
 * decision is told without its moderator). Such a phase drops a notice for a fact of its recipient, its
 * author or its thread alone, never for another notice, and asks the same of the notices onePerPerson
 * chooses among (one recipient, all by the author or none): so judging them after PHASES, in the store,
 * keeps what judging them in between would.
 */
export interface AudiencePhase {
  check: AudienceCheck;
  concerns: 'every notice' | 'notices by the author';
}

export const AUDIENCE_PHASES: readonly AudiencePhase[] = [
  /** Nothing by a banned or shadow-banned person tells anyone. */
  { check: 'actorNotSilenced', concerns: 'notices by the author' },
  /** Only an open account is told (a guest has none; a deleted or closed account is gone). */
  { check: 'recipientHasAccount', concerns: 'every notice' },
  /** Nothing from someone the recipient muted. */
  { check: 'recipientNotMuting', concerns: 'notices by the author' },
  /** Nothing on a thread the recipient blocked. */
  { check: 'threadNotBlocked', concerns: 'every notice' },
];

/** The candidates a change makes, before any phase. */
export function candidatesOf(change: NoticeChange): NewNotification[] {
  return PRODUCERS.flatMap((produce) => produce(change));
}

/** The candidates through every pure phase, in order, each with the checks the store must find true to keep it. */
export function pendingNotices(change: NoticeChange, candidates = candidatesOf(change)): Required<CheckedNotification>[] {
  const passed = PHASES.reduce((notices, phase) => phase(notices, { change }), candidates);
  return passed.map((n) => ({ ...n, checks: AUDIENCE_PHASES.filter((p) => p.concerns === 'every notice' || byAuthor(n)).map((p) => p.check) }));
}

/** A post's notices (what the store keeps with the post where it can: lib/store/store.ts CreateCommentRecord.notices). */
export const noticesOfPost: NoticesOfPost = (posted) => pendingNotices({ cause: 'posted', ...posted });

/** What each check asks of a notice, read from facts given as sets (Audience) rather than from the store. */
const HOLDS: Record<AudienceCheck, (n: NewNotification, audience: Audience) => boolean> = {
  actorNotSilenced: (_n, a) => !a.actorSilenced,
  recipientHasAccount: (n, a) => a.accounts.has(n.recipientId),
  recipientNotMuting: (n, a) => !a.muting.has(n.recipientId),
  threadNotBlocked: (n, a) => !a.blocking.has(n.recipientId),
};

/** The notices to keep when the facts are these: every phase, the audience's judged from `audience`. */
export function noticesFor(change: NoticeChange, audience: Audience, candidates = candidatesOf(change)): NewNotification[] {
  return pendingNotices(change, candidates)
    .filter((n) => n.checks.every((check) => HOLDS[check](n, audience)))
    .map(({ checks: _checks, ...notice }) => notice);
}
