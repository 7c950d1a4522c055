import type { ReplyToMe } from './threadState';

/**
 * "N replies to your comments": the replies to this reader, as one notice
 * rather than one box each. It goes a while after the newest reply came (the
 * clock stops while the page is hidden: the page restarts it on return), when
 * the reader has visited each reply, or when dismissed. Pure: the page gives
 * the times it first saw each reply.
 */

/** How long the notice stays up after its newest reply, if the reader does nothing. */
export const REPLY_NOTICE_MS = 90_000;

/** Names listed in the notice; beyond them, "and N others". */
const NAMES_SHOWN = 3;

export interface ReplyGroup {
  /** Every reply in it, oldest first: dismissing the notice dismisses them all. */
  ids: string[];
  /** The reply "View" goes to: the oldest not yet visited. */
  next: ReplyToMe;
  /** The repliers' names, each once in order of their first reply (null: someone unnamed), at most NAMES_SHOWN. */
  names: (string | null)[];
  /** Repliers beyond those names. */
  others: number;
}

/** The notice for `replies`, or null when there are none. */
export function replyGroup(replies: readonly ReplyToMe[]): ReplyGroup | null {
  if (replies.length === 0) return null;
  const authors = [...new Set(replies.map((r) => r.author))];
  const shown = authors.length > NAMES_SHOWN ? NAMES_SHOWN - 1 : authors.length;
  return { ids: replies.map((r) => r.id), next: replies[0]!, names: authors.slice(0, shown), others: authors.length - shown };
}

/** When the notice goes if left alone: `ttl` after its newest reply was first seen; null while there is none, or one not seen yet. */
export function expiresAt(replies: readonly ReplyToMe[], seenAt: Readonly<Record<string, number>>, ttl = REPLY_NOTICE_MS): number | null {
  if (replies.length === 0 || replies.some((r) => seenAt[r.id] === undefined)) return null;
  return Math.max(...replies.map((r) => seenAt[r.id]!)) + ttl;
}

/** Times the page first saw each reply: new ones at `now`, dismissed ones forgotten; the same object when nothing changed. */
export function noteSeen(seenAt: Readonly<Record<string, number>>, replies: readonly ReplyToMe[], now: number): Readonly<Record<string, number>> {
  const changed = replies.some((r) => seenAt[r.id] === undefined) || Object.keys(seenAt).length !== replies.length;
  return changed ? Object.fromEntries(replies.map((r) => [r.id, seenAt[r.id] ?? now])) : seenAt;
}

/** The page is shown again after the notice ran out unseen: its clock starts over. */
export function restartClock(replies: readonly ReplyToMe[], now: number): Record<string, number> {
  return Object.fromEntries(replies.map((r) => [r.id, now]));
}
