import type { CommentStatus, HeldReason } from '../contract/api';
import type { CommentPolicy } from './commentPolicy';

export type { CommentStatus, HeldReason };

/** A discussion attached to one article. */
export interface Thread {
  id: string;
  slug: string;
  title: string;
  /** The article text: paragraphs separated by a blank line. */
  article: string;
  locked: boolean;
  /** The sequence number of the thread's latest event (0 before the first). */
  seq: number;
  /** Where the thread came from, e.g. `seed:000_x.txt`; null when created in the app. */
  source: string | null;
  createdAt: string;
  /** One comment per guest per this many seconds; 0 is off. */
  slowModeSeconds: number;
  /** New comments are held for a moderator. */
  preModeration: boolean;
  /** The host article it was opened for from an embed (a signed token's, or a page of EMBED_THREAD_URLS); else null. */
  articleUrl: string | null;
  /** Hidden by an admin: it does not exist for anyone but staff, and takes no comments. */
  hidden: boolean;
  /** Who may comment here when an admin chose for this thread (lib/domain/commentPolicy.ts); null: the site's policy. */
  commentPolicy: CommentPolicy | null;
  /** Switched to Q&A by a moderator: top-level comments are questions (lib/domain/questions.ts). */
  qa: boolean;
  /** When comments close (ISO-8601 UTC): the thread is locked then, and refuses posts from then on; null: never (lib/domain/closing.ts). */
  closesAt: string | null;
}

/** One comment, stored flat: the tree is built from `parentId` by `buildTree`. */
export interface Comment {
  id: string;
  threadId: string;
  parentId: string | null;
  /** 1 for a top-level comment. */
  depth: number;
  /** The top-level comment this one's branch starts from: its own id when it is top-level. */
  rootId: string;
  status: CommentStatus;
  /** Null when the author is unknown (imported text has none) or the comment was deleted. */
  authorName: string | null;
  /** The guest who wrote it (from the signed session); never shown to readers. */
  authorGuestId: string | null;
  /** The client's idempotency key for the post, unique per guest. */
  clientId: string | null;
  /** The source text (markdown) as written. */
  body: string;
  /** Null when unknown (imported text has no dates). */
  createdAt: string | null;
  editedAt: string | null;
  /** The seq of the event that created the comment: orders siblings, oldest first. */
  seq: number;
  /** No replies below this comment (a branch lock). */
  locked: boolean;
  /** Featured at the top of the thread. */
  pinned: boolean;
  /** Why a `pending` comment is held: pre-moderation, a banned word, or an edit that needs a new review. */
  heldReason: HeldReason | null;
  /** How many readers like it (one like per guest). */
  likes: number;
  /**
   * The accounts its text names with `@Name` (lib/domain/mentions.ts), resolved once before the comment
   * is stored (at most MAX_MENTIONS_PER_COMMENT, distinct): rendered as links, and told (issue 17).
   * Absent or empty: it names nobody.
   */
  mentions?: readonly MentionRef[];
  /**
   * An editors' pick (issue 19.1, `pinned`): the moderator's one-line note (null: none) and when it was
   * featured. Absent on a comment never featured; kept while it is unpinned by a removal, for an Undo.
   */
  pick?: { note: string | null; at: string | null };
  /** On a question of a Q&A thread: the reply that answers it (lib/domain/questions.ts); absent or null: none. */
  answerId?: string | null;
}

/** A person a comment mentions: their account's id, and the name as the text spells it. */
export interface MentionRef {
  id: string;
  name: string;
}

export interface ThreadWithCount extends Thread {
  /** Visible comments only. */
  commentCount: number;
}
