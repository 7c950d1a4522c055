import { PERSONAL_PAGE_CACHE_CONTROL, WORDS_HOLD_UNTIL_HEADER } from '../../app/readerPages/serveReaderPage';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { RenderedResponse } from './detachedRender';
import { createRenderedPages, type RenderedPage } from './renderedPages';

const gzip = promisify(zlib.gzip);

/** Room for rendered pages on a node, in MiB (PAGE_HTML_CACHE_MB; 0: off). */
export const DEFAULT_PAGE_HTML_CACHE_MB = 64;
/**
 * How long a kept page is served without asking the store whether its thread moved. Changes made on
 * this node drop the pages at once; this bounds how long one made on another node (which this node
 * hears of only through its readers' sockets) goes unseen by a reader without JavaScript. A live page
 * catches up from its HTML's seq whatever version it got.
 */
export const PAGE_FRESH_MS = 1000;

/** How a page was found: kept and fresh, kept and its thread found unchanged, or rendered now. */
export type PageSource = 'hit' | 'revalidated' | 'rendered';

export type PageLookup = { page: RenderedPage; source: PageSource } | { page: null; response: RenderedResponse };

export interface ReaderPageCacheOptions {
  maxBytes: number;
  /** The thread's seq as the store has it now; null when no reader may see it (none, or hidden). */
  threadSeq(slug: string): Promise<number | null>;
  freshMs?: number;
  now?: () => number;
}

/** Response headers of a render that a kept page repeats; the cache's own (cache-control, etag, vary, CSP) are set when sent. */
const KEPT_HEADERS = ['content-type', 'content-language'];

/**
 * Reader pages rendered once per thread version and served to every reader from memory
 * (docs/decisions.md, "A page from a shared cache"). Readers who miss at once wait for one render
 * (single-flight). A page is kept only when it is a 200 rendered at a seq still current when it is
 * done: a change heard while it rendered (`threadChanged`) makes it served once, not kept.
 */
export function createReaderPageCache(options: ReaderPageCacheOptions) {
  const pages = createRenderedPages({ maxBytes: options.maxBytes });
  const freshMs = options.freshMs ?? PAGE_FRESH_MS;
  const now = options.now ?? Date.now;
  const flights = new Map<string, Promise<PageLookup>>();
  /** Renders under way per thread, each marked when the thread changes before it is done. */
  const rendering = new Map<string, Set<{ changed: boolean }>>();
  /** A page whose words are still true now (a closing countdown's count has not changed). */
  const holds = (page: RenderedPage) => page.holdsUntil === null || now() < page.holdsUntil;

  async function fill(key: string, slug: string, render: () => Promise<RenderedResponse>): Promise<PageLookup> {
    const kept = pages.get(key);
    const flight = { changed: false };
    rendering.set(slug, (rendering.get(slug) ?? new Set()).add(flight));
    try {
      const seq = await options.threadSeq(slug);
      if (kept && seq === kept.seq && !flight.changed && holds(kept)) {
        kept.checkedAt = now();
        return { page: kept, source: 'revalidated' };
      }
      const response = await render();
      // A page the render said is one reader's (app/readerPages/serveReaderPage.ts) or that sets a cookie is never kept.
      // (Next.js's own default for a rendered page, `private, no-cache, no-store, …`, says nothing of the kind.)
      const personal = response.headers['set-cookie'] !== undefined || response.headers['cache-control'] === PERSONAL_PAGE_CACHE_CONTROL;
      if (response.status !== 200 || seq === null || personal) {
        pages.delete(key);
        return { page: null, response };
      }
      const page = await toPage(slug, seq, response, now());
      if (flight.changed) pages.delete(key);
      else pages.set(key, page);
      return { page, source: 'rendered' };
    } finally {
      const flights = rendering.get(slug)!;
      flights.delete(flight);
      if (flights.size === 0) rendering.delete(slug);
    }
  }

  return {
    /** A kept page still fresh: no await on the way, the path most page views take. */
    fresh(key: string): RenderedPage | undefined {
      const page = pages.get(key);
      return page && now() - page.checkedAt < freshMs && holds(page) ? page : undefined;
    },

    /** The page for `key`: kept if its thread has not moved, else rendered by `render` once for everyone asking now. */
    lookup(key: string, slug: string, render: () => Promise<RenderedResponse>): Promise<PageLookup> {
      const fresh = this.fresh(key);
      if (fresh) return Promise.resolve({ page: fresh, source: 'hit' });
      let flight = flights.get(key);
      if (!flight) {
        flight = fill(key, slug, render).finally(() => flights.delete(key));
        flights.set(key, flight);
      }
      return flight;
    },

    /** A change to a thread (heard on this node): its pages go, and renders under way are not kept. */
    threadChanged(slug: string): void {
      pages.dropThread(slug);
      for (const flight of rendering.get(slug) ?? []) flight.changed = true;
    },

    /** A change every page may show (a person's badges): all go, and renders under way are not kept. */
    everythingChanged(): void {
      pages.clear();
      for (const flights of rendering.values()) for (const flight of flights) flight.changed = true;
    },

    get size() {
      return pages.size;
    },
    get usedBytes() {
      return pages.usedBytes;
    },
  };
}

export type ReaderPageCache = ReturnType<typeof createReaderPageCache>;

async function toPage(slug: string, seq: number, response: RenderedResponse, renderedAt: number): Promise<RenderedPage> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = String(value);
  }
  const zipped = await gzip(response.body);
  // Weak: the bytes of two renders of one version differ (each has its own idempotency seed), what they show does not.
  const etag = `W/"${seq}-${createHash('sha256').update(response.body).digest('base64url').slice(0, 16)}"`;
  const holdsUntil = Number(response.headers[WORDS_HOLD_UNTIL_HEADER] ?? Number.NaN);
  return { slug, seq, headers, body: response.body, gzip: zipped.length < response.body.length ? zipped : null, etag, checkedAt: renderedAt, holdsUntil: Number.isFinite(holdsUntil) ? holdsUntil : null };
}
