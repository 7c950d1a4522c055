import type { AdminThreadListResponse, DeletedThread, QueueItem, ThreadDetail } from '../contract/api';
import type { ReportCategory } from '../contract/reports';
import type { CommentAction } from '../contract/socket';
import { closedBySchedule, normalizeClosingTime } from '../domain/closing';
import type { CommentPolicy } from '../domain/commentPolicy';
import { AppError } from '../domain/errors';
import type { ModerationDecision } from '../domain/notifications';
import type { Comment, CommentStatus } from '../domain/types';
import type { User } from '../store/accountStore';
import type { AuditRecord, Ban, QueueItem as StoredQueueItem } from '../store/moderationStore';
import type { Store, UpdateCommentRecord } from '../store/store';
import { parseRange, rangeAround, type AddressRange } from '../domain/addressRange';
import type { BadgeLookup } from './badgeDirectory';
import type { Answers } from './answers';
import { toCommentView, toThreadDetail } from './commentView';
import type { EventBus } from './eventBus';
import type { CommentDecision } from './notifications/decisions';
import { removalDetails, removedFrom } from './removal';
import { spendOrThrow, type Sender, type SenderBudget } from './senderBudget';
import type { ThreadListRequest, ThreadService } from './threadService';

/** Told to every moderator's desk: an item entered the queue or changed (`item`), or left it (`item: null`). */
export interface QueueChange {
  commentId: string;
  item: QueueItem | null;
}

/**
 * What the moderators should hear about, published by the domain once the
 * change is committed (webhooks listen: server/webhooks).
 */
export type ModerationNotice = { type: 'comment.held'; commentId: string } | { type: 'comment.reported'; commentId: string; category: ReportCategory; reason: string | null };

/**
 * A thread was deleted: its readers are told (there is no seq to carry it, the
 * thread's events being gone with it), on every node.
 */
export interface ThreadDeletion {
  slug: string;
}

export interface ModerationService {
  setThreadLock(request: { slug: string; locked: boolean; actor: User; reason?: string }): Promise<ThreadDetail>;
  /**
   * `commentPolicy` (admins only): who may comment on this thread, or null for the site's policy.
   * `qa`: the thread is a Q&A (lib/domain/questions.ts), or no longer.
   * `closesAt`: when comments close (any ISO-8601 time with its offset; kept in UTC), or null for never.
   */
  updateThreadSettings(request: { slug: string; slowModeSeconds?: number; preModeration?: boolean; commentPolicy?: CommentPolicy | null; qa?: boolean; closesAt?: string | null; actor: User }): Promise<ThreadDetail>;
  /**
   * Locks the open threads whose closing time has come (at most `limit`), each once however many nodes
   * ask at the same time, and tells their readers as a manual lock does; resolves with how many it locked.
   */
  closeDueThreads(request: { limit: number }): Promise<number>;
  /** `note`: with `pin` only (an editors' pick's one-line note, issue 19.1); any other action refuses one. */
  actOnComment(request: { commentId: string; action: CommentAction; actor: User; reason?: string; note?: string }): Promise<{ comment: ReturnType<typeof toCommentView> }>;
  /** `reason`: the reader's own words, if any (`other` needs them: the request's schema says so). */
  report(request: Sender & { commentId: string; category: ReportCategory; reason?: string }): Promise<{ created: boolean }>;
  /**
   * Bans a person (an account on every device, a guest on its cookie). `addressRange`, for a guest: also the
   * range it last posted from (`true`: its /24 or /64) or a range given as CIDR; ignored for an account,
   * which is judged by its own ban (docs/decisions.md, "A person's page and bans by address range").
   */
  ban(request: { guestId: string; until?: string; reason: string; actor: User; addressRange?: true | string }): Promise<Ban>;
  queue(request: { limit?: number }): Promise<QueueItem[]>;
  audit(request: { limit?: number; actor: User }): Promise<AuditRecord[]>;
  bannedWords(): Promise<string[]>;
  setBannedWords(request: { words: string[]; actor: User }): Promise<string[]>;
  createThread(request: { title: string; slug?: string; actor: User }): Promise<ThreadDetail>;
  /** Admins only: every thread, hidden ones marked, newest first. */
  listThreads(request: ThreadListRequest & { actor: User }): Promise<AdminThreadListResponse>;
  /**
   * Admins only: hides the thread from everyone but staff (and from posting), or shows it again, as a
   * `thread.updated` event under its next seq; audited (`thread.hide`, `thread.unhide`). Doing it twice changes nothing.
   */
  setThreadHidden(request: { slug: string; hidden: boolean; actor: User; reason?: string }): Promise<ThreadDetail>;
  /** Admins only: deletes the thread with everything in it; the audit entry (`thread.delete`) stays. */
  deleteThread(request: { slug: string; actor: User; reason?: string }): Promise<DeletedThread>;
  /** The queue item for a comment, if it is in the queue (held, or with open reports). */
  queueItem(commentId: string): Promise<QueueItem | null>;
  /** Visible comments the outside spam service could not judge, newest first, until a moderator keeps (approves) or removes them. */
  notChecked(request: { limit?: number }): Promise<QueueItem[]>;
}

interface ActionRule {
  /** The statuses the action applies to; anything else is `already_handled`. */
  from: CommentStatus[];
  changes: Partial<Pick<Comment, 'status' | 'pinned' | 'locked' | 'heldReason' | 'pick'>>;
  /** Whether the comment leaves the moderators' queue: its open reports close, answered by the action. */
  leavesQueue: boolean;
}

/**
 * What each action does. Rejecting a held comment deletes it quietly (it was
 * never public); approving a reported one keeps it and closes the reports.
 */
const RULES: Record<CommentAction, ActionRule> = {
  remove: { from: ['visible', 'pending'], changes: { status: 'removed', pinned: false }, leavesQueue: true },
  // Back to what the removal recorded, with the reports it closed open again: see undoRemoval.
  unremove: { from: ['removed'], changes: {}, leavesQueue: false },
  // Not an undo: the moderator restoring has judged the comment, so the reports its removal closed stay closed.
  restore: { from: ['removed'], changes: { status: 'visible' }, leavesQueue: false },
  pin: { from: ['visible'], changes: { pinned: true }, leavesQueue: false },
  unpin: { from: ['visible', 'removed', 'deleted'], changes: { pinned: false }, leavesQueue: false },
  // A reported (visible) comment is kept by closing its reports, not by this update: see actOnComment.
  approve: { from: ['pending'], changes: { status: 'visible', heldReason: null }, leavesQueue: true },
  reject: { from: ['pending'], changes: { status: 'deleted', heldReason: null }, leavesQueue: true },
  lock: { from: ['visible', 'removed', 'deleted', 'pending', 'unavailable'], changes: { locked: true }, leavesQueue: false },
  unlock: { from: ['visible', 'removed', 'deleted', 'pending', 'unavailable'], changes: { locked: false }, leavesQueue: false },
  // The change is to the reply's question, not to the reply: see actOnComment and ./answers.ts.
  answer: { from: ['visible'], changes: {}, leavesQueue: false },
  unanswer: { from: ['visible', 'removed', 'deleted', 'pending', 'unavailable'], changes: {}, leavesQueue: false },
};

/**
 * Featuring (issue 19.1): pinned, with its note and the time it became a pick. Featuring a pick again
 * changes its note only (the strip keeps its order); an unfeature leaves note and time to be replaced.
 */
function pickChanges(comment: Comment, note: string | undefined): Pick<Comment, 'pinned' | 'pick'> {
  const at = comment.pinned && comment.pick?.at ? comment.pick.at : new Date().toISOString();
  return { pinned: true, pick: { note: note ?? null, at } };
}

/** The actions whose author is told (docs/notifications.md): a rejection is a removal to them. */
const DECISION_OF: Partial<Record<CommentAction, ModerationDecision>> = { approve: 'approved', reject: 'removed', remove: 'removed' };

function toQueueItemWith(item: StoredQueueItem, badges?: BadgeLookup): QueueItem {
  const view = toCommentView(item.comment, { reveal: true, badges });
  return {
    comment: { ...view, author: { name: item.comment.authorName, guestId: item.comment.authorGuestId } },
    thread: { slug: item.threadSlug, title: item.threadTitle },
    heldReason: item.comment.heldReason,
    notChecked: item.notChecked,
    reports: item.reports,
    queuedAt: item.queuedAt,
  };
}

export function createModerationService(deps: {
  store: Store;
  threads: ThreadService;
  bus: EventBus;
  queueBus: EventBus<QueueChange>;
  /** Reports per guest and per address. */
  reports: SenderBudget;
  notices?: EventBus<ModerationNotice>;
  /** Where a deleted thread is announced (to its readers, on every node). */
  deletions?: EventBus<ThreadDeletion>;
  /** Told when the banned words change, so cached copies are dropped. */
  onBannedWordsChanged?: () => void;
  /** The authors' badges, shown on the desk as on the pages. */
  badges?: BadgeLookup;
  /** Where decisions its author is told about go (the notifier: lib/services/notifications). */
  decisions?: EventBus<CommentDecision>;
  /** Keeps the questions' answers of Q&A threads (./answers.ts): marks, and answers approved or removed. */
  answers?: Answers;
}): ModerationService {
  const { store, bus, queueBus } = deps;
  const toQueueItem = (item: StoredQueueItem) => toQueueItemWith(item, deps.badges);

  async function threadOf(slug: string) {
    const thread = await store.findThreadBySlug(slug);
    if (!thread) throw new AppError('thread_not_found');
    return thread;
  }

  async function queueItem(commentId: string): Promise<QueueItem | null> {
    const [found] = await store.moderation.listQueue({ limit: 1, commentId });
    return found ? toQueueItem(found) : null;
  }

  const actorOf = (actor: User) => ({ actorId: actor.id, actorName: actor.username });

  /** The range a guest's ban also covers; none for an account (its ban holds on every device already). */
  async function rangeToBan(guestId: string, wanted: true | string): Promise<AddressRange | null> {
    if (await store.accounts.findUserById(guestId)) return null;
    if (wanted !== true) {
      const range = parseRange(wanted);
      if (!range) throw new AppError('invalid_request', { fields: { addressRange: ['must be true or a range such as 198.51.100.0/24 (IPv4 /8 to /32, IPv6 /16 to /64)'] } });
      return range;
    }
    const address = await store.people.guestAddress(guestId);
    const range = address === undefined ? null : rangeAround(address);
    if (!range) throw new AppError('invalid_request', { fields: { addressRange: ['no address is known for this guest: give a range'] } });
    return range;
  }

  /** A moderator's closing time in UTC; one already past is refused (to close now, lock the thread). */
  function scheduledClosing(wanted: string): string {
    const closesAt = normalizeClosingTime(wanted);
    if (closesAt === null) throw new AppError('invalid_request', { fields: { closesAt: ['must be an ISO-8601 time with its offset'] } });
    if (closedBySchedule(closesAt, Date.now())) throw new AppError('invalid_request', { fields: { closesAt: ['must be in the future (to close comments now, lock the thread)'] } });
    return closesAt;
  }

  /** The routes check the role too; the service does not rely on it (a socket handler or a script may call it). */
  function requireAdmin(actor: User): void {
    if (actor.role !== 'admin') throw new AppError('forbidden', { message: 'Only admins can do this.' });
  }

  /**
   * What undoing the comment's latest removal changes: the comment goes back to what the removal
   * recorded, and the reports that removal closed open again. Reports an earlier removal closed
   * stay closed: a Restore came between, and a moderator restoring has judged them.
   */
  async function undoRemoval(commentId: string): Promise<Pick<UpdateCommentRecord, 'changes' | 'reports'>> {
    const removal = await store.moderation.latestAudit({ commentId, action: 'comment.remove' });
    const was = removedFrom(removal?.details);
    return {
      changes: { status: was.status, pinned: was.pinned },
      reports: removal ? { reopen: { resolution: 'remove', since: removal.at } } : undefined,
    };
  }

  return {
    queueItem,

    async setThreadLock({ slug, locked, actor, reason }) {
      const thread = await threadOf(slug);
      // A second click (or a second moderator) changes nothing: no new event, no new audit entry.
      if (thread.locked === locked) return toThreadDetail(thread);
      // Unlocking a thread whose closing time has passed keeps it open: the time goes, or it would
      // refuse every post and be locked again at the next round of the closing poller.
      const reopened = !locked && closedBySchedule(thread.closesAt, Date.now());
      const { thread: updated, event } = await store.updateThread({
        threadId: thread.id,
        changes: { locked, ...(reopened && { closesAt: null }) },
        audit: { ...actorOf(actor), action: locked ? 'thread.lock' : 'thread.unlock', target: slug, reason: reason ?? null },
      });
      bus.publish({ slug, event });
      return toThreadDetail({ ...updated, commentCount: thread.commentCount });
    },

    async updateThreadSettings({ slug, slowModeSeconds, preModeration, commentPolicy, qa, closesAt: wanted, actor }) {
      if (commentPolicy !== undefined) requireAdmin(actor);
      const closesAt = wanted === undefined || wanted === null ? wanted : scheduledClosing(wanted);
      const thread = await threadOf(slug);
      const { thread: updated, event } = await store.updateThread({
        threadId: thread.id,
        changes: { slowModeSeconds, preModeration, commentPolicy, qa, closesAt },
        audit: { ...actorOf(actor), action: 'thread.settings', target: slug, details: { slowModeSeconds, preModeration, commentPolicy, qa, closesAt } },
      });
      bus.publish({ slug, event });
      return toThreadDetail({ ...updated, commentCount: thread.commentCount });
    },

    async closeDueThreads({ limit }) {
      const closed = await store.closeDueThreads({ limit });
      for (const { thread, event } of closed) bus.publish({ slug: thread.slug, event });
      return closed.length;
    },

    async actOnComment({ commentId, action, actor, reason, note }) {
      if (note !== undefined && action !== 'pin') throw new AppError('invalid_request', { fields: { note: ['only featuring a comment (pin) takes a note'] } });
      const comment = await store.findComment({ id: commentId });
      if (!comment) throw new AppError('comment_not_found');
      const thread = await store.findThreadById(comment.threadId);
      if (!thread) throw new AppError('comment_not_found');
      const rule = RULES[action];
      if (action === 'answer' || action === 'unanswer') {
        if (!deps.answers) throw new AppError('not_answerable');
        const reply = await deps.answers.mark({ commentId, answer: action === 'answer', actor, reason });
        return { comment: toCommentView(reply, { reveal: true, badges: deps.badges }) };
      }
      if (action === 'approve' && comment.status === 'visible') {
        // A reported comment kept as it is: only the reports close, and only once. Keeping also
        // says the text was looked at, so a "not checked for spam" mark goes with them.
        const closed = await store.moderation.resolveReports({ commentId, by: actor.username, resolution: 'kept' });
        const checked = await store.spam.clearNotChecked({ commentId });
        if (closed === 0 && !checked) throw new AppError('already_handled');
        await store.moderation.appendAudit({ ...actorOf(actor), action: 'comment.keep', threadId: thread.id, commentId, reason: reason ?? null, details: { reports: closed, notChecked: checked } });
        queueBus.publish({ commentId, item: null });
        return { comment: toCommentView(comment, { reveal: true, badges: deps.badges }) };
      }
      const audit = { ...actorOf(actor), action: `comment.${action}`, reason: reason ?? null };
      const undoing = action === 'unremove' ? await undoRemoval(commentId) : null;
      const { comment: updated, event } = await store.updateComment({
        threadId: thread.id,
        commentId,
        changes: undoing?.changes ?? (action === 'pin' ? pickChanges(comment, note) : rule.changes),
        onlyIfStatus: rule.from,
        // Removing records what it changed, for an Undo (lib/services/removal.ts).
        audit: action === 'remove' ? { ...audit, details: removalDetails(comment) } : audit,
        reports: undoing?.reports ?? (rule.leavesQueue ? { close: { by: actor.username, resolution: action } } : undefined),
      });
      bus.publish({ slug: thread.slug, event });
      if (updated.status === 'visible' && comment.status !== 'visible') await deps.answers?.replyShown(updated);
      else if (updated.status !== 'visible' && comment.status === 'visible') await deps.answers?.commentGone(updated);
      const decision = DECISION_OF[action];
      if (decision) deps.decisions?.publish({ commentId, decision, reason: reason ?? null, moderatorId: actor.id, heldReason: comment.heldReason });
      // Told once, when it becomes a pick: a new note on a pick tells no one again.
      if (action === 'pin' && !comment.pinned) deps.decisions?.publish({ commentId, decision: 'featured', reason: note ?? null, moderatorId: actor.id, heldReason: comment.heldReason });
      if (rule.leavesQueue) queueBus.publish({ commentId, item: null });
      if (undoing) {
        // Back in the queue if it was there: held, or with its reports open again.
        const item = await queueItem(commentId);
        if (item) queueBus.publish({ commentId, item });
      }
      return { comment: toCommentView(updated, { reveal: true, badges: deps.badges }) };
    },

    async report({ commentId, guestId, address, category, reason = null }) {
      await spendOrThrow(deps.reports, { guestId, address });
      const comment = await store.findComment({ id: commentId });
      if (!comment || comment.status !== 'visible') throw new AppError('comment_not_found');
      // A hidden thread's comments do not exist for readers.
      const thread = await store.findThreadById(comment.threadId);
      if (!thread || thread.hidden) throw new AppError('comment_not_found');
      const { created } = await store.moderation.createReport({ threadId: comment.threadId, commentId, guestId, category, reason });
      if (created) {
        deps.notices?.publish({ type: 'comment.reported', commentId, category, reason });
        queueBus.publish({ commentId, item: await queueItem(commentId) });
      }
      return { created };
    },

    async ban({ guestId, until, reason, actor, addressRange }) {
      if (until !== undefined && Date.parse(until) <= Date.now()) {
        throw new AppError('invalid_request', { fields: { until: ['must be in the future'] } });
      }
      const address = addressRange === undefined ? null : await rangeToBan(guestId, addressRange);
      const ban = await store.moderation.createBan({ guestId, until: until ?? null, reason, createdBy: actor.username, address });
      await store.moderation.appendAudit({ ...actorOf(actor), action: 'guest.ban', target: guestId, reason, details: { until: until ?? null, addressRange: ban.addressRange } });
      return ban;
    },

    async queue({ limit = 100 }) {
      return (await store.moderation.listQueue({ limit })).map(toQueueItem);
    },

    async notChecked({ limit = 100 }) {
      return (await store.spam.listNotChecked({ limit })).map(toQueueItem);
    },

    async audit({ limit = 200, actor }) {
      if (actor.role !== 'admin') throw new AppError('forbidden', { message: 'Only admins can read the audit log.' });
      return store.moderation.listAudit({ limit });
    },

    bannedWords: () => store.moderation.listBannedWords(),

    async setBannedWords({ words, actor }) {
      const saved = await store.moderation.setBannedWords(words.map((w) => w.normalize('NFKC').toLowerCase()));
      deps.onBannedWordsChanged?.();
      await store.moderation.appendAudit({ ...actorOf(actor), action: 'banned_words.set', details: { count: saved.length } });
      return saved;
    },

    async createThread({ title, slug, actor }) {
      const thread = await deps.threads.createThread({ title, slug });
      await store.moderation.appendAudit({ ...actorOf(actor), action: 'thread.create', target: thread.slug });
      return thread;
    },

    async listThreads({ actor, ...page }) {
      requireAdmin(actor);
      return deps.threads.listAllThreads(page);
    },

    async setThreadHidden({ slug, hidden, actor, reason }) {
      requireAdmin(actor);
      const thread = await threadOf(slug);
      if (thread.hidden === hidden) return toThreadDetail(thread);
      const { thread: updated, event } = await store.updateThread({
        threadId: thread.id,
        changes: { hidden },
        audit: { ...actorOf(actor), action: hidden ? 'thread.hide' : 'thread.unhide', target: slug, reason: reason ?? null, details: { title: thread.title } },
      });
      // Readers on the thread's pages hear of it at once, under its seq (a reader who missed it is refused when catching up).
      bus.publish({ slug, event });
      return toThreadDetail({ ...updated, commentCount: thread.commentCount });
    },

    async deleteThread({ slug, actor, reason }) {
      requireAdmin(actor);
      const thread = await threadOf(slug);
      const deleted = await store.deleteThread({ threadId: thread.id, audit: { ...actorOf(actor), action: 'thread.delete', reason: reason ?? null } });
      deps.deletions?.publish({ slug });
      for (const commentId of deleted.queued) queueBus.publish({ commentId, item: null });
      return { slug, title: deleted.thread.title, comments: deleted.comments };
    },
  };
}
