import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER } from '../../lib/domain/embed';
import type { Edge } from '../http/edge';
import type { Metrics } from '../metrics/metrics';
import type { RenderedResponse } from './detachedRender';
import { renderDetached } from './detachedRender';
import { PERSONAL_PAGE_CACHE_CONTROL, WORDS_HOLD_UNTIL_HEADER } from '../../app/readerPages/serveReaderPage';
import { pageKeyOf } from './pageKey';
import type { PageSource, ReaderPageCache } from './readerPageCache';
import type { RenderedPage } from './renderedPages';
import { matchesEtag, NOT_STORED_CACHE_CONTROL, SHARED_PAGE_CACHE_CONTROL, sharedPageVary } from './sharedPageHeaders';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Which of the reader's request headers a page everyone gets may be rendered from: none that says who they are or what they hold already. */
const RENDER_HEADERS = ['host', 'accept', 'accept-language', 'user-agent', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for', 'x-real-ip'];
/** Said to the client, for tests and for reading a trace: how this node found the page. */
export const PAGE_CACHE_HEADER = 'x-page-cache';

export interface SharedPagesDeps {
  cache: ReaderPageCache;
  pageHandler: Handler;
  edge: Pick<Edge, 'sharedPageCsp'>;
  /** The embed gate (server/embed/embedGate.ts): checks the address, opens a thread, sets the embed's headers. */
  admitEmbed(req: IncomingMessage): Promise<void>;
  metrics: Pick<Metrics, 'pageCache'>;
  /**
   * What else every reader's page shows besides its thread: the site's comment policy as this node knows
   * it (lib/services/policyService.ts knownPolicy), which the render reads too. Part of the key.
   */
  siteVariant?: () => string;
}

/**
 * Serves a shareable reader page (isShareableReaderRequest) from the cache, rendering it on a miss
 * (docs/decisions.md, "A page from a shared cache"). Answers false, having done nothing, for an
 * address it cannot key: that request takes the ordinary path. Errors are the caller's to answer.
 */
export function createSharedPages(deps: SharedPagesDeps) {
  const { cache, metrics } = deps;
  const answer = (req: IncomingMessage, res: ServerResponse, found: Found, csp: string, byLanguage: boolean) => {
    metrics.pageCache.inc({ source: found.page ? found.source : 'pass' });
    send(req, res, found, csp, byLanguage);
  };

  return function serveShared(req: IncomingMessage, res: ServerResponse, url: URL, embed: boolean): Promise<void> | false {
    const page = pageKeyOf(url, req.headers['accept-language']);
    if (!page) return false;
    const variant = deps.siteVariant?.() ?? '';
    const key = { ...page, key: `${page.key}\n${variant}` };
    const csp = deps.edge.sharedPageCsp(req, { embed });
    const fresh = cache.fresh(key.key);
    // The path most page views take: nothing awaited.
    if (fresh) return Promise.resolve(answer(req, res, { page: fresh, source: 'hit' }, csp, key.byLanguage));
    const render = () =>
      renderDetached(deps.pageHandler, {
        url: req.url ?? '/',
        headers: { ...renderHeaders(req.headers), 'content-security-policy': csp },
        prepare: embed
          ? async (detached) => {
              // On the reader's request, which the gate counts against their address's budget when it opens a thread.
              await deps.admitEmbed(req);
              for (const name of [EMBED_THEME_HEADER, EMBED_URL_HEADER]) if (req.headers[name] !== undefined) detached.headers[name] = req.headers[name];
            }
          : undefined,
      }).then((response) => {
        // The variant changed while the page rendered: which one it shows is not known, so it is served once, not kept.
        if ((deps.siteVariant?.() ?? '') !== variant) response.headers['cache-control'] = PERSONAL_PAGE_CACHE_CONTROL;
        return response;
      });
    return cache.lookup(key.key, key.slug, render).then((found) => answer(req, res, found, csp, key.byLanguage));
  };
}

function renderHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const name of RENDER_HEADERS) if (headers[name] !== undefined) kept[name] = headers[name];
  return kept;
}

type Found = { page: RenderedPage; source: PageSource } | { page: null; response: RenderedResponse };

function send(req: IncomingMessage, res: ServerResponse, found: Found, csp: string, byLanguage: boolean): void {
  res.setHeader('content-security-policy', csp);
  if (!found.page) return sendUnkept(req, res, found.response);
  const { page, source } = found;
  res.setHeader('cache-control', SHARED_PAGE_CACHE_CONTROL);
  res.setHeader('etag', page.etag);
  res.setHeader('vary', sharedPageVary(byLanguage));
  res.setHeader(PAGE_CACHE_HEADER, source);
  if (matchesEtag(req.headers['if-none-match'], page.etag)) return void res.writeHead(304).end();
  const gzipped = page.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzipped ? page.gzip! : page.body;
  res.writeHead(200, { ...page.headers, ...(gzipped && { 'content-encoding': 'gzip' }), 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A page not kept (a 404, a redirect, a thread that moved while it rendered): sent as rendered, for this request alone. */
function sendUnkept(req: IncomingMessage, res: ServerResponse, response: RenderedResponse): void {
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || name === 'set-cookie' || name === 'content-length' || name === 'content-security-policy' || name === 'cache-control' || name === WORDS_HOLD_UNTIL_HEADER) continue;
    res.setHeader(name, value);
  }
  res.setHeader('cache-control', NOT_STORED_CACHE_CONTROL);
  res.setHeader(PAGE_CACHE_HEADER, 'pass');
  res.writeHead(response.status, { 'content-length': response.body.length });
  res.end(req.method === 'HEAD' ? undefined : response.body);
}
