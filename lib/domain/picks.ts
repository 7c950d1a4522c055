/**
 * Editors' picks (issue 19.1): which comments the Picks strip, its API and its feed show, and in what
 * order. One rule for the server (lib/services/threadService.ts getPicks) and the page
 * (lib/client/threadState.ts picksOf): a featured (pinned) comment that is visible, newest pick first.
 * A removed or deleted comment is no pick (removing also unpins it; an Undo of the removal brings the
 * pick back with its note, lib/services/removal.ts).
 */

/** What the rule reads of a comment, as the domain and the wire both have it. */
export interface PickCandidate {
  status: string;
  pinned: boolean;
  seq: number;
  pick?: { at: string | null } | null;
}

export function isPick(c: PickCandidate): boolean {
  return c.pinned && c.status === 'visible';
}

/** Newest pick first; a pick of unknown time (featured before picks had one) after those with one, oldest comment first. */
export function comparePicks(a: PickCandidate, b: PickCandidate): number {
  const at = (c: PickCandidate) => (c.pick?.at ? Date.parse(c.pick.at) : -Infinity);
  return at(b) - at(a) || a.seq - b.seq;
}

export function picksAmong<T extends PickCandidate>(comments: Iterable<T>): T[] {
  return [...comments].filter(isPick).sort(comparePicks);
}
