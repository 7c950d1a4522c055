import { EDIT_WINDOW_MS, type CommentView, type CreateCommentRequest, type LikeResponse } from '../contract/api';
import type { SiteSettings } from '../domain/commentPolicy';
import { STDERR_LOG, type ErrorLog } from '../domain/errorLog';
import { AppError } from '../domain/errors';
import type { Comment } from '../domain/types';
import { addressBits } from '../domain/addressRange';
import { resolveMentions } from '../domain/mentions';
import { BannedRefusal } from '../store/refusals';
import type { User } from '../store/accountStore';
import type { NoticesOfPost, Store } from '../store/store';
import type { Answers } from './answers';
import { toAuthorView, toCommentView } from './commentView';
import type { BadgeLookup } from './badgeDirectory';
import type { EventBus } from './eventBus';
import type { ModerationNotice } from './moderationService';
import type { CommentDecision } from './notifications/decisions';
import { rateLimited } from './rateLimiter';
import { spendOrThrow, UNLIMITED_BUDGET, type Sender, type SenderBudget } from './senderBudget';
import { NOT_CHECKED_AT_ALL, type ClientInfo, type SpamCheck, type SpamInput, type SpamResult } from './spam';
import { CappedMap } from '../domain/cappedMap';

/** What the request says about who posted (the spam check's outside service reads it); unknown for callers without a request. */
type FromClient = { client?: ClientInfo };

export interface CommentService {
  /** `created` is false when a retried `clientId` returned the comment stored the first time. */
  /**
   * `guestId` is the author's person id (lib/domain/identity.ts); `account`, when they are signed in
   * (their id is then `guestId`): the comment carries their display name, not `input.authorName`.
   */
  create(request: Sender & FromClient & { slug: string; input: CreateCommentRequest; account?: Pick<User, 'id' | 'displayName'> | null }): Promise<{ comment: CommentView; created: boolean }>;
  edit(request: Sender & FromClient & { commentId: string; body: string }): Promise<CommentView>;
  delete(request: { commentId: string; guestId: string }): Promise<CommentView>;
  /** Likes (`liked: true`) or unlikes a visible comment; doing it twice changes nothing. */
  like(request: Sender & { commentId: string; liked: boolean }): Promise<LikeResponse>;
}

export interface CommentServiceDeps {
  store: Store;
  bus: EventBus;
  /** Where a held comment is announced to the moderators' desks. */
  onHeld?: (commentId: string) => void;
  /** Where the domain tells the moderators' outside channels (webhooks). */
  notices?: EventBus<ModerationNotice>;
  /** Where a post or edit held for review is told to its author (the notifier: lib/services/notifications). */
  decisions?: EventBus<CommentDecision>;
  /** The notices a post makes (lib/services/notifications/rules.ts noticesOfPost), for the store to keep with it where it can; none when not given (NOTIFICATIONS=off). */
  noticesOfPost?: NoticesOfPost;
  /** The banned words; defaults to reading the store every time. */
  bannedWords?: () => Promise<string[]>;
  /** Posts per guest and per address. */
  posts: SenderBudget;
  /** Edits that change a text, per guest and per address (each is a write, an event to every reader and a spam check); unlimited when not given. */
  edits?: SenderBudget;
  /** Likes and unlikes per guest and per address; unlimited when not given. */
  likes?: SenderBudget;
  /** The site settings where an admin set none (the environment's); the built-in defaults when not given. */
  siteDefaults?: SiteSettings;
  /** Every post and edit is checked for spam (lib/services/spam); nothing is when not given (SPAM_CHECKS=off). */
  spam?: SpamCheck;
  /** Where a failure that does not stop the post is reported (a "not checked" mark that could not be written). */
  log?: ErrorLog;
  /** The authors' badges, on the views answered. */
  badges?: BadgeLookup;
  /** Keeps the questions' answers of Q&A threads (./answers.ts); none when not given. */
  answers?: Answers;
  now?: () => number;
}

/** Slugs remembered per node before the map starts over. */
const THREAD_ID_CACHE_SIZE = 10_000;

/**
 * Posting, editing and deleting, one list of steps each: the same code serves
 * the HTTP API, the socket and the no-JavaScript form.
 */
export function createCommentService(deps: CommentServiceDeps): CommentService {
  const { store, bus } = deps;
  const now = deps.now ?? Date.now;
  const bannedWords = deps.bannedWords ?? (() => store.moderation.listBannedWords());
  const likes = deps.likes ?? UNLIMITED_BUDGET;
  const edits = deps.edits ?? UNLIMITED_BUDGET;
  const view = (comment: Comment, options: { reveal?: boolean } = {}) => toCommentView(comment, { ...options, badges: deps.badges });

  /**
   * The address a guest posts from, kept (one row per guest) so that a moderator can ban its range
   * (moderationService.ban). Written when it changes, as this node last saw it: a guest posting
   * again from the same address costs no write.
   */
  const noted = new CappedMap<string, string>(THREAD_ID_CACHE_SIZE);
  async function noteGuestAddress(guestId: string, address: string): Promise<void> {
    if (noted.get(guestId) === address) return;
    try {
      await store.people.noteGuestAddress({ guestId, address, at: new Date(now()).toISOString() });
      noted.set(guestId, address);
    } catch (err) {
      (deps.log ?? STDERR_LOG).error('could not keep the address a guest posted from', err);
    }
  }

  async function ownComment(commentId: string, guestId: string) {
    const comment = await store.findComment({ id: commentId });
    if (!comment) throw new AppError('comment_not_found');
    if (comment.authorGuestId === null || comment.authorGuestId !== guestId) throw new AppError('not_your_comment');
    const thread = await store.findThreadById(comment.threadId);
    // A hidden thread's comments do not exist for anyone posting (the store's rules refuse an edit there too).
    if (!thread || thread.hidden) throw new AppError('comment_not_found');
    return { comment, thread };
  }

  /**
   * slug → thread id, remembered by each node: a post then costs no lookup. It is
   * a guess, not a fact: an admin may delete a thread on any node, and a new
   * thread may take the freed slug, and no node is told in time (the bus is the
   * node's own). The store decides: a post to a thread that is gone is refused
   * (thread_not_found, posting/rules.ts), and then the slug is looked up again
   * (threadRefAgain), so a deleted thread is never posted to and its slug's new
   * thread is not refused. Hiding needs nothing here: the store refuses a post to a
   * hidden thread by its row, whatever the id came from.
   */
  const threadIds = new CappedMap<string, { id: string; slug: string }>(THREAD_ID_CACHE_SIZE);
  function threadRef(slug: string): Promise<{ id: string; slug: string } | undefined> {
    return threadIds.remembered(slug, async () => {
      const thread = await store.findThreadRowBySlug(slug);
      return thread && { id: thread.id, slug: thread.slug };
    });
  }

  /** After the store found no thread by the remembered id: the slug's thread now, if it is another one. */
  async function threadRefAgain(slug: string, staleId: string): Promise<{ id: string; slug: string } | undefined> {
    if (threadIds.get(slug)?.id === staleId) threadIds.delete(slug);
    const fresh = await threadRef(slug);
    return fresh && fresh.id !== staleId ? fresh : undefined;
  }

  /**
   * The people a text names with `@Name` (docs/mentions.md): resolved once, before the insert or
   * the edit that stores them with the text (one query, none for a text without an `@`).
   */
  const mentionsIn = (body: string) => resolveMentions(body, (keys) => store.mentions.findMentionable(keys));

  /** The comment a retried clientId had already stored, if it belongs to this thread. */
  function retried(stored: Comment, threadId: string): { comment: CommentView; created: false } {
    if (stored.threadId !== threadId) throw new AppError('invalid_request', { fields: { clientId: ['was already used for a comment on another thread'] } });
    return { comment: view(stored), created: false };
  }

  function announceHeld(commentId: string, heldReason: Comment['heldReason']) {
    deps.notices?.publish({ type: 'comment.held', commentId });
    deps.decisions?.publish({ commentId, decision: 'held', reason: null, moderatorId: null, heldReason });
    deps.onHeld?.(commentId);
  }

  /** The spam check's verdict on a text no banned word holds already (the moderators' own rule is judged first). */
  async function checkForSpam(input: Omit<SpamInput, 'client' | 'at'> & { client: ClientInfo | undefined }): Promise<SpamResult> {
    if (!deps.spam) return NOT_CHECKED_AT_ALL;
    const client = input.client ?? { ip: input.sender.address, userAgent: '', referrer: '', site: '' };
    return deps.spam.checkForSpam({ ...input, client, at: new Date(now()).toISOString() });
  }

  /**
   * Whether the outside service judged the comment's current text: marked when it could not (the
   * moderators see it), unmarked when an edit was judged after all. A failure here does not undo
   * the post, which readers have already been sent.
   */
  async function recordOutsideCheck(commentId: string, spam: SpamResult): Promise<void> {
    try {
      if (spam.notChecked) await store.spam.markNotChecked({ commentId, why: spam.notChecked, at: new Date(now()).toISOString() });
      else if (spam.judgedOutside) await store.spam.clearNotChecked({ commentId });
    } catch (err) {
      (deps.log ?? STDERR_LOG).error(`spam check: could not record whether comment ${commentId} was checked`, err);
    }
  }

  return {
    async create({ slug, input: request, guestId, account, address, client }) {
      const authorName = account ? account.displayName : request.authorName;
      if (authorName === undefined) throw new AppError('invalid_request', { fields: { authorName: ['is required: sign in, or give a name'] } });
      const input = { ...request, authorName };
      const remembered = await threadRef(slug);
      if (!remembered) throw new AppError('thread_not_found');
      let thread = remembered;
      const sender = { guestId, address };
      const limit = await deps.posts.take(sender);
      if (!limit.allowed) {
        // A retry is answered even when limited: it stores nothing new.
        const stored = input.clientId === undefined ? undefined : await store.findCommentByClientId({ guestId, clientId: input.clientId });
        if (stored) return retried(stored, thread.id);
        throw rateLimited(limit.retryAfterMs, limit.message);
      }

      let result: Awaited<ReturnType<Store['createComment']>>;
      let spam = NOT_CHECKED_AT_ALL;
      try {
        const banned = containsBannedWord(`${input.authorName}\n${input.body}`, await bannedWords());
        if (!banned) {
          spam = await checkForSpam({ kind: 'post', sender, client, thread, authorName: input.authorName, body: input.body, previousBody: null, commentId: null });
        }
        const mentions = await mentionsIn(input.body);
        const post = (threadId: string) =>
          store.createComment({
            threadId,
            parentId: input.parentId,
            authorName: input.authorName,
            authorGuestId: guestId,
            body: input.body,
            clientId: input.clientId ?? null,
            hold: banned ? 'banned_word' : spam.hold,
            refuseIfBannedAt: new Date(now()).toISOString(),
            authorIsAccount: account != null,
            siteDefaults: deps.siteDefaults,
            // A range ban holds guests only (the store says so too): an account's post asks for none.
            addressBits: account ? null : addressBits(address),
            mentions,
            notices: deps.noticesOfPost,
          });
        result = await post(thread.id).catch(async (err: unknown) => {
          // The remembered thread is gone: the slug may name a new one (threadRef).
          const fresh = AppError.is(err) && err.code === 'thread_not_found' ? await threadRefAgain(slug, remembered.id) : undefined;
          if (!fresh) throw err;
          thread = fresh;
          return post(fresh.id);
        });
      } catch (err) {
        await deps.posts.refund(sender);
        if (err instanceof BannedRefusal) throw banError(err.ban);
        throw err;
      }
      const { comment, event, parentAuthorId, notices } = result;
      if (!event) {
        await deps.posts.refund(sender);
        return retried(comment, thread.id);
      }
      bus.publish({ slug: thread.slug, event, parentAuthorId, notices });
      await recordOutsideCheck(comment.id, spam);
      if (!account) await noteGuestAddress(guestId, address);
      if (comment.status === 'pending') announceHeld(comment.id, comment.heldReason);
      else await deps.answers?.replyShown(comment);
      // The author sees their own held comment; nobody else does until it is approved.
      return { comment: toAuthorView(comment, deps.badges), created: true };
    },

    async edit({ commentId, body, guestId, address, client }) {
      const { comment, thread } = await ownComment(commentId, guestId);
      // The author's window, counted from posting: time does not race, so it is judged here, before the store.
      if (comment.createdAt === null || now() - Date.parse(comment.createdAt) > EDIT_WINDOW_MS) throw new AppError('edit_window_closed');
      // The rest are the posting rules (a ban, the locks, pre-moderation, a pin), judged by the store as for a post;
      // the banned words and the spam check are the same as a post's. The same text again is not checked: it changes nothing,
      // and costs no budget; any other edit costs one (refunded when a rule refuses it), before the spam check is asked.
      const sender = { guestId, address };
      const changes = body !== comment.body;
      if (changes) await spendOrThrow(edits, sender);
      let result: Awaited<ReturnType<Store['editComment']>>;
      let spam = NOT_CHECKED_AT_ALL;
      try {
        const banned = containsBannedWord(`${comment.authorName ?? ''}\n${body}`, await bannedWords());
        if (!banned && changes) {
          spam = await checkForSpam({ kind: 'edit', sender, client, thread, authorName: comment.authorName ?? '', body, previousBody: comment.body, commentId });
        }
        // An unchanged text stores nothing: its mentions are the ones it has.
        const mentions = changes ? await mentionsIn(body) : comment.mentions;
        result = await store.editComment({
          threadId: thread.id,
          commentId,
          authorGuestId: guestId,
          body,
          editedAt: new Date(now()).toISOString(),
          addressBits: addressBits(address),
          hold: banned ? 'banned_word' : spam.hold,
          mentions,
        });
      } catch (err) {
        if (changes) await edits.refund(sender);
        if (err instanceof BannedRefusal) throw banError(err.ban);
        throw err;
      }
      const { comment: edited, event } = result;
      if (!event) {
        // The text was this already (a retried edit): nothing was written.
        if (changes) await edits.refund(sender);
        return toAuthorView(edited, deps.badges);
      }
      // Held again, the room sees it leave (the event carries no text); the desks and webhooks hear of it.
      bus.publish({ slug: thread.slug, event });
      await recordOutsideCheck(commentId, spam);
      if (edited.status === 'pending') {
        announceHeld(commentId, edited.heldReason);
        // Held again, an answer is not shown: its question is open until it is approved.
        await deps.answers?.commentGone(edited);
      }
      return toAuthorView(edited, deps.badges);
    },

    async delete({ commentId, guestId }) {
      const { comment, thread } = await ownComment(commentId, guestId);
      if (comment.status === 'deleted') return view(comment);
      if (comment.status !== 'visible') throw new AppError('comment_gone');
      // The text and name go; the row stays so that replies keep their place.
      const updated = await store.updateComment({
        threadId: thread.id,
        commentId,
        changes: { status: 'deleted', body: '', authorName: null, mentions: [] },
      });
      bus.publish({ slug: thread.slug, event: updated.event });
      await deps.answers?.commentGone(updated.comment);
      return view(updated.comment);
    },

    async like({ commentId, guestId, address, liked }) {
      const comment = await store.findComment({ id: commentId });
      // Someone else's held comment does not exist for this reader.
      if (!comment || (comment.status === 'pending' && comment.authorGuestId !== guestId)) throw new AppError('comment_not_found');
      const thread = await store.findThreadById(comment.threadId);
      if (!thread || thread.hidden) throw new AppError('comment_not_found');
      const sender = { guestId, address };
      await spendOrThrow(likes, sender);
      let result: Awaited<ReturnType<Store['setLike']>>;
      try {
        result = await store.setLike({ threadId: thread.id, commentId, guestId, liked });
      } catch (err) {
        await likes.refund(sender);
        throw err;
      }
      // A repeat costs a read, not a write: it does not count against the limit.
      if (!result.event) await likes.refund(sender);
      else bus.publish({ slug: thread.slug, event: result.event });
      return { likes: result.likes, liked, changed: result.event !== null };
    },
  };
}

/** The refusal says until when and why, from the ban the store found in force: in its message, and as `ban` for pages to word. */
function banError(ban: BannedRefusal['ban']): AppError {
  const until = ban?.until ? ` until ${new Date(ban.until).toUTCString()}` : '';
  const reason = ban ? ` Reason: ${ban.reason}` : '';
  return new AppError('banned', { message: `You have been banned from commenting${until}.${reason}`, ...(ban && { ban: { reason: ban.reason, until: ban.until } }) });
}

/**
 * Whole-word, case-insensitive match after Unicode normalisation, so "Spam"
 * and "ｓｐａｍ" match "spam" but "spammer" does not match "spam".
 */
function containsBannedWord(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const normalised = text.normalize('NFKC').toLowerCase();
  const tokens = new Set(normalised.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return words.some((w) => (/^[\p{L}\p{N}]+$/u.test(w) ? tokens.has(w) : normalised.includes(w)));
}
