import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import type { Services } from '../../lib/services';
import type { Logger } from '../log';
import { ensureGuest } from '../http/guestSession';
import type { PageFetchOptions } from './articlePage';
import { parseEmbedRequest, permalinkTarget } from './embedPolicy';
import { createThreadOpening } from './threadOpening';
import type { ThreadUrlPattern } from './threadUrls';

/** How threads are opened from the embed (docs/embed.md, "Opening threads"); neither set: never. */
export interface EmbedOpeningOptions {
  /** EMBED_SECRET. */
  secret?: string | undefined;
  /** EMBED_THREAD_URLS. */
  threadUrls?: readonly ThreadUrlPattern[];
  /** Tests shorten the article page read. */
  pageFetch?: Partial<PageFetchOptions>;
}

export interface EmbedGateDeps {
  services: Services;
  /** EMBED_ORIGINS. */
  embedOrigins: readonly string[];
  opening?: EmbedOpeningOptions;
  log: Logger;
}

/**
 * What happens before Next.js renders an embed page: the address is checked
 * (a bad one throws `invalid_request`), a thread unknown so far is opened when
 * its host vouches for it (server/embed/threadOpening.ts; else Next.js shows its
 * 404), the page learns where permalinks lead and the theme, and the reader gets
 * a guest cookie that works in a cross-site frame. Returns the guest id for the render; without a
 * response (the page everyone gets from the cache, server/pageCache) there is no guest and no cookie.
 */
export function createEmbedGate(deps: EmbedGateDeps) {
  const { services } = deps;
  const openOnFirstView = createThreadOpening({
    services,
    secret: deps.opening?.secret,
    threadUrls: deps.opening?.threadUrls ?? [],
    pageFetch: deps.opening?.pageFetch,
    log: deps.log,
  });

  return async function admitEmbed(req: IncomingMessage, res: ServerResponse | null): Promise<string | null> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed');
    const url = new URL(req.url ?? '/', 'http://embed.invalid');
    const request = parseEmbedRequest(url.pathname, url.searchParams);
    let thread = await services.store.findThreadRowBySlug(request.slug);
    if (!thread) {
      await openOnFirstView(req, request);
      thread = await services.store.findThreadRowBySlug(request.slug);
    }
    const permalinks = permalinkTarget({ articleUrl: thread?.articleUrl ?? null, pageUrl: request.pageUrl, embedOrigins: deps.embedOrigins });
    if (permalinks) req.headers[EMBED_URL_HEADER] = permalinks;
    req.headers[EMBED_THEME_HEADER] = request.theme;
    return res ? ensureGuest(req, res, services.sessionSecret, { framed: true }) : null;
  };
}
