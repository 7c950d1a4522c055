import { renderCommentHtml } from '../domain/markdown';
import type { MentionRef } from '../domain/types';

/**
 * Room for the rendered HTML of many threads' comments, in characters held: each entry's
 * source text and HTML, plus ENTRY_OVERHEAD_CHARS for the Map entry and the two string
 * headers. At 2 bytes a character at worst (V8 keeps ASCII at 1), this is ≤ 16 MB of heap.
 */
const DEFAULT_BUDGET_CHARS = 8_000_000;
/** What an entry costs beyond its two strings (Map slot, string headers), in characters: so that
 * a flood of one-character bodies is bounded by the budget too, not only long ones. */
export const ENTRY_OVERHEAD_CHARS = 64;

/**
 * What an entry is remembered by: the source text, and the people its mentions link to (the same
 * text stored with other mentions renders other links). NUL cannot be in a stored body.
 */
export function htmlCacheKey(body: string, mentions?: readonly MentionRef[]): string {
  if (!mentions || mentions.length === 0) return body;
  return `${body}\u0000${mentions.map((m) => `${m.id}\u0001${m.name}`).join('\u0002')}`;
}

/**
 * Rendered comment HTML, remembered by source text and mentions. Rendering is a pure
 * function of the two, and a page of a long thread renders hundreds of bodies
 * that did not change since the last reader asked; the budget keeps memory
 * bounded however many threads are open (least recently used first out).
 */
export function createHtmlCache(options: { budgetChars?: number } = {}) {
  const budget = options.budgetChars ?? DEFAULT_BUDGET_CHARS;
  const entries = new Map<string, string>();
  let used = 0;
  const cost = (body: string, html: string) => body.length + html.length + ENTRY_OVERHEAD_CHARS;

  return {
    render(body: string, mentions?: readonly MentionRef[]): string {
      const key = htmlCacheKey(body, mentions);
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Map keeps insertion order: re-inserting marks it the most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const html = renderCommentHtml(body, mentions);
      const size = cost(key, html);
      // An entry bigger than the whole budget is rendered, not kept.
      if (size > budget) return html;
      entries.set(key, html);
      used += size;
      for (const [oldest, oldHtml] of entries) {
        if (used <= budget) break;
        entries.delete(oldest);
        used -= cost(oldest, oldHtml);
      }
      return html;
    },
    get size() {
      return entries.size;
    },
    /** Characters held, overheads included: never more than `budgetChars`. */
    get usedChars() {
      return used;
    },
    budgetChars: budget,
  };
}

/** One per process: comment views are built in the services, the socket fan-out and the pages alike. */
export const commentHtml = createHtmlCache();
