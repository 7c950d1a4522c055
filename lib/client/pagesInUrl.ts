import type { Sort } from '../contract/api';
import { UNTIL_END, UNTIL_PARAM } from '../contract/paging';

/**
 * The page's address once "More comments" has loaded every branch before
 * `nextCursor` (null: all of them), for history.replaceState.
 *
 * Why the address and not "reload and start over": a reader deep in a long
 * thread who reloads, or follows a link in a comment and comes Back, must find
 * the page as long as it was, or the browser cannot put them back where they
 * were and their place is lost. The address carries how far (the sort too,
 * which the cursor belongs to), the server renders that much again
 * (lib/services/threadService.ts, `until`), and a shared link opens as far
 * down as its sender had read. Other parameters and the fragment stay.
 */
export function addressWithPagesLoaded(href: string, sort: Sort, nextCursor: string | null): string {
  const url = new URL(href);
  url.searchParams.set('sort', sort);
  url.searchParams.set(UNTIL_PARAM, nextCursor ?? UNTIL_END);
  return `${url.pathname}${url.search}${url.hash}`;
}
