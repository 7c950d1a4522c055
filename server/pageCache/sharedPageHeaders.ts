/**
 * How long a shared cache (nginx's proxy_cache, a CDN) may serve a reader page without asking: short,
 * since a comment should reach a reader without JavaScript soon, and a live page catches up from
 * its HTML's seq anyway. Browsers keep nothing (max-age=0): a reload asks, with the ETag.
 */
export const SHARED_PAGE_S_MAXAGE_S = 2;
/** How long past that a shared cache may answer with the page it has while it fetches the next one. */
export const SHARED_PAGE_STALE_S = 30;

export const SHARED_PAGE_CACHE_CONTROL = `public, max-age=0, s-maxage=${SHARED_PAGE_S_MAXAGE_S}, stale-while-revalidate=${SHARED_PAGE_STALE_S}`;
/**
 * What no cache may keep: a page that is one reader's (a moderator's, a no-JavaScript flow's answer) or may
 * not stay (a 404 that a thread opened later replaces), and the reader's own state (GET …/viewer).
 */
export const NOT_STORED_CACHE_CONTROL = 'private, no-store';

/** Only what the page's bytes depend on: the language for the site's pages, and the encoding everywhere. */
export function sharedPageVary(byLanguage: boolean): string {
  return byLanguage ? 'Accept-Encoding, Accept-Language' : 'Accept-Encoding';
}

/** If-None-Match against a page's ETag, weakly (RFC 9110 §13.1.2): `*` or any listed tag with the same opaque part. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const own = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === own);
}
