import type { LiveThreadProps } from '../components/live/LiveThread';
import type { Locale } from '../i18n/locales';

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
/** The id of the JSON the island is hydrated from. */
export const ISLAND_DATA_ID = 'threadline-island';

/**
 * The data as the text of a `<script type="application/json">`. Every `<` is escaped (JSON
 * allows `\u003c` anywhere a string may hold one), so no comment text can close the element.
 */
export function islandJson(data: ThreadIslandData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** The data back, in the browser. */
export function readIslandData(text: string): ThreadIslandData {
  return JSON.parse(text) as ThreadIslandData;
}
