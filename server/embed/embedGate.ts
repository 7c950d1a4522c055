import type { IncomingMessage } from 'node:http';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import type { Services } from '../../lib/services';
import type { Logger } from '../log';
import { articleAddressCandidates } from './articleAddress';
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
 * The embed asked for a slug no thread has, on the article of an imported thread: the frame is sent
 * to that thread's embed page (a 302 answered by server/app.ts), so the page, its cache entry and
 * its live updates all name the thread they show.
 */
export class EmbedMoved extends Error {
  constructor(readonly location: string) {
    super(`embed moved to ${location}`);
  }
}

/**
 * What happens before Next.js renders an embed page: the address is checked
 * (a bad one throws `invalid_request`), a thread unknown so far is opened when
 * its host vouches for it (server/embed/threadOpening.ts; else Next.js shows its
 * 404), and the page learns where permalinks lead and the theme. No cookie: the page is the same
 * for every reader; its first read of the reader's own state sets one that works in a cross-site frame.
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

  return async function admitEmbed(req: IncomingMessage): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed');
    const url = new URL(req.url ?? '/', 'http://embed.invalid');
    const request = parseEmbedRequest(url.pathname, url.searchParams);
    let thread = await services.store.findThreadRowBySlug(request.slug);
    if (!thread && request.pageUrl !== null) {
      // A page still naming its Disqus or WordPress discussion its own way finds the imported thread by its address (docs/embed.md).
      const imported = await services.store.findImportedThreadByArticleUrl(articleAddressCandidates(request.pageUrl));
      if (imported) throw new EmbedMoved(`/embed/${encodeURIComponent(imported.slug)}${url.search}`);
      // Asked again right before opening, as the first time was: simultaneous first views that waited here
      // must find the thread one of them opened meanwhile, not read its page again (threadOpening.ts).
      thread = await services.store.findThreadRowBySlug(request.slug);
    }
    if (!thread) {
      await openOnFirstView(req, request);
      thread = await services.store.findThreadRowBySlug(request.slug);
    }
    const permalinks = permalinkTarget({ articleUrl: thread?.articleUrl ?? null, pageUrl: request.pageUrl, embedOrigins: deps.embedOrigins });
    if (permalinks) req.headers[EMBED_URL_HEADER] = permalinks;
    req.headers[EMBED_THEME_HEADER] = request.theme;
  };
}
