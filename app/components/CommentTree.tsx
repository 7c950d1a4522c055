import type { CommentView } from '../../lib/contract/api';
import type { TreeNode } from '../../lib/domain/tree';
import { ANONYMOUS, HIDDEN_COMMENT_TEXT, formatDate, replyCountLabel } from './labels';

/** Nesting shown on one page; deeper replies continue on a page rooted at the last shown comment. */
export const MAX_VISIBLE_DEPTH = 6;

interface TreeProps {
  nodes: TreeNode<CommentView>[];
  slug: string;
  /** The depth, on this page, of the nodes given: 1 for the page's top level. */
  level?: number;
}

export function CommentTree({ nodes, slug, level = 1 }: TreeProps) {
  return (
    <ol className={level === 1 ? 'thread' : 'replies'} data-level={level}>
      {nodes.map((node) => (
        <li key={node.item.id} className="thread-item">
          <CommentNode node={node} slug={slug} level={level} />
        </li>
      ))}
    </ol>
  );
}

function CommentNode({ node, slug, level }: { node: TreeNode<CommentView>; slug: string; level: number }) {
  const c = node.item;
  const anchor = `c-${c.id}`;
  const hasReplies = node.children.length > 0;
  const cut = hasReplies && level >= MAX_VISIBLE_DEPTH;
  return (
    <article className={`comment comment-${c.status}`} id={anchor} aria-label={label(c)} data-depth={c.depth} data-comment-id={c.id}>
      <details open className="comment-fold">
        <summary className="comment-header">
          <span className="fold-toggle" aria-hidden="true" />
          {c.status === 'visible' ? (
            <span className="comment-author">{c.author.name ?? ANONYMOUS}</span>
          ) : (
            <span className="comment-author comment-author-hidden">{c.status === 'unavailable' ? 'Unavailable' : 'Hidden'}</span>
          )}
          {c.createdAt ? (
            <time className="comment-time" dateTime={c.createdAt}>
              {formatDate(c.createdAt)}
            </time>
          ) : null}
          <a className="permalink" href={`#${anchor}`} aria-label="Link to this comment">
            #
          </a>
          {hasReplies ? <span className="fold-count">{replyCountLabel(node.descendantCount)} hidden</span> : null}
        </summary>
        {c.status === 'visible' ? (
          // html is markdown-it output with raw HTML disabled (lib/domain/markdown.ts): no user HTML reaches the page.
          <div className="comment-body" dangerouslySetInnerHTML={{ __html: c.html }} />
        ) : (
          <p className="comment-body comment-placeholder">{HIDDEN_COMMENT_TEXT[c.status]}</p>
        )}
        {cut ? (
          <p className="continue-thread">
            <a href={`/articles/${slug}/comments/${c.id}`}>Continue this thread ({replyCountLabel(node.descendantCount)}) →</a>
          </p>
        ) : hasReplies ? (
          <CommentTree nodes={node.children} slug={slug} level={level + 1} />
        ) : null}
      </details>
    </article>
  );
}

function label(c: CommentView): string {
  if (c.status !== 'visible') return HIDDEN_COMMENT_TEXT[c.status];
  return `Comment by ${c.author.name ?? ANONYMOUS}`;
}
