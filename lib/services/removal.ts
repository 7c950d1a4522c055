import type { Comment } from '../domain/types';

/**
 * What a moderator's Remove changed, kept in its audit entry's details (written in the same
 * transaction as the removal) so that Undo (`unremove`) can put the comment back as it was:
 * held again if it was held (a removed comment carries no sign of it), pinned again if it was
 * pinned (removing unpins).
 */
export interface RemovedFrom {
  status: 'visible' | 'pending';
  pinned: boolean;
}

/** The details of a `comment.remove` audit entry. */
export function removalDetails(comment: Pick<Comment, 'status' | 'pinned'>): { was: RemovedFrom } {
  return { was: { status: comment.status === 'pending' ? 'pending' : 'visible', pinned: comment.pinned } };
}

/**
 * What the removal recorded in `details`; a removal recorded before this was kept (or none at
 * all: a comment imported as removed) is undone as a Restore would: visible, not pinned.
 */
export function removedFrom(details: Record<string, unknown> | undefined): RemovedFrom {
  const was = details?.was;
  if (typeof was !== 'object' || was === null) return { status: 'visible', pinned: false };
  const { status, pinned } = was as Record<string, unknown>;
  return { status: status === 'pending' ? 'pending' : 'visible', pinned: pinned === true };
}
