import type { NotificationsChanged } from '../../contract/notifications';
import type { ErrorLog } from '../../domain/errorLog';
import type { Notification } from '../../domain/notifications';
import type { Comment } from '../../domain/types';
import type { Store } from '../../store/store';
import { excerptOf } from '../../store/notificationStore';
import type { EventBus, PublishedEvent } from '../eventBus';
import type { CommentDecision } from './decisions';
import { pendingNotices, type NoticeChange } from './rules';
import { toNotificationItem } from './view';
import { CappedMap } from '../../domain/cappedMap';

/**
 * A `comment.updated` that is its author's edit: its text changed just now. Other updates of a comment
 * (a pin, a lock, a rename of its author, a claim, a restore) leave `editedAt` as it was, and must not
 * cost a query each (a rename rewrites every comment of its author).
 */
const EDIT_EVENT_WINDOW_MS = 60_000;
function justEdited(comment: Comment, eventAt: string): boolean {
  return comment.editedAt !== null && Math.abs(Date.parse(eventAt) - Date.parse(comment.editedAt)) < EDIT_EVENT_WINDOW_MS;
}

/** Comments whose authors a node remembers (a few megabytes at most), and threads whose titles. */
const REMEMBERED_AUTHORS = 20_000;
const REMEMBERED_THREADS = 5_000;

/** A person's bell changed: their sockets are told, on every node (server/realtime/notificationFanout.ts). */
export type NoticeDelivery = NotificationsChanged & { recipientId: string };

/**
 * Turns committed changes into notices (./rules.ts), on the node that committed them, after the
 * commit (docs/decisions.md, "Notices after the commit"). Each change costs nothing more when it can
 * tell nobody (no parent, no mention, no decision, or every candidate dropped by the pure phases),
 * else one statement: the insert that asks, for each notice, the audience phases' facts (accounts,
 * mutes, blocks, the author's standing) and keeps those that pass (idempotent: a notice is never kept
 * twice). On SQLite a post's notices are kept by that same statement inside the post's transaction
 * (the store asks ./rules.ts noticesOfPost), and come here with its event only to be delivered.
 * A reply's parent's author comes with its event (the post read it); only a parent neither posted
 * here nor remembered costs a read. A failure here is logged: the comment is posted whatever becomes
 * of its notices (on SQLite a post and its notices are one transaction: both, or neither).
 */
export function startNotifier(deps: {
  store: Store;
  bus: EventBus<PublishedEvent>;
  decisions: EventBus<CommentDecision>;
  deliveries: EventBus<NoticeDelivery>;
  log: ErrorLog;
  now?: () => number;
  /** Told when a change has been handled (its notices kept or none): tests wait on it. */
  onSettled?: (commentId: string) => void;
}): { stop(): void; idle(): Promise<void> } {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const pending = new Set<Promise<void>>();

  /**
   * Who wrote the comments this node has seen posted or changed, so that a reply's parent costs no
   * read (a busy thread's replies answer its recent comments). Authors change only by a claim or an
   * erasure, which come through here as `comment.updated` too. Bounded: forgotten wholesale when full.
   */
  const authors = new CappedMap<string, string | null>(REMEMBERED_AUTHORS);
  const rememberAuthor = (commentId: string, authorId: string | null) => {
    authors.set(commentId, authorId);
  };
  async function parentAuthor(comment: Comment): Promise<string | null> {
    if (comment.parentId === null) return null;
    const known = authors.get(comment.parentId);
    if (known !== undefined) return known;
    const parent = await store.findComment({ id: comment.parentId, threadId: comment.threadId });
    if (parent) rememberAuthor(parent.id, parent.authorGuestId);
    return parent?.authorGuestId ?? null;
  }

  /** Threads' slugs and titles, which never change (a deleted thread's notices are deleted with it): one read per thread per node. */
  const threads = new CappedMap<string, { slug: string; title: string }>(REMEMBERED_THREADS);
  function threadOf(threadId: string): Promise<{ slug: string; title: string } | undefined> {
    return threads.remembered(threadId, async () => {
      const thread = await store.findThreadById(threadId);
      return thread && { slug: thread.slug, title: thread.title };
    });
  }

  async function handle(change: NoticeChange): Promise<void> {
    const notices = pendingNotices(change);
    if (notices.length === 0) return;
    // The audience phases are asked by the statement that keeps the notices: one round trip.
    await deliver(change.comment, await store.notifications.insert({ notices, at: new Date(now()).toISOString() }));
  }

  /** The bells of the people these kept notices are for (the notices of a post its store kept come straight here). */
  async function deliver(comment: Comment, kept: readonly Notification[]): Promise<void> {
    if (kept.length === 0) return;
    const thread = await threadOf(comment.threadId);
    if (!thread) return;
    const excerpt = comment.status === 'visible' ? excerptOf(comment.body) : null;
    // No count here: the page adds one per notice (NotificationsChanged), which spares a query per notice.
    for (const notice of kept) deps.deliveries.publish({ recipientId: notice.recipientId, notification: toNotificationItem({ ...notice, thread, excerpt }) });
  }

  /** Runs one change's work, logging a failure (the change stands whatever becomes of its notices); `idle` waits for it. */
  function settle(commentId: string, work: () => Promise<void>) {
    const done = work()
      .catch((err: unknown) => deps.log.error(`notices for comment ${commentId} were not kept`, err))
      .finally(() => {
        pending.delete(done);
        deps.onSettled?.(commentId);
      });
    pending.add(done);
  }

  function run(commentId: string, work: () => Promise<NoticeChange | null>) {
    settle(commentId, async () => {
      const change = await work();
      if (change) await handle(change);
    });
  }

  const stopEvents = deps.bus.subscribe(({ event, parentAuthorId, notices }) => {
    if (event.type !== 'comment.created' && event.type !== 'comment.updated') return;
    const { comment } = event;
    rememberAuthor(comment.id, comment.authorGuestId);
    if (comment.status !== 'visible') return;
    if (event.type === 'comment.created') {
      // Costs nothing when it can tell nobody: a top-level comment that names no one.
      if (comment.parentId === null && !comment.mentions?.length) return;
      // Kept with the post (SQLite): only the bells are left to tell.
      if (notices) return settle(comment.id, () => deliver(comment, notices));
      // The parent's author as the post read it (the posting statement reads the parent anyway); else remembered or read.
      if (comment.parentId !== null && parentAuthorId !== undefined) rememberAuthor(comment.parentId, parentAuthorId);
      run(comment.id, async () => ({ cause: 'posted', comment, parentAuthorId: await parentAuthor(comment) }));
    } else if (comment.mentions?.length && justEdited(comment, event.createdAt)) {
      run(comment.id, async () => ({ cause: 'edited', comment, parentAuthorId: null }));
    }
  });

  const stopDecisions = deps.decisions.subscribe((decision) => {
    run(decision.commentId, async () => {
      // Read as it is now: a decision undone before this ran is not told (rules.ts commentStillAsTold).
      const comment = await store.findComment({ id: decision.commentId });
      if (!comment) return null;
      return { cause: 'decided', comment, decision, parentAuthorId: decision.decision === 'approved' ? await parentAuthor(comment) : null };
    });
  });

  return {
    stop() {
      stopEvents();
      stopDecisions();
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
