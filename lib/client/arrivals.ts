import { flattenTree, type TreeItem, type TreeNode } from '../domain/tree';
import type { ClientComment } from './threadState';

/**
 * What arrived while the reader read, and where to take them: new top-level
 * comments held back, and whatever came while the page was offline. The page
 * says it in one place that follows the reader (the arrivals pill); the
 * counting and the choice of where to go are here, pure, to be unit-tested.
 */

/** How long "Back — nothing new" stays up. */
export const UP_TO_DATE_MS = 5000;

/** The connection as the reader is told about it. */
export type Presence = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** The page lost its connection: what it had then, and how many catch-ups it had done. */
export interface Away {
  known: ReadonlySet<string>;
  synced: number;
}

/** Back after an absence: the comments that came meanwhile, until the reader goes to them or dismisses the notice. */
export interface Back {
  ids: readonly string[];
  /** When the notice was given (epoch ms): "Back — nothing new" goes again UP_TO_DATE_MS after it. */
  at: number;
}

/** The connection went: remember what the page showed. An absence not yet made up keeps its first snapshot. */
export function leave(away: Away | null, comments: Readonly<Record<string, ClientComment>>, synced: number): Away {
  return away ?? { known: new Set(Object.keys(comments)), synced };
}

/** Connected again and caught up since the connection went (a catch-up completed after it). */
export function isBack(away: Away | null, presence: Presence, synced: number): away is Away {
  return away !== null && presence === 'live' && synced > away.synced;
}

/** Others' visible comments on the page now that were not there when the reader went away. */
export function missedSince(known: ReadonlySet<string>, comments: Readonly<Record<string, ClientComment>>): string[] {
  return Object.values(comments)
    .filter((c) => !known.has(c.id) && !c.mine && !c.local && c.status === 'visible')
    .sort((a, b) => a.seq - b.seq)
    .map((c) => c.id);
}

/** The notice on return: what an earlier return left unvisited, and what this absence brought. */
export function cameBack(previous: Back | null, missed: readonly string[], now: number): Back {
  return { ids: [...new Set([...(previous?.ids ?? []), ...missed])], at: now };
}

/**
 * What the pill takes the reader to: comments missed while away and comments held back, those still
 * shown. A branch page (`rootId`) shows its branch only: what arrived elsewhere is not counted there;
 * nor is what the page's view leaves out (`inView`: threadState.ts shownInView, the Picks and Q&A views).
 */
export function unseen(options: {
  back: Back | null;
  held: readonly string[];
  comments: Readonly<Record<string, ClientComment>>;
  rootId: string | null;
  inView?: (comment: ClientComment) => boolean;
}): string[] {
  const { comments, rootId, inView } = options;
  const ids = new Set([...(options.back?.ids ?? []), ...options.held]);
  return [...ids].filter((id) => {
    const c = comments[id];
    return c?.status === 'visible' && (rootId === null || c.rootId === rootId) && (inView === undefined || inView(c));
  });
}

/** The first of `ids` in the order the page shows comments (each one, then its replies), or null. */
export function firstShown<T extends TreeItem>(tree: readonly TreeNode<T>[], ids: ReadonlySet<string>): string | null {
  return flattenTree(tree).find((c) => ids.has(c.id))?.id ?? null;
}

/** What the pill says: the connection's news (a sentence), and the button to what arrived (with its count). */
export interface ArrivalsView {
  status: 'offline' | 'reconnecting' | 'upToDate' | null;
  button: { back: boolean; count: number } | null;
}

export function arrivalsView(options: { presence: Presence; away: Away | null; back: Back | null; unseen: readonly string[] }): ArrivalsView {
  const { presence, away, back } = options;
  const count = options.unseen.length;
  const button = count > 0 ? { back: back !== null && back.ids.length > 0, count } : null;
  if (away !== null && (presence === 'offline' || presence === 'reconnecting')) return { status: presence, button };
  // "Nothing new" until the page takes the notice down (UP_TO_DATE_MS after `back.at`).
  return { status: back !== null && count === 0 ? 'upToDate' : null, button };
}
