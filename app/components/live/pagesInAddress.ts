import type { Sort } from '../../../lib/contract/api';
import { addressWithPagesLoaded } from '../../../lib/client/pagesInUrl';

/**
 * Records in the address bar how far "More comments" has loaded, so a reload
 * or Back renders as much again (lib/client/pagesInUrl.ts says why). No new
 * history entry: Back still leaves the article. Given no state of its own,
 * the call goes through Next.js's router, which keeps its state and learns the
 * new address (without reading the page again).
 */
export function recordPagesLoaded(sort: Sort, nextCursor: string | null): void {
  window.history.replaceState(null, '', addressWithPagesLoaded(window.location.href, sort, nextCursor));
}
