import type { CommentPolicy } from './commentPolicy';
import type { Comment } from './types';

/**
 * Every change to a thread is one of these, numbered by the thread's own `seq`
 * and committed in the same transaction as the change itself. Comment events
 * carry the comment as it is now: replaying them converges on the current state
 * (a deleted comment's text is not replayed).
 */
export type ThreadEventData =
  | { type: 'thread.created'; thread: { slug: string; title: string; locked: boolean } }
  | { type: 'comment.created'; comment: Comment }
  | { type: 'comment.updated'; comment: Comment }
  | { type: 'thread.updated'; thread: ThreadSettings }
  /** A like or an unlike: the NEW count, not a delta, so a replayed event changes nothing. */
  | { type: 'comment.liked'; commentId: string; likes: number };

/** A thread's state that moderators change, sent whole with every change. */
export interface ThreadSettings {
  locked: boolean;
  slowModeSeconds: number;
  preModeration: boolean;
  /** Hidden by an admin: gone for everyone but staff, and closed to posting (docs/security.md, "Threads nobody wanted"). */
  hidden: boolean;
  /** The thread's own comment policy, or null for the site's (lib/domain/commentPolicy.ts). */
  commentPolicy: CommentPolicy | null;
  /** Q&A: top-level comments are questions, answered by badge holders or a moderator's mark (lib/domain/questions.ts). */
  qa: boolean;
  /** When comments close (UTC), or null for never (lib/domain/closing.ts). */
  closesAt: string | null;
}

export type ThreadEvent = ThreadEventData & {
  threadId: string;
  seq: number;
  createdAt: string;
};
