import { renderCommentHtml } from '../domain/markdown';

/** Room for the rendered HTML of many threads' comments, counted in characters of source text. */
const DEFAULT_BUDGET_CHARS = 4_000_000;

/**
 * Rendered comment HTML, remembered by source text. Rendering is a pure
 * function of the body, and a page of a long thread renders hundreds of bodies
 * that did not change since the last reader asked; the budget keeps memory
 * bounded however many threads are open (least recently used first out).
 */
export function createHtmlCache(options: { budgetChars?: number } = {}) {
  const budget = options.budgetChars ?? DEFAULT_BUDGET_CHARS;
  const entries = new Map<string, string>();
  let used = 0;

  return {
    render(body: string): string {
      const hit = entries.get(body);
      if (hit !== undefined) {
        // Map keeps insertion order: re-inserting marks it the most recently used.
        entries.delete(body);
        entries.set(body, hit);
        return hit;
      }
      const html = renderCommentHtml(body);
      // A body bigger than the whole budget is rendered, not kept.
      if (body.length > budget) return html;
      entries.set(body, html);
      used += body.length;
      for (const [oldest] of entries) {
        if (used <= budget) break;
        entries.delete(oldest);
        used -= oldest.length;
      }
      return html;
    },
    get size() {
      return entries.size;
    },
  };
}

/** One per process: comment views are built in the services, the socket fan-out and the pages alike. */
export const commentHtml = createHtmlCache();
