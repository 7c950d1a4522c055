import { BODY_HTML_ATTRIBUTE } from '../components/live/CommentHtml';
import type { LiveThreadProps } from '../components/live/LiveThread';
import type { Locale } from '../i18n/locales';
import { packComments, unpackComments, type PackedComment } from './islandComments';

/**
 * What the server hands the thread island (./ThreadIsland.tsx) on a reader page: the island is
 * rendered on the server from it, and hydrated in the browser from the same data, which the page
 * carries as JSON (`<script type="application/json">`, never run).
 */
export type ThreadIslandData = { locale: Locale; thread: LiveThreadProps } & (
  | { kind: 'article' }
  /** A page rooted at one comment (`/articles/<slug>/comments/<id>`). */
  | { kind: 'branch'; branch: { title: string; rootId: string; parentId: string | null } }
  /** The discussion alone, in a frame on another site (`/embed/<slug>`). */
  | { kind: 'embed'; embed: { hostUrl: string | null } }
);

/** The element the island is rendered into, found by this attribute. */
export const ISLAND_ATTRIBUTE = 'data-island';
export const THREAD_ISLAND = 'thread';
/** The header's slot for a signed-in moderator's links, filled after load (./staffNav.tsx). */
export const STAFF_NAV_ISLAND = 'staff-nav';
/** The header's slot for a signed-in person's bell (./bellNav.tsx), filled after load. */
export const BELL_ISLAND = 'bell';
/** On the page's script element: the chunks it loads once the page has painted (app/islands/thread.tsx), space-separated. */
export const ISLAND_LATER_ATTRIBUTE = 'data-later';
/** The id of the JSON the island is hydrated from. */
export const ISLAND_DATA_ID = 'threadline-island';

const BODY_HTML_IN_MARKUP = new RegExp(` ${BODY_HTML_ATTRIBUTE}="([^"]*)"[^>]*>([\\s\\S]*?)</div>`, 'g');

/**
 * The comments' HTML that the island's rendered HTML holds, by comment id, read on the server (the ids are
 * `[a-z0-9]`, nothing to unescape; markdown-it writes no `<div>`, so the first `</div>` closes a body).
 */
export function bodiesInMarkup(html: string): Map<string, string> {
  return new Map(Array.from(html.matchAll(BODY_HTML_IN_MARKUP), (m) => [m[1]!, m[2]!]));
}

/**
 * The data as the text of a `<script type="application/json">`, its comments packed (./islandComments.ts),
 * without the HTML of those in `shown` (bodiesInMarkup of the island's HTML). Every `<` is escaped (JSON allows `\u003c` anywhere
 * a string may hold one), so no comment text can close the element.
 */
export function islandJson(data: ThreadIslandData, shown: { has(id: string): boolean }): string {
  return JSON.stringify({ ...data, thread: { ...data.thread, comments: packComments(data.thread.comments, shown) } }).replace(/</g, '\\u003c');
}

/**
 * The data back, in the browser: `bodyHtml` gives a comment's HTML as the page shows it (the element
 * marked BODY_HTML_ATTRIBUTE), read before hydration so the island gets the props the server had.
 */
export function readIslandData(text: string, bodyHtml: (id: string) => string | undefined): ThreadIslandData {
  const data = JSON.parse(text) as Omit<ThreadIslandData, 'thread'> & { thread: Omit<LiveThreadProps, 'comments'> & { comments: PackedComment[] } };
  return { ...data, thread: { ...data.thread, comments: unpackComments(data.thread.comments, bodyHtml) } } as ThreadIslandData;
}

/** The HTML of the comments the island's element shows, by comment id (the first, for a comment featured above its place too). */
export function bodiesIn(root: ParentNode): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const el of root.querySelectorAll(`[${BODY_HTML_ATTRIBUTE}]`)) {
    const id = el.getAttribute(BODY_HTML_ATTRIBUTE)!;
    if (!bodies.has(id)) bodies.set(id, el.innerHTML);
  }
  return bodies;
}
