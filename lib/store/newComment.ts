import { newId } from '../domain/ids';
import { placeUnder, type Placement } from '../domain/placement';
import type { Comment } from '../domain/types';

export type { Placement };

/** What a new comment is made from; what is left out starts empty (no edit, no lock, no pin, no likes). */
export type NewComment = Pick<Comment, 'threadId' | 'parentId' | 'status' | 'authorName' | 'authorGuestId' | 'clientId' | 'body' | 'createdAt' | 'heldReason' | 'seq'> &
  Partial<Pick<Comment, 'id' | 'editedAt' | 'locked' | 'pinned' | 'mentions' | 'pick'>> &
  ({ placement: Placement } | { parent: Placement | null });

/**
 * Every new comment is built here: posted (both paths), imported from a seed
 * or a synthetic thread, or imported from another system. A comment that keeps
 * an id (an import of a Threadline export) passes it; otherwise one is made.
 */
export function prepareNewComment(fields: NewComment): Comment {
  const id = fields.id ?? newId();
  const { depth, rootId } = 'placement' in fields ? fields.placement : placeUnder(id, fields.parent);
  return {
    id,
    threadId: fields.threadId,
    parentId: fields.parentId,
    depth,
    rootId,
    status: fields.status,
    authorName: fields.authorName,
    authorGuestId: fields.authorGuestId,
    clientId: fields.clientId,
    body: fields.body,
    createdAt: fields.createdAt,
    editedAt: fields.editedAt ?? null,
    seq: fields.seq,
    locked: fields.locked ?? false,
    pinned: fields.pinned ?? false,
    heldReason: fields.heldReason,
    // Likes are never carried over: the guests who gave them are not either.
    likes: 0,
    // The people its text names, resolved by the caller before the insert (lib/domain/mentions.ts).
    ...(fields.mentions && fields.mentions.length > 0 && { mentions: fields.mentions }),
    // An editors' pick's note and time, carried over by an import of a Threadline export.
    ...(fields.pick && { pick: fields.pick }),
  };
}
