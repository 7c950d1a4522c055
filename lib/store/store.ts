import type { SiteSettings } from '../domain/commentPolicy';
import type { ThreadEvent, ThreadSettings } from '../domain/events';
import type { Comment, CommentStatus, HeldReason, MentionRef, Thread, ThreadWithCount } from '../domain/types';
import type { AccountStore } from './accountStore';
import type { PolicyStore } from './policyStore';
import type { ImportStore } from './importStore';
import type { MentionStore } from './mentionStore';
import type { ModerationStore, AuditEntry, ReportsChange } from './moderationStore';
import type { Notification } from '../domain/notifications';
import type { CheckedNotification, NotificationStore } from './notificationStore';
import type { OwnDataStore } from './personData';
import type { PersonStore } from './personStore';
import type { SpamStore } from './spamStore';
import type { SsoTokenStore } from './ssoTokenStore';
import type { SignInLinkStore } from './signInLinkStore';
import type { WebhookStore } from './webhookStore';
import type { MailStore } from './mailStore';
import type { ThreadChangeWatch, WatchThreadChangesOptions } from './threadChanges';
import type { PulseStore } from './pulseStore';

/** A comment to import: `key`/`parentKey` link comments within one import (its depth follows from its parent). */
export interface ImportedComment {
  key: number;
  parentKey: number | null;
  status: CommentStatus;
  authorName: string | null;
  body: string;
  createdAt: string | null;
}


export interface ImportThreadRequest {
  /** Identifies the origin (e.g. `seed:000_x.txt`): importing the same source twice changes nothing. */
  source: string;
  /** The preferred slug; `-2`, `-3`… is appended when another thread has it. */
  slug: string;
  title: string;
  article: string;
  locked: boolean;
  /** Parents before children. */
  comments: readonly ImportedComment[];
}

export interface ImportThreadResult {
  thread: Thread;
  /** False when the source had already been imported. */
  created: boolean;
}

export interface CreateThreadRequest {
  slug: string;
  title: string;
  article?: string;
  locked?: boolean;
  /** The host article it is opened for from an embed. */
  articleUrl?: string | null;
}

export interface CreateCommentRecord {
  threadId: string;
  parentId: string | null;
  authorName: string;
  authorGuestId: string;
  body: string;
  clientId: string | null;
  /** Held for review (a banned word, say); pre-moderation is read from the thread under its lock. */
  hold?: HeldReason | null;
  /**
   * Refuse with `banned` if the author has a ban in force at this time. Checked
   * in the statement that takes the seq, so posting costs no extra round trip.
   */
  refuseIfBannedAt?: string;
  /** The author is signed in (their account's id is `authorGuestId`): the comment policy and the trust rules read it. */
  authorIsAccount?: boolean;
  /** The site's settings where an admin set none (the environment's); DEFAULT_SITE_SETTINGS when not given. */
  siteDefaults?: SiteSettings;
  /**
   * The bits of the address the author posts from (lib/domain/addressRange.ts addressBits), for the
   * bans of address ranges, which hold guests only; null or absent: no range ban is matched.
   */
  addressBits?: string | null;
  /** The people its `@Name`s resolved to (lib/domain/mentions.ts resolveMentions), stored with it; absent: none. */
  mentions?: readonly MentionRef[];
  /**
   * The notices the post makes, as the rules decide them from the comment as stored (lib/services/notifications,
   * `noticesOfPost`). SQLite keeps them in the post's own transaction, one commit instead of two; PostgreSQL,
   * whose post is one autocommitted statement, leaves them to the notifier after the commit (docs/decisions.md,
   * "Notices after the commit"). Absent: the post makes none here.
   */
  notices?: NoticesOfPost;
}

/** A post's notices, from the comment as stored and its parent's author (null: no parent, or a guest's). */
export type NoticesOfPost = (posted: { comment: Comment; parentAuthorId: string | null }) => readonly CheckedNotification[];

export interface CreateCommentResult {
  comment: Comment;
  /**
   * Null when `clientId` matched a comment this guest had already posted (nothing
   * new was stored). That comment may be on another thread: the caller decides.
   */
  event: ThreadEvent | null;
  /**
   * Who wrote the parent of the comment stored (null: no parent, or a guest's), as the posting statement
   * read it: the reply's notice needs no read of its own (lib/services/notifications/notifier.ts). Absent
   * when nothing new was stored.
   */
  parentAuthorId?: string | null;
  /** The notices kept in the post's transaction (CreateCommentRecord.notices); absent when they were left to the notifier. */
  notices?: Notification[];
}

/** An author's edit of their own comment (posting/editing.ts): judged by the posting rules that concern edits. */
export interface EditCommentRecord {
  threadId: string;
  commentId: string;
  /** The author: the comment must be theirs. */
  authorGuestId: string;
  body: string;
  /** When the edit is made (`editedAt`); a ban in force at this time refuses it. */
  editedAt: string;
  /** As a post's (CreateCommentRecord.addressBits). */
  addressBits?: string | null;
  /** Held for review (a banned word); pre-moderation and a pin are read from the thread and the comment under the thread's lock. */
  hold: HeldReason | null;
  /** The people the new text names (resolved as a post's are), stored with it; absent: none. */
  mentions?: readonly MentionRef[];
}

export interface EditCommentResult {
  comment: Comment;
  /** Null when the text was the comment's already: nothing was written. */
  event: ThreadEvent | null;
}

export interface UpdateCommentRecord {
  threadId: string;
  commentId: string;
  changes: Partial<Pick<Comment, 'body' | 'status' | 'authorName' | 'editedAt' | 'locked' | 'pinned' | 'heldReason' | 'mentions' | 'pick' | 'answerId'>>;
  /** The change applies only while the comment has one of these statuses; otherwise `already_handled`. */
  onlyIfStatus?: CommentStatus[];
  /** The change applies only while the question's answer is this one (null: it has none); otherwise `already_handled`. */
  onlyIfAnswerId?: string | null;
  /** A moderator's action, recorded in the audit log in the same transaction. */
  audit?: AuditEntry;
  /** What the change does to the comment's reports, in the same transaction and at the audit entry's time. */
  reports?: ReportsChange;
}

export interface UpdateThreadRecord {
  threadId: string;
  changes: Partial<ThreadSettings>;
  audit?: AuditEntry;
}

export interface SetLikeRecord {
  threadId: string;
  commentId: string;
  guestId: string;
  /** True likes, false takes the like back. */
  liked: boolean;
}

export interface SetLikeResult {
  /** The comment's count after the change (or as it is, when nothing changed). */
  likes: number;
  /** Null when nothing changed: liked twice, or unliked without a like. */
  event: ThreadEvent | null;
}

/** Which of a thread's top-level comments a page starts after. */
export interface TopLevelAfter {
  seq: number;
  /** The "top" order's cursor also holds the likes the last branch had when the page was read. */
  likes?: number;
  /** The "answered-first" order's cursor holds whether the last question was answered when the page was read. */
  answered?: boolean;
}

/**
 * Top-level comments by seq (`asc`, `desc`), by likes (`top`), answered questions first (`answered-first`),
 * or only the answered or the open ones, oldest first (`answered`, `unanswered`: lib/domain/questions.ts).
 */
export type TopLevelOrder = 'asc' | 'desc' | 'top' | 'answered-first' | 'answered' | 'unanswered';

/** Where a page of a thread list starts: strictly after this thread (the list's keyset). */
export interface ThreadListAfter {
  createdAt: string;
  id: string;
}

export interface ListThreadsRequest {
  /** The last thread of the page before. */
  after?: ThreadListAfter;
  limit: number;
  /** `listed` (the public list): hidden threads are left out; `all`: the admins' list, every thread. */
  which?: 'listed' | 'all';
}

export interface DeleteThreadRecord {
  threadId: string;
  /** Recorded in the same transaction, with what was deleted (slug, title, counts) in its details. */
  audit: AuditEntry;
}

export interface DeletedThreadResult {
  thread: Thread;
  /** Every comment it held, whatever its status. */
  comments: number;
  /** Its comments that were in the moderators' queue (held, or reported and visible): they leave every desk. */
  queued: string[];
}

export interface EventsAfterRequest {
  threadId: string;
  afterSeq: number;
  limit?: number;
}

/**
 * The system of record. Every change to a thread happens in one transaction
 * together with its event, which takes the thread's next `seq`.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies any pending migrations. Safe to call from several nodes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A trivial query (readiness probes): resolves when the database answers. */
  ping(): Promise<void>;

  countThreads(): Promise<number>;
  /**
   * A page of threads, newest first: by created_at, then id, both descending
   * (ids break ties in creation time, which are common: an import makes many
   * threads in one millisecond). At most `limit` (default 100), strictly after `after`.
   */
  listThreads(request?: ListThreadsRequest): Promise<ThreadWithCount[]>;
  /** The thread with its count of visible comments (for pages and the API). */
  findThreadBySlug(slug: string): Promise<ThreadWithCount | undefined>;
  /** The thread alone: the hot paths (posting, catching up) need no count. */
  findThreadRowBySlug(slug: string): Promise<Thread | undefined>;
  /**
   * The imported thread (one with a `source`) readers may see whose article is at the first of
   * `urls` that has one: the embed's way to an imported thread its host page names by address
   * (server/embed/articleAddress.ts). Threads opened by an embed are not matched: another slug
   * on the same page is another discussion.
   */
  findImportedThreadByArticleUrl(urls: readonly string[]): Promise<Thread | undefined>;
  /**
   * The count of visible comments of each of these threads, from the count the triggers keep on its row
   * (migration 0008): the front pages' counts (docs/embed.md, "Comment counts"). A hidden or unknown
   * slug is absent.
   */
  readCommentCounts(slugs: readonly string[]): Promise<Map<string, number>>;
  listComments(request: { threadId: string }): Promise<Comment[]>;
  /**
   * A page of top-level comments by seq (`asc` oldest first), or by likes then
   * seq (`top`: most liked first, ties oldest first), strictly after `after` in
   * that order: the cursor of a paged thread.
   */
  listTopLevel(request: { threadId: string; order: TopLevelOrder; after?: TopLevelAfter; limit: number }): Promise<Comment[]>;
  /** Every comment of these branches (named by their top-level comments), by seq. */
  listBranches(request: { threadId: string; rootIds: readonly string[] }): Promise<Comment[]>;
  /** How many comments (of any status) each of these branches holds; a branch with none is absent. */
  countBranches(request: { threadId: string; rootIds: readonly string[] }): Promise<Map<string, number>>;
  /** The newest visible comments of a thread, newest first (its feed). */
  listRecentVisible(request: { threadId: string; limit: number }): Promise<Comment[]>;
  /** When the thread last changed (its latest event), or null before any. */
  latestEventAt(request: { threadId: string }): Promise<string | null>;
  /** The thread's pinned comments, by seq. */
  listPinned(request: { threadId: string }): Promise<Comment[]>;
  /** Within one thread when `threadId` is given. */
  findComment(request: { id: string; threadId?: string }): Promise<Comment | undefined>;
  findCommentByClientId(request: { guestId: string; clientId: string }): Promise<Comment | undefined>;
  findThreadById(id: string): Promise<Thread | undefined>;
  eventsAfter(request: EventsAfterRequest): Promise<ThreadEvent[]>;

  createThread(request: CreateThreadRequest): Promise<Thread>;
  importThread(request: ImportThreadRequest): Promise<ImportThreadResult>;
  /**
   * Stores a new comment and its `comment.created` event under the thread's next seq,
   * or throws the refusal of the first posting rule that stops it (posting/rules.ts:
   * judged under the thread's row lock, so no comment commits after a lock); a
   * repeated (guest, clientId) returns the stored comment with no event.
   */
  createComment(record: CreateCommentRecord): Promise<CreateCommentResult>;
  /**
   * The author's edit: the new text and `comment.updated` under the thread's next
   * seq, held for review when the thread is pre-moderated, the comment pinned or
   * `hold` given; or throws the refusal of the first posting rule that stops an
   * edit (posting/rules.ts: the thread's and the branch's lock, a ban, a comment
   * that is gone or held), judged under the thread's row lock as a post is.
   */
  editComment(record: EditCommentRecord): Promise<EditCommentResult>;
  /** Changes a comment and records `comment.updated` under the thread's next seq. */
  updateComment(record: UpdateCommentRecord): Promise<{ comment: Comment; event: ThreadEvent }>;
  /**
   * Likes or unlikes a visible comment for one guest and records `comment.liked`
   * with the new count under the thread's next seq; a like that is already there
   * (or an unlike of none) changes nothing and records nothing. Throws
   * `comment_not_found` (also for a held comment) and `comment_gone` (deleted, removed).
   */
  setLike(record: SetLikeRecord): Promise<SetLikeResult>;
  /** The guest's visible and held comments on the thread, newest first (at most 1000). */
  listOwnComments(request: { threadId: string; guestId: string }): Promise<Comment[]>;
  /** Which of these comments the guest likes. */
  likedBy(request: { guestId: string; commentIds: readonly string[] }): Promise<Set<string>>;
  /** The visible comments of the thread the guest likes (at most 10,000). */
  likedIn(request: { threadId: string; guestId: string }): Promise<string[]>;
  /** Whether any comment answers this one. */
  hasReplies(request: { commentId: string }): Promise<boolean>;
  /** Changes the lock, slow mode, pre-moderation or hiding, as a `thread.updated` event under the thread's next seq. */
  updateThread(record: UpdateThreadRecord): Promise<{ thread: Thread; event: ThreadEvent }>;
  /**
   * Locks at most `limit` open threads whose closing time has come, each with its `thread.updated`
   * event under its next seq and a `thread.close` audit entry, in one transaction; a thread another
   * node locked first is not returned (lib/domain/closing.ts).
   */
  closeDueThreads(request: { limit: number }): Promise<{ thread: Thread; event: ThreadEvent }[]>;
  /**
   * Deletes the thread and everything that hangs off it (its comments, events,
   * likes, reports and import mappings) in one transaction that first takes
   * the thread's row lock, as posting does, so no post commits into it after;
   * the audit entry is written in the same transaction and outlives it.
   * Throws `thread_not_found`.
   */
  deleteThread(record: DeleteThreadRecord): Promise<DeletedThreadResult>;

  accounts: AccountStore;
  /** A person's own data: their name everywhere, their export, their deletion, a guest's claim (issue 16.4). */
  ownData: OwnDataStore;
  moderation: ModerationStore;
  /** Site settings and moderators' word on people: the comment policy, trust, shadow-bans (migration 0020). */
  policy: PolicyStore;
  /** What moderators read and keep about a person: their page, notes, badges, a guest's last address (issue 16). */
  people: PersonStore;
  /** The outbox of outgoing webhooks. */
  webhooks: WebhookStore;
  /** Imports from other systems and the full export (docs/import.md). */
  imports: ImportStore;
  /** What the spam check remembers between posts, and the comments it could not check (lib/services/spam). */
  spam: SpamStore;
  /** The host site's sign-in tokens already used (lib/services/signIn/ssoTokens.ts). */
  ssoTokens: SsoTokenStore;
  /** Email sign-in links and the embed's frame codes, by hash (lib/services/signIn). */
  signInLinks: SignInLinkStore;
  /** Who can be named with `@`: accounts by display-name key, a thread's people, a person's public page (docs/mentions.md). */
  mentions: MentionStore;
  /** Email for notices (issue 17): choices, address proofs, the batches and digests, and the durable outbox. */
  mail: MailStore;
  /** The bell's notices, their read marks, mutes and thread watches (issue 17, lib/services/notifications). */
  notifications: NotificationStore;
  /** The moderators' pulse: posts per minute, the queue, decisions, the busiest threads and people (issue 19.5). */
  pulse: PulseStore;
  /**
   * Calls `onChange` soon after a change this process did not publish reaches the database: on SQLite any
   * other connection's commit (no slugs: it cannot tell which thread), on PostgreSQL an import's, with the
   * slugs of the threads it wrote (threadChanges.ts). The server tells those threads' readers at once.
   */
  watchThreadChanges(options: WatchThreadChangesOptions): ThreadChangeWatch;
}
