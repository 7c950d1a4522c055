import type { IncomingMessage } from 'node:http';
import type { Services } from '../../lib/services';
import type { Reader, ThreadFeed } from '../../lib/services/threadService';
import { renderAtomFeed } from './atomFeed';
import type { OriginPolicy } from './origin';
import { slugParam } from './params';
import { SLUG_PARAM } from './routeDoc';
import type { Route } from './router';
import { readerOf } from './staffSession';

/** The feed path, for the server's dispatch: a GET outside /api that is not a page. */
export const FEED_PATH = /^\/articles\/[^/]+\/(feed|picks)\.xml$/;

type FeedRead = (services: Services, request: { slug: string } & Reader) => Promise<ThreadFeed>;

/** The thread's feeds: its newest comments, and its editors' picks (issue 19.1), the same shape and caching. */
const FEEDS: { path: string; summary: string; read: FeedRead; picks: boolean }[] = [
  { path: '/articles/:slug/feed.xml', summary: 'An Atom feed of the newest visible comments of a thread.', read: (s, r) => s.threads.getFeed(r), picks: false },
  {
    path: '/articles/:slug/picks.xml',
    summary: "An Atom feed of a thread's editors' picks, newest pick first, each with the moderator's note.",
    read: (s, r) => s.threads.getPicks(r),
    picks: true,
  },
];

/**
 * `GET /articles/<slug>/feed.xml` and `/articles/<slug>/picks.xml`. The ETag follows the thread's seq, so a
 * reader polling an unchanged thread gets a bodiless 304 for one indexed read.
 */
export function feedRoutes(services: Services, options: { policy: Pick<OriginPolicy, 'ownOrigin'> }): Route[] {
  return FEEDS.map(({ path, summary, read, picks }) => ({
    method: 'GET',
    path,
    doc: {
      summary,
      tag: 'feeds',
      params: SLUG_PARAM,
      responses: {
        200: { description: 'Atom 1.0 (RFC 4287).', contentType: 'application/atom+xml', headers: ['etag', 'last-modified'] },
        304: { description: 'Not modified since the ETag or date the client sent.' },
      },
      errors: ['thread_not_found'],
    },
    handle: async ({ req, params }) => {
      const slug = slugParam(params.slug);
      const feed = await read(services, { slug, ...readerOf(services, req) });
      const etag = `"seq-${feed.thread.seq}"`;
      const lastModified = new Date(feed.updatedAt).toUTCString();
      const headers = { etag, 'last-modified': lastModified, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      if (notModified(req, { etag, lastModified: Date.parse(feed.updatedAt) })) return { status: 304, text: null, headers };
      const origin = options.policy.ownOrigin(req) ?? 'http://localhost';
      return { status: 200, text: renderAtomFeed(feed, { origin, picks }), headers: { ...headers, 'content-type': 'application/atom+xml; charset=utf-8' } };
    },
  }) satisfies Route);
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; ETags compare weakly. */
function notModified(req: IncomingMessage, current: { etag: string; lastModified: number }): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === current.etag);
  }
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  // HTTP dates have whole seconds.
  return Number.isFinite(ims) && Math.floor(current.lastModified / 1000) * 1000 <= ims;
}
