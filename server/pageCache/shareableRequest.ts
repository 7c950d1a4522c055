import type { IncomingMessage } from 'node:http';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';

/**
 * What the no-JavaScript forms' redirects add once they did what the reader asked (server/http/formRoutes.ts):
 * the page after one's own post or like must show it, which a shared cache's copy from a second before would not.
 */
export const FORM_DONE = { posted: 'posted', liked: 'liked' } as const;

/**
 * The no-JavaScript flows' parameters: a page with one of them answers one reader's own
 * post or click (the error of their form, the comment they reply to, what they just did), not the thread as it is.
 */
// `held`: the `personal` branch's answer to a post held for review (lib/domain/sharedPage.ts there).
const PERSONAL_PARAMS = ['error', 'field', 'held', 'likeError', 'replyTo', FORM_DONE.posted, FORM_DONE.liked] as const;

/** The reader pages: an article, a branch of its thread, the embed. */
export const READER_PAGE = /^\/(?:articles\/[^/]+(?:\/comments\/[^/]+)?|embed\/[^/]+)\/?$/;

/**
 * Whether a request for a page may be answered with the page everyone gets (server/pageCache).
 * Interim rule of the cache's branch until the reader pages carry nothing personal (issue 15, the
 * `personal` helper's predicate replaces it): a GET or HEAD of a reader page with no parameter
 * of a no-JavaScript flow, and no staff session, since a moderator's view (a hidden thread, the
 * staff header) is theirs alone.
 */
export function isShareableReaderRequest(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!READER_PAGE.test(url.pathname)) return false;
  if (PERSONAL_PARAMS.some((name) => url.searchParams.has(name))) return false;
  return readOwnCookie(req.headers.cookie, STAFF_COOKIE).value === undefined;
}
