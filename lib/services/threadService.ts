import type { CommentView, Sort, ThreadDetail, ThreadResponse, ThreadSummary } from '../contract/api';
import { AppError } from '../domain/errors';
import { buildTree, flattenTree, type TreeNode } from '../domain/tree';
import type { Store } from '../store/store';
import { articleParagraphs, toCommentView, toThreadDetail, toThreadSummary } from './commentView';

export interface ThreadPage {
  thread: ThreadDetail;
  articleParagraphs: string[];
  sort: Sort;
  /** The branch the page is rooted at, or null for the whole thread. */
  root: CommentView | null;
  tree: TreeNode<CommentView>[];
}

export interface ThreadService {
  listThreads(): Promise<ThreadSummary[]>;
  getThread(request: { slug: string; sort?: Sort }): Promise<ThreadResponse>;
  getThreadPage(request: { slug: string; sort?: Sort; rootId?: string }): Promise<ThreadPage>;
}

export function createThreadService(deps: { store: Store }): ThreadService {
  const { store } = deps;

  async function load(slug: string) {
    const thread = await store.findThreadBySlug(slug);
    if (!thread) throw new AppError('thread_not_found');
    const comments = (await store.listComments({ threadId: thread.id })).map(toCommentView);
    return { thread, comments };
  }

  return {
    async listThreads() {
      return (await store.listThreads()).map(toThreadSummary);
    },

    async getThread({ slug, sort = 'oldest' }) {
      const { thread, comments } = await load(slug);
      return { thread: toThreadDetail(thread), comments: flattenTree(buildTree(comments, { sort })) };
    },

    async getThreadPage({ slug, sort = 'oldest', rootId }) {
      const { thread, comments } = await load(slug);
      const tree = buildTree(comments, rootId === undefined ? { sort } : { rootId });
      if (rootId !== undefined && tree.length === 0) throw new AppError('comment_not_found');
      return {
        thread: toThreadDetail(thread),
        articleParagraphs: articleParagraphs(thread.article),
        sort,
        root: rootId === undefined ? null : tree[0]!.item,
        tree,
      };
    },
  };
}
