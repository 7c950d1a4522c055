import { shownToDepth } from '../../lib/domain/tree';
import type { PageComment, ThreadPage } from '../../lib/services';

/** Nesting shown on one page; deeper replies continue on a page rooted at the last shown comment. */
export const MAX_VISIBLE_DEPTH = 6;

const slimmed = new WeakMap<ThreadPage, PageComment[]>();

/**
 * The page's comments as the live thread receives them: each comment's text
 * travels once. The server-rendered HTML already shows every comment, and the
 * React payload that hydrates the live thread would otherwise carry each body
 * twice more (markdown and HTML). The client needs a body only to edit it (the
 * reader's own comments), and HTML only for what it renders: comments below
 * the depth cut are counted, not shown, unless pinned (the featured list shows
 * them) or on the way to the reader's own. A page shared between readers (the page cache's) is slimmed once.
 */
export function clientComments(page: ThreadPage): PageComment[] {
  const known = slimmed.get(page);
  if (known) return known;
  const rendered = shownToDepth(page.tree, MAX_VISIBLE_DEPTH, (c) => c.mine);
  const comments = page.comments.map((c) => (c.mine ? c : { ...c, body: '', html: rendered.has(c.id) || c.pinned ? c.html : '' }));
  slimmed.set(page, comments);
  return comments;
}
