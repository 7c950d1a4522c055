import {
  BRANCHES_PER_PAGE,
  COMMENTS_PER_PAGE,
  THREADS_PER_PAGE,
  type AdminThreadListResponse,
  type CatchUp,
  type CommentView,
  type Sort,
  type ThreadDetail,
  type ThreadListResponse,
  type ThreadResponse,
} from '../contract/api';
import { UNTIL_END } from '../contract/paging';
import { picksAmong } from '../domain/picks';
import { AppError } from '../domain/errors';
import { slugify } from '../domain/slug';
import { buildTree, flattenTree, pruneDeletedLeaves, type TreeNode } from '../domain/tree';
import type { Comment, Thread, ThreadWithCount } from '../domain/types';
import type { Store } from '../store/store';
import type { BadgeDirectory } from './badgeDirectory';
import { createCatchUpReads } from './catchUpReads';
import { articleParagraphs, toAuthorView, toCommentView, toThreadDetail, toThreadSummary } from './commentView';
import { createPageCache } from './pageCache';
import { cursorBefore, cursorOf, parseCursor, parseThreadCursor, threadCursorOf, topLevelOrder } from './pageCursor';

/** A comment as one reader's page shows it: `mine` marks the reader's own. */
export type PageComment = CommentView & { mine: boolean };

export interface ThreadPage {
  thread: ThreadDetail;
  articleParagraphs: string[];
  sort: Sort;
  /** The branch the page is rooted at, or null for the whole thread. */
  root: PageComment | null;
  tree: TreeNode<PageComment>[];
  /** The same comments, flat: what a live page starts from. */
  comments: PageComment[];
  /** The cursor of the next page of branches, or null when this is the last (always null for one branch). */
  nextCursor: string | null;
}

/** The cache's name for a page of branches. */
function branchesVariant(sort: Sort, page: PageRequest): string {
  return `branches:${sort}:${page.after ?? ''}:${page.limit ?? ''}:${page.until ?? ''}`;
}

/**
 * How many comments `until` brings back at most (it stops at the page that
 * reaches it): the whole of the day's big thread (the 1,962 comments of issue
 * 13), while an address alone cannot make one request render a huge thread
 * whole. Any further pages are one "More comments" away, as before.
 */
export const UNTIL_COMMENTS_MAX = 10 * COMMENTS_PER_PAGE;

/** A copy of a (possibly shared) page with this reader's likes marked. */
function markLiked(page: ThreadPage, liked: ReadonlySet<string>): ThreadPage {
  const mark = (c: PageComment): PageComment => (liked.has(c.id) ? { ...c, likedByMe: true } : c);
  const markTree = (nodes: TreeNode<PageComment>[]): TreeNode<PageComment>[] => nodes.map((n) => ({ ...n, item: mark(n.item), children: markTree(n.children) }));
  return { ...page, root: page.root && mark(page.root), tree: markTree(page.tree), comments: page.comments.map(mark) };
}

/** Which branches: the first page, or the one after a cursor; `limit` branches at most. */
export interface PageRequest {
  after?: string;
  limit?: number;
  /**
   * The pages after that one too, up to the page that starts at this cursor
   * (`end`: to the last; about UNTIL_COMMENTS_MAX comments at most): what a reader had loaded
   * with "More comments" before a reload (lib/contract/paging.ts).
   */
  until?: string;
}

/** What a thread's Atom feed shows: its newest visible comments, newest first. */
export interface ThreadFeed {
  thread: { slug: string; title: string; seq: number };
  comments: CommentView[];
  /** When the thread last changed (ISO): any change, a removal included, moves it. */
  updatedAt: string;
}

/** Entries in a thread's feed. */
const FEED_ENTRIES = 50;

/**
 * Who reads a thread, as far as hiding goes: a hidden thread is read by staff
 * alone, and is `thread_not_found` for anyone else, exactly as a slug no thread
 * has (docs/security.md, "Threads nobody wanted"). `seesHidden` says whether
 * the reader is signed in as staff; it is asked only when the thread is hidden,
 * so reading an ordinary thread costs no session check.
 */
export interface Reader {
  seesHidden?: () => Promise<boolean>;
}

/** Which page of a thread list: `after` is the `next` of the page before (a bad one is `invalid_request` naming it). */
export interface ThreadListRequest {
  after?: string;
  limit?: number;
}

export interface ThreadService {
  /** Throws `thread_not_found`. */
  getFeed(request: { slug: string; limit?: number } & Reader): Promise<ThreadFeed>;
  /** The thread's editors' picks, newest pick first (lib/domain/picks.ts), with when the thread last changed: the API's and the picks feed's. */
  getPicks(request: { slug: string } & Reader): Promise<ThreadFeed>;
  /** A page of the public list, newest first: hidden threads are not in it, whoever asks. */
  listThreads(request?: ThreadListRequest): Promise<ThreadListResponse>;
  /** A page of every thread, hidden ones marked: the admins' list (the caller checks the role). */
  listAllThreads(request?: ThreadListRequest): Promise<AdminThreadListResponse>;
  /** The thread alone, without its comments (a page's title, say). */
  getThreadDetail(request: { slug: string } & Reader): Promise<ThreadDetail>;
  /** `viewerGuestId` marks the comments that reader likes (`likedByMe`); the rest of the answer is shared. */
  getThread(request: { slug: string; sort?: Sort; viewerGuestId?: string | null } & PageRequest & Reader): Promise<ThreadResponse>;
  getThreadPage(request: { slug: string; sort?: Sort; rootId?: string; viewerGuestId?: string | null } & PageRequest & Reader): Promise<ThreadPage>;
  /**
   * What a reader missed since `afterSeq` (null: nothing, just the thread's state),
   * or `resync` when that is more than CATCH_UP_LIMIT events.
   */
  catchUp(request: { slug: string; afterSeq: number | null } & Reader): Promise<CatchUp>;
  createThread(request: { title: string; slug?: string; article?: string }): Promise<ThreadDetail>;
  /**
   * The thread with exactly this slug, created (titled, without article text,
   * bound to the host article `articleUrl`) when there is none: an embed's first
   * view that its host vouched for. Simultaneous first views make one thread;
   * `created` is true for the one that made it. A hidden thread holds its slug:
   * `thread_not_found`, and nothing is made.
   */
  ensureThread(request: { slug: string; title: string; articleUrl: string }): Promise<{ thread: ThreadDetail; created: boolean }>;
  /**
   * What is this reader's own on the thread, which no shared page carries: their visible and held
   * comments with their text (a reply to any is news to them; a held one shows to them alone), and
   * the comments they like. Throws `thread_not_found` as reading the thread does.
   */
  readerState(request: { slug: string; guestId: string | null } & Reader): Promise<{ own: CommentView[]; liked: string[] }>;
}

/**
 * What a page of a thread reads from the store at one seq, and what is built
 * from it for readers with no comments of their own on it (built once, on
 * first use, then shared: never mutate these).
 */
interface CachedPage {
  thread: ThreadWithCount;
  comments: Comment[];
  nextCursor: string | null;
  /** Guest ids of the authors of visible and held comments: a reader among them sees a page of their own. */
  authors: Set<string>;
  anonymous?: ThreadPage;
  response?: ThreadResponse;
}

export function createThreadService(deps: { store: Store; pageCacheComments?: number; badges?: BadgeDirectory }): ThreadService {
  const { store } = deps;
  const badges = deps.badges?.of;
  // Pages of the thread of the day are read far more often than it changes: the store reads,
  // views and tree are done once per thread version (see pageCache.ts for why a seq is never stale).
  const pages = createPageCache<CachedPage | ThreadDetail>({ maxComments: deps.pageCacheComments });
  // A badge shows in the views kept here, and changes without the thread's seq moving.
  deps.badges?.onChange(() => pages.clear());
  // Readers who reconnect together share their reads (catchUpReads.ts).
  const catchUp = createCatchUpReads({ store, badges });

  async function findThread(slug: string) {
    const thread = await store.findThreadBySlug(slug);
    if (!thread) throw new AppError('thread_not_found');
    return thread;
  }

  /** A hidden thread is found by staff alone (Reader). */
  async function readable<T extends Thread>(thread: T | undefined, reader: Reader): Promise<T> {
    if (!thread || (thread.hidden && !(await reader.seesHidden?.()))) throw new AppError('thread_not_found');
    return thread;
  }

  /** One page of a thread list, and the cursor of the next (one more read than shown tells whether it exists). */
  async function pageOfThreads({ after, limit = THREADS_PER_PAGE }: ThreadListRequest, which: 'listed' | 'all') {
    const rows = await store.listThreads({ after: parseThreadCursor(after), limit: limit + 1, which });
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return { shown, next: rows.length > limit && last ? threadCursorOf(last) : null };
  }

  /**
   * A page of branches: `limit` top-level comments after the cursor, in the
   * sort's order, each with everything under it. The first page also carries
   * the branches of pinned comments, so the featured ones are always there.
   */
  async function loadBranches(threadId: string, sort: Sort, page: PageRequest) {
    const limit = page.limit ?? BRANCHES_PER_PAGE;
    const after = parseCursor(sort, page.after);
    // The Picks sort is the branches that hold a pick, all on the first page (a thread has a handful).
    if (sort === 'picks') {
      const roots = after === undefined ? picksAmong(await store.listPinned({ threadId })).map((c) => c.rootId) : [];
      return { comments: roots.length === 0 ? [] : await store.listBranches({ threadId, rootIds: [...new Set(roots)] }), nextCursor: null };
    }
    // One more than the page tells whether another page follows.
    const tops = await store.listTopLevel({ threadId, order: topLevelOrder(sort), after, limit: limit + 1 });
    const shown = await withinCommentBudget(threadId, tops.slice(0, limit));
    const rootIds = new Set(shown.map((c) => c.id));
    if (after === undefined) for (const pin of await store.listPinned({ threadId })) rootIds.add(pin.rootId);
    const comments = await store.listBranches({ threadId, rootIds: [...rootIds] });
    const last = shown.at(-1);
    return { comments, nextCursor: tops.length > shown.length && last ? cursorOf(sort, last) : null };
  }

  /** A page of branches, and with `until` the pages after it up to that cursor, as one page. */
  async function loadPages(threadId: string, sort: Sort, page: PageRequest) {
    const { until, ...first } = page;
    if (until === undefined) return loadBranches(threadId, sort, first);
    // A pinned branch comes with the first page and again with its own: kept once.
    const comments = new Map<string, Comment>();
    let next: { comments: Comment[]; nextCursor: string | null } = { comments: [], nextCursor: null };
    for (let after = first.after; ; after = next.nextCursor) {
      next = await loadBranches(threadId, sort, { ...first, after });
      for (const c of next.comments) comments.set(c.id, c);
      if (next.nextCursor === null || comments.size >= UNTIL_COMMENTS_MAX || (until !== UNTIL_END && !cursorBefore(sort, next.nextCursor, until))) break;
    }
    return { comments: [...comments.values()], nextCursor: next.nextCursor };
  }

  /**
   * The first branches up to the one that brings the page to COMMENTS_PER_PAGE
   * comments: a page is never cut short by a big branch behind small ones, and
   * holds at most the budget plus one branch.
   */
  async function withinCommentBudget(threadId: string, tops: Comment[]): Promise<Comment[]> {
    if (tops.length <= 1) return tops;
    const sizes = await store.countBranches({ threadId, rootIds: tops.map((c) => c.id) });
    let total = 0;
    let taken = 0;
    for (const top of tops) {
      total += sizes.get(top.id) ?? 1;
      taken += 1;
      if (total >= COMMENTS_PER_PAGE) break;
    }
    return tops.slice(0, taken);
  }

  /** One branch, for a page rooted at a comment anywhere in it. */
  async function loadBranchOf(threadId: string, commentId: string) {
    const comment = await store.findComment({ threadId, id: commentId });
    if (!comment) throw new AppError('comment_not_found');
    return store.listBranches({ threadId, rootIds: [comment.rootId] });
  }

  /**
   * The page's comments as of the thread's current seq: from the cache, or read
   * and kept if the seq did not move while they were read (else a page could be
   * kept under a seq it is newer than).
   */
  async function cachedPage(
    slug: string,
    variant: string,
    reader: Reader,
    read: (threadId: string) => Promise<{ comments: Comment[]; nextCursor: string | null }>,
  ): Promise<CachedPage> {
    // Whether this reader may read it is asked before the cache: pages are kept by (thread, seq), not by reader.
    const row = await readable(await store.findThreadRowBySlug(slug), reader);
    const hit = pages.get(row.id, row.seq, variant);
    if (hit && 'comments' in hit) return hit;
    const thread = await findThread(slug);
    const { comments, nextCursor } = await read(thread.id);
    const authors = new Set(comments.filter((c) => c.authorGuestId !== null && (c.status === 'visible' || c.status === 'pending')).map((c) => c.authorGuestId!));
    const page: CachedPage = { thread, comments, nextCursor, authors };
    const after = await store.findThreadRowBySlug(slug);
    if (after?.seq === thread.seq) pages.set(thread.id, thread.seq, variant, page, comments.length);
    return page;
  }

  function buildPage(cached: CachedPage, request: { sort: Sort; rootId: string | undefined; viewerGuestId: string | null | undefined }): ThreadPage {
    const { sort, rootId, viewerGuestId } = request;
    const all = cached.comments.filter(shownTo(viewerGuestId)).map(pageComment(viewerGuestId));
    const tree = pruneDeletedLeaves(buildTree(all, rootId === undefined ? { sort } : { rootId }));
    if (rootId !== undefined && tree.length === 0) throw new AppError('comment_not_found');
    return {
      thread: toThreadDetail(cached.thread),
      articleParagraphs: articleParagraphs(cached.thread.article),
      sort,
      root: rootId === undefined ? null : tree[0]!.item,
      tree,
      comments: rootId === undefined ? all : flattenTree(tree),
      nextCursor: cached.nextCursor,
    };
  }

  /** The comments on a page this reader likes: one small indexed read, and none when nobody liked anything here. */
  async function likedByViewer(comments: readonly CommentView[], viewer: string | null | undefined): Promise<Set<string>> {
    if (viewer == null) return new Set();
    const candidates = comments.filter((c) => c.likes > 0).map((c) => c.id);
    return candidates.length === 0 ? new Set() : store.likedBy({ guestId: viewer, commentIds: candidates });
  }

  const pageComment = (viewer: string | null | undefined) => (c: Comment): PageComment => {
    const mine = viewer != null && c.authorGuestId === viewer && (c.status === 'visible' || c.status === 'pending');
    return { ...(mine ? toAuthorView(c, badges) : toCommentView(c, { badges })), mine };
  };
  // A held comment is shown to its author only: for everyone else it does not exist yet.
  const shownTo = (viewer: string | null | undefined) => (c: Comment) => c.status !== 'pending' || (viewer != null && c.authorGuestId === viewer);

  return {
    async listThreads(request = {}) {
      const { shown, next } = await pageOfThreads(request, 'listed');
      return { threads: shown.map(toThreadSummary), next };
    },

    async listAllThreads(request = {}) {
      const { shown, next } = await pageOfThreads(request, 'all');
      return { threads: shown.map((t) => ({ ...toThreadSummary(t), hidden: t.hidden, createdAt: t.createdAt })), next };
    },

    async getFeed({ slug, limit = FEED_ENTRIES, ...reader }) {
      const thread = await readable(await store.findThreadRowBySlug(slug), reader);
      const [comments, lastEvent] = await Promise.all([store.listRecentVisible({ threadId: thread.id, limit }), store.latestEventAt({ threadId: thread.id })]);
      return {
        thread: { slug: thread.slug, title: thread.title, seq: thread.seq },
        comments: comments.map((c) => toCommentView(c, { badges })),
        updatedAt: lastEvent ?? thread.createdAt,
      };
    },

    async getPicks({ slug, ...reader }) {
      const thread = await readable(await store.findThreadRowBySlug(slug), reader);
      const [pinned, lastEvent] = await Promise.all([store.listPinned({ threadId: thread.id }), store.latestEventAt({ threadId: thread.id })]);
      return {
        thread: { slug: thread.slug, title: thread.title, seq: thread.seq },
        comments: picksAmong(pinned).map((c) => toCommentView(c, { badges })),
        updatedAt: lastEvent ?? thread.createdAt,
      };
    },

    async getThreadDetail({ slug, ...reader }) {
      const row = await readable(await store.findThreadRowBySlug(slug), reader);
      const hit = pages.get(row.id, row.seq, 'detail');
      if (hit && !('comments' in hit)) return hit;
      // The count and the seq come from one statement: the detail is exactly that seq's.
      const thread = await findThread(slug);
      const detail = toThreadDetail(thread);
      pages.set(thread.id, thread.seq, 'detail', detail, 1);
      return detail;
    },

    async getThread({ slug, sort = 'oldest', viewerGuestId, seesHidden, ...page }) {
      const cached = await cachedPage(slug, branchesVariant(sort, page), { seesHidden }, (threadId) => loadPages(threadId, sort, page));
      if (!cached.response) {
        const shown = cached.comments.filter(shownTo(null)).map((c) => toCommentView(c, { badges }));
        cached.response = { thread: toThreadDetail(cached.thread), comments: flattenTree(pruneDeletedLeaves(buildTree(shown, { sort }))), nextCursor: cached.nextCursor };
      }
      const liked = await likedByViewer(cached.response.comments, viewerGuestId);
      if (liked.size === 0) return cached.response;
      return { ...cached.response, comments: cached.response.comments.map((c) => (liked.has(c.id) ? { ...c, likedByMe: true } : c)) };
    },

    async getThreadPage({ slug, sort = 'oldest', rootId, viewerGuestId, seesHidden, ...page }) {
      const reader = { seesHidden };
      const cached =
        rootId === undefined
          ? await cachedPage(slug, branchesVariant(sort, page), reader, (threadId) => loadPages(threadId, sort, page))
          : await cachedPage(slug, `branch:${rootId}`, reader, async (threadId) => ({ comments: await loadBranchOf(threadId, rootId), nextCursor: null }));
      // A reader with comments on the page sees them marked (and their held ones): their own page, not kept.
      let built: ThreadPage;
      if (viewerGuestId != null && cached.authors.has(viewerGuestId)) built = buildPage(cached, { sort, rootId, viewerGuestId });
      else built = cached.anonymous ??= buildPage(cached, { sort, rootId, viewerGuestId: null });
      // Likes are per reader: the shared page stays shared, a reader who liked something gets a marked copy.
      const liked = await likedByViewer(built.comments, viewerGuestId);
      return liked.size === 0 ? built : markLiked(built, liked);
    },

    async catchUp({ slug, afterSeq, seesHidden }) {
      // Read together with the others who ask at this moment (catchUpReads.ts); the thread's state in the
      // answer is as of that read, so it says whether the thread is hidden without another query.
      const answer = await catchUp({ slug, afterSeq });
      if (answer.thread.hidden && !(await seesHidden?.())) throw new AppError('thread_not_found');
      return answer;
    },

    async readerState({ slug, guestId, ...reader }) {
      const thread = await readable(await store.findThreadRowBySlug(slug), reader);
      if (guestId === null) return { own: [], liked: [] };
      const [own, liked] = await Promise.all([store.listOwnComments({ threadId: thread.id, guestId }), store.likedIn({ threadId: thread.id, guestId })]);
      return { own: own.map((c) => toAuthorView(c, badges)), liked };
    },

    async createThread({ title, slug, article }) {
      const base = slug ?? slugify(title);
      for (let n = 1; ; n++) {
        const candidate = n === 1 ? base : `${base}-${n}`;
        if (await store.findThreadRowBySlug(candidate)) continue;
        try {
          const thread = await store.createThread({ slug: candidate, title, article: article ?? '' });
          return toThreadDetail({ ...thread, commentCount: 0 });
        } catch (err) {
          // Taken between the look and the insert: try the next suffix.
          if (n > 20) throw err;
        }
      }
    },

    async ensureThread({ slug, title, articleUrl }) {
      const existing = await store.findThreadBySlug(slug);
      if (existing) return { thread: toThreadDetail(await readable(existing, {})), created: false };
      try {
        const thread = await store.createThread({ slug, title, article: '', articleUrl });
        return { thread: toThreadDetail({ ...thread, commentCount: 0 }), created: true };
      } catch (err) {
        // The slug is unique: a simultaneous first view made it between the look and the insert.
        const made = await store.findThreadBySlug(slug);
        if (made) return { thread: toThreadDetail(await readable(made, {})), created: false };
        throw err;
      }
    },
  };
}
