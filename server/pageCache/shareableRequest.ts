import type { IncomingMessage } from 'node:http';
import { staffToken } from '../http/staffSession';
import { isSharedReaderRequest } from '../../lib/domain/sharedPage';

/** The reader pages: an article, a branch of its thread, the embed. */
export const READER_PAGE = /^\/(?:articles\/[^/]+(?:\/comments\/[^/]+)?|embed\/[^/]+)\/?$/;

/**
 * Whether a request for a page may be answered with the page everyone gets (server/pageCache): a GET
 * or HEAD of a reader page whose query is everyone's (lib/domain/sharedPage.ts), and no staff session,
 * since a moderator's view of a hidden thread is theirs alone (the cache renders with no cookie).
 */
export function isShareableReaderRequest(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!READER_PAGE.test(url.pathname)) return false;
  if (!isSharedReaderRequest(url.searchParams)) return false;
  return staffToken(req) === undefined;
}
