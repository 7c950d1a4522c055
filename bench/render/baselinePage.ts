/**
 * The render baseline's page: the article and its comment tree as plain React
 * elements (no client components, no hooks), with markup close to Threadline's
 * CommentItem — an <article> per comment with a foldable header, the comment's
 * markdown HTML, and nested lists for replies.
 */
import { createElement as h, type ReactElement } from 'react';
import type { CommentView } from '../../lib/contract/api';

export interface BaselinePageData {
  title: string;
  articleParagraphs: string[];
  comments: CommentView[];
  /** Below this depth replies become a "Continue this thread" link, as on Threadline's page; null: never cut. */
  cutAtLevel: number | null;
}

interface Node {
  item: CommentView;
  children: Node[];
  descendants: number;
}

/** Parents before children, in the order given (the API's display order). */
export function buildTree(comments: CommentView[]): Node[] {
  const byId = new Map<string, Node>();
  const roots: Node[] = [];
  for (const item of comments) byId.set(item.id, { item, children: [], descendants: 0 });
  for (const node of byId.values()) {
    const parent = node.item.parentId === null ? undefined : byId.get(node.item.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const count = (node: Node): number => (node.descendants = node.children.reduce((sum, c) => sum + 1 + count(c), 0));
  for (const root of roots) count(root);
  return roots;
}

function commentItem(node: Node, level: number, cutAtLevel: number | null): ReactElement {
  const c = node.item;
  const anchor = `c-${c.id}`;
  const cut = node.children.length > 0 && cutAtLevel !== null && level >= cutAtLevel;
  return h(
    'li',
    { key: c.id, className: 'comment-node' },
    h(
      'article',
      { className: `comment comment-${c.status}`, id: anchor, 'aria-label': `Comment by ${c.author.name ?? 'Anonymous'}`, 'data-depth': c.depth, 'data-comment-id': c.id },
      h(
        'details',
        { open: true, className: 'comment-fold' },
        h(
          'summary',
          { className: 'comment-header' },
          h('span', { className: 'fold-toggle', 'aria-hidden': 'true' }),
          h('bdi', { className: 'comment-author' }, c.author.name ?? 'Anonymous'),
          c.createdAt ? h('time', { dateTime: c.createdAt, title: c.createdAt }, c.createdAt.slice(0, 10)) : null,
          h('a', { className: 'permalink', href: `#${anchor}`, 'aria-label': 'Link to this comment' }, '#'),
          node.children.length > 0 ? h('span', { className: 'fold-count' }, `${node.descendants} replies hidden`) : null,
        ),
        h('div', { className: 'comment-body', dir: 'auto', dangerouslySetInnerHTML: { __html: c.html } }),
        h('div', { className: 'comment-actions' }, h('a', { className: 'reply-link', href: `?replyTo=${c.id}#reply-${c.id}` }, 'Reply')),
      ),
    ),
    cut
      ? h('a', { className: 'continue-thread', href: `/articles/x/comments/${c.id}` }, `Continue this thread (${node.descendants} more)`)
      : node.children.length > 0
        ? h('ol', { className: 'comment-children' }, node.children.map((child) => commentItem(child, level + 1, cutAtLevel)))
        : null,
  );
}

export function baselinePage(data: BaselinePageData): ReactElement {
  const tree = buildTree(data.comments);
  return h(
    'html',
    { lang: 'en' },
    h('head', null, h('meta', { charSet: 'utf-8' }), h('title', null, data.title)),
    h(
      'body',
      null,
      h('main', null,
        h('article', { className: 'story' }, h('h1', { className: 'story-title' }, data.title), h('div', { className: 'story-body' }, data.articleParagraphs.map((p, i) => h('p', { key: i }, p)))),
        h('section', { id: 'comments', className: 'discussion' }, h('h2', null, `${data.comments.length} comments`), h('ol', { className: 'comment-tree' }, tree.map((node) => commentItem(node, 1, data.cutAtLevel)))),
      ),
    ),
  );
}
