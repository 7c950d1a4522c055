import { createHash } from 'node:crypto';
import { CountsQuerySchema, CountsResponseSchema } from '../../lib/contract/counts';
import { z } from '../../lib/contract/zod';
import { parseCountRequest } from '../../lib/domain/countRequest';
import { readCounts } from '../../lib/services/countReads';
import type { Store } from '../../lib/store/store';
import { articleAddressCandidates } from '../embed/articleAddress';
import type { OriginPolicy } from '../http/origin';
import type { DocumentedRoute, Route } from '../http/router';
import { admitCountOrigin } from './countOrigin';
import { COUNT_STREAM_PATH } from './countStream';

/**
 * Counts change by the second on a busy thread, and a front page's fallback count may lag a little:
 * a shared cache (the CMS's, a CDN) serves one read to everyone for 10 s, and then revalidates by ETag.
 */
const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30';

export interface CountRouteDeps {
  store: Pick<Store, 'readCommentCounts' | 'findImportedThreadByArticleUrl'>;
  embedOrigins: readonly string[];
  policy: Pick<OriginPolicy, 'ownOrigin'>;
}

/** `GET /api/counts?slugs=a,b&url=…`: the counts of many threads at once, for a CMS's HTML and count.js's first paint. */
export function countRoutes(deps: CountRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/counts',
      doc: {
        summary: 'The comment counts of many threads at once, by slug or article address (docs/api.md, "Comment counts").',
        tag: 'threads',
        query: CountsQuerySchema,
        responses: {
          200: { description: 'Each count asked for (null: no such thread). Cacheable for 10 s, revalidated by ETag.', schema: CountsResponseSchema, headers: ['etag', 'cache-control'] },
          304: { description: 'Not modified since the ETag the client sent.' },
        },
        errors: ['invalid_request', 'origin_not_allowed'],
      },
      handle: async ({ req, res, url }) => {
        admitCountOrigin(req, res, deps);
        const request = parseCountRequest(url.searchParams, { urls: true });
        const body = await readCounts({ store: deps.store, candidates: articleAddressCandidates }, request);
        const payload = JSON.stringify(body);
        const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 22)}"`;
        const headers = { etag, 'cache-control': CACHE_CONTROL };
        const inm = req.headers['if-none-match'];
        if (inm !== undefined && inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return { status: 304, text: null, headers };
        return { status: 200, body, headers };
      },
    },
  ];
}

/** The live stream, answered outside the JSON router (it never ends), listed in the OpenAPI document all the same. */
export const COUNT_STREAM_ROUTE: DocumentedRoute = {
  method: 'GET',
  path: COUNT_STREAM_PATH,
  doc: {
    summary: 'A Server-Sent Events stream of the comment counts of these threads: all of them first, then only those that changed (docs/api.md, "Comment counts").',
    tag: 'threads',
    query: z.object({ slugs: z.string().describe('Comma-separated slugs, at most 200.') }),
    responses: { 200: { description: '`event: counts` messages, `data` a JSON object of counts by slug.', contentType: 'text/event-stream' } },
    errors: ['invalid_request', 'origin_not_allowed', 'too_many_connections'],
  },
};
