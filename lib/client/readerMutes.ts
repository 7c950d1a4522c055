import type { TreeNode } from '../domain/tree';
import type { ClientComment } from './threadState';

/**
 * A reader's mutes as the page keeps them (issue 19): the author keys whose comments fold. A guest's
 * live in their browser (localStorage) with a comment of each, by which the account takes them over
 * on sign-in (POST /api/me/mutes/merge); a signed-in reader's come from their account, where
 * `personId` is what unmuting names.
 */
export interface ReaderMute {
  /** The comments' `author.key`. */
  key: string;
  /** What the fold's "Unmute …" says: the name they wrote under when muted (null: unknown). */
  name: string | null;
  /** A guest's: one comment of theirs, what the merge on sign-in names. */
  commentId?: string;
  /** A signed-in reader's: the account's record of them. */
  personId?: string;
}

/** Where a guest's mutes are kept in the browser. */
export const GUEST_MUTES_KEY = 'threadline:mutes';
/** A guest's list is bounded like the merge (POST /api/me/mutes/merge takes 100 at a time): the oldest go first. */
export const GUEST_MUTES_MAX = 100;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** What the browser kept, read defensively: another version of the page (or a hand) may have written it. */
export function parseGuestMutes(stored: string | null): ReaderMute[] {
  if (stored === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const mutes: ReaderMute[] = [];
  for (const item of value.slice(-GUEST_MUTES_MAX)) {
    if (typeof item !== 'object' || item === null) continue;
    const { key, name, commentId } = item as Record<string, unknown>;
    if (!isText(key, 64) || seen.has(key) || !isText(commentId, 32)) continue;
    seen.add(key);
    mutes.push({ key, name: isText(name, 200) ? name : null, commentId });
  }
  return mutes;
}

/** Muted, unless already (the list stays one entry a person, newest last, at most GUEST_MUTES_MAX). */
export function withMute(mutes: readonly ReaderMute[], mute: ReaderMute): ReaderMute[] {
  if (mutes.some((m) => m.key === mute.key)) return [...mutes];
  return [...mutes, mute].slice(-GUEST_MUTES_MAX);
}

export function withoutMute(mutes: readonly ReaderMute[], key: string): ReaderMute[] {
  return mutes.filter((m) => m.key !== key);
}

/** Whether the page folds this comment: a visible one by a muted person, never the reader's own. */
export function isMutedComment(comment: ClientComment, muted: ReadonlySet<string>): boolean {
  return muted.size > 0 && comment.status === 'visible' && !comment.mine && comment.author.key !== undefined && muted.has(comment.author.key);
}

/** One entry of a list of siblings as the page shows it: a comment, or a fold over consecutive muted ones. */
export type FoldEntry = { kind: 'shown'; node: TreeNode<ClientComment> } | { kind: 'muted'; id: string; nodes: TreeNode<ClientComment>[] };

/**
 * Siblings with each run of consecutive muted comments folded into one entry ("2 comments from
 * muted people"): what a muted comment has under it folds with it. The fold's id is its first
 * comment's, so it stays the same fold (open or not) while comments arrive after it.
 */
export function foldMuted(nodes: readonly TreeNode<ClientComment>[], muted: ReadonlySet<string>): FoldEntry[] {
  const entries: FoldEntry[] = [];
  for (const node of nodes) {
    if (!isMutedComment(node.item, muted)) {
      entries.push({ kind: 'shown', node });
      continue;
    }
    const last = entries.at(-1);
    if (last?.kind === 'muted') last.nodes.push(node);
    else entries.push({ kind: 'muted', id: node.item.id, nodes: [node] });
  }
  return entries;
}

/** The people a fold holds, once each, in the order they appear: its "Unmute …" buttons. */
export function peopleIn(entry: { nodes: readonly TreeNode<ClientComment>[] }): { key: string; name: string | null }[] {
  const people = new Map<string, string | null>();
  for (const { item } of entry.nodes) if (item.author.key !== undefined && !people.has(item.author.key)) people.set(item.author.key, item.author.name);
  return [...people].map(([key, name]) => ({ key, name }));
}
