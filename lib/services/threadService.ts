import { BRANCHES_PER_PAGE, type CatchUp, type CommentView, type Sort, type ThreadDetail, type ThreadResponse, type ThreadSummary } from '../contract/api';
import { AppError } from '../domain/errors';
import { slugify } from '../domain/slug';
import { buildTree, flattenTree, pruneDeletedLeaves, type TreeNode } from '../domain/tree';
import type { Comment } from '../domain/types';
import type { Store } from '../store/store';
import { createCatchUpReads } from './catchUpReads';
import { articleParagraphs, toCommentView, toThreadDetail, toThreadSummary } from './commentView';

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

/** Which branches: the first page, or the one after a cursor; `limit` branches at most. */
export interface PageRequest {
  after?: string;
  limit?: number;
}

export interface ThreadService {
  listThreads(): Promise<ThreadSummary[]>;
  /** The thread alone, without its comments (a page's title, say). */
  getThreadDetail(request: { slug: string }): Promise<ThreadDetail>;
  getThread(request: { slug: string; sort?: Sort } & PageRequest): Promise<ThreadResponse>;
  getThreadPage(request: { slug: string; sort?: Sort; rootId?: string; viewerGuestId?: string | null } & PageRequest): Promise<ThreadPage>;
  /**
   * What a reader missed since `afterSeq` (null: nothing, just the thread's state),
   * or `resync` when that is more than CATCH_UP_LIMIT events.
   */
  catchUp(request: { slug: string; afterSeq: number | null }): Promise<CatchUp>;
  createThread(request: { title: string; slug?: string; article?: string }): Promise<ThreadDetail>;
}

export function createThreadService(deps: { store: Store }): ThreadService {
  const { store } = deps;
  // Readers who reconnect together share their reads (catchUpReads.ts).
  const catchUp = createCatchUpReads({ store });

  async function findThread(slug: string) {
    const thread = await store.findThreadBySlug(slug);
    if (!thread) throw new AppError('thread_not_found');
    return thread;
  }

  /**
   * A page of branches: `limit` top-level comments after the cursor, in the
   * sort's order, each with everything under it. The first page also carries
   * the branches of pinned comments, so the featured ones are always there.
   */
  async function loadBranches(threadId: string, sort: Sort, page: PageRequest) {
    const limit = page.limit ?? BRANCHES_PER_PAGE;
    const after = page.after === undefined ? undefined : Number(page.after);
    // One more than the page tells whether another page follows.
    const tops = await store.listTopLevel({ threadId, order: sort === 'newest' ? 'desc' : 'asc', afterSeq: after, limit: limit + 1 });
    const shown = tops.slice(0, limit);
    const rootIds = new Set(shown.map((c) => c.id));
    if (after === undefined) for (const pin of await store.listPinned({ threadId })) rootIds.add(pin.rootId);
    const comments = await store.listBranches({ threadId, rootIds: [...rootIds] });
    return { comments, nextCursor: tops.length > limit ? String(shown.at(-1)!.seq) : null };
  }

  /** One branch, for a page rooted at a comment anywhere in it. */
  async function loadBranchOf(threadId: string, commentId: string) {
    const comment = await store.findComment({ threadId, id: commentId });
    if (!comment) throw new AppError('comment_not_found');
    return store.listBranches({ threadId, rootIds: [comment.rootId] });
  }

  const pageComment = (viewer: string | null | undefined) => (c: Comment): PageComment => {
    const mine = viewer != null && c.authorGuestId === viewer && (c.status === 'visible' || c.status === 'pending');
    return { ...toCommentView(c, { reveal: mine }), mine };
  };
  // A held comment is shown to its author only: for everyone else it does not exist yet.
  const shownTo = (viewer: string | null | undefined) => (c: Comment) => c.status !== 'pending' || (viewer != null && c.authorGuestId === viewer);

  return {
    async listThreads() {
      return (await store.listThreads()).map(toThreadSummary);
    },

    async getThreadDetail({ slug }) {
      return toThreadDetail(await findThread(slug));
    },

    async getThread({ slug, sort = 'oldest', ...page }) {
      const thread = await findThread(slug);
      const { comments, nextCursor } = await loadBranches(thread.id, sort, page);
      const shown = comments.filter(shownTo(null)).map((c) => toCommentView(c));
      return { thread: toThreadDetail(thread), comments: flattenTree(pruneDeletedLeaves(buildTree(shown, { sort }))), nextCursor };
    },

    async getThreadPage({ slug, sort = 'oldest', rootId, viewerGuestId, ...page }) {
      const thread = await findThread(slug);
      const { comments, nextCursor } = rootId === undefined ? await loadBranches(thread.id, sort, page) : { comments: await loadBranchOf(thread.id, rootId), nextCursor: null };
      const all = comments.filter(shownTo(viewerGuestId)).map(pageComment(viewerGuestId));
      const tree = pruneDeletedLeaves(buildTree(all, rootId === undefined ? { sort } : { rootId }));
      if (rootId !== undefined && tree.length === 0) throw new AppError('comment_not_found');
      return {
        thread: toThreadDetail(thread),
        articleParagraphs: articleParagraphs(thread.article),
        sort,
        root: rootId === undefined ? null : tree[0]!.item,
        tree,
        comments: rootId === undefined ? all : flattenTree(tree),
        nextCursor,
      };
    },

    catchUp,

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
  };
}
