import type { IncomingMessage } from 'node:http';
import { verifyEmbedToken } from '../../lib/domain/embedToken';
import type { Services } from '../../lib/services';
import { consumeOrThrow } from '../../lib/services/rateLimiter';
import type { Logger } from '../log';
import { clientAddress } from '../http/origin';
import { fetchArticlePage, type PageFetchOptions } from './articlePage';
import type { EmbedRequest } from './embedPolicy';
import { matchThreadUrl, type ThreadUrlPattern } from './threadUrls';

export interface ThreadOpeningOptions {
  services: Services;
  /** EMBED_SECRET: hosts sign tokens with it. Unset: no token opens anything. */
  secret: string | undefined;
  /** EMBED_THREAD_URLS: pages of the operator's sites that may open their own threads. */
  threadUrls: readonly ThreadUrlPattern[];
  log: Logger;
  /** Tests shorten the page read's timeout or cap. */
  pageFetch?: Partial<PageFetchOptions>;
  now?: () => number;
}

/** Article pages read at once by this node; a view beyond them opens nothing (the next one will). */
const MAX_PAGE_READS = 8;

/**
 * Opens the thread an embed asks for, when its host says so in a way nobody
 * else can (docs/embed.md, "Opening threads"): a token signed with EMBED_SECRET
 * (its slug, title and article), or, without a token, a page of the operator's
 * site listed in EMBED_THREAD_URLS that embeds this very slug (its title, its
 * address). Anything else opens nothing, and says why in the log. With neither
 * configured, threads come from the operator only (`npm run thread:create`, the
 * admin API). Each opening counts against the address's write budget, as an
 * API write does.
 */
export function createThreadOpening(options: ThreadOpeningOptions) {
  const { services, log } = options;
  const now = options.now ?? Date.now;
  /** Simultaneous first views of one slug share one page read. */
  const reading = new Map<string, Promise<void>>();

  const refuse = (slug: string, why: string) => log.info(`embed: no thread ${slug} and none opened: ${why}`);

  async function open(opening: { slug: string; title: string; articleUrl: string; how: string }): Promise<void> {
    const { thread, created } = await services.threads.ensureThread(opening);
    if (created) log.info(`embed: opened thread ${thread.slug} (${opening.how}) for ${opening.articleUrl}`);
  }

  function spend(req: IncomingMessage): Promise<void> {
    // Opening a thread is a write: it counts against the address's budget, as an API write would.
    return consumeOrThrow(services.limiters.httpWrites, `http:${clientAddress(req)}`, 'Too many requests from your network address. Please wait a moment.');
  }

  async function byToken(req: IncomingMessage, request: EmbedRequest & { token: string }): Promise<void> {
    if (!options.secret) return refuse(request.slug, 'a token came, but EMBED_SECRET is not set');
    const check = verifyEmbedToken({ token: request.token, secret: options.secret, slug: request.slug, nowMs: now() });
    if (!check.ok) return refuse(request.slug, `the token was refused (${check.reason}): ${check.detail}`);
    await spend(req);
    await open({ slug: check.claims.slug, title: check.claims.title, articleUrl: check.claims.url, how: 'signed token' });
  }

  async function byPage(req: IncomingMessage, request: EmbedRequest): Promise<void> {
    if (request.pageUrl === null) return refuse(request.slug, 'no token, and no url to read');
    const address = matchThreadUrl(options.threadUrls, request.pageUrl);
    if (!address) return refuse(request.slug, `no token, and ${request.pageUrl} is not an address EMBED_THREAD_URLS lists`);
    const key = `${request.slug} ${address}`;
    const running = reading.get(key);
    if (running) return running;
    if (reading.size >= MAX_PAGE_READS) return refuse(request.slug, `${MAX_PAGE_READS} article pages are being read already; a later view will open it`);
    await spend(req);
    const done = readAndOpen(req, request.slug, address).finally(() => reading.delete(key));
    reading.set(key, done);
    return done;
  }

  async function readAndOpen(req: IncomingMessage, slug: string, address: string): Promise<void> {
    const read = await fetchArticlePage({ url: address, patterns: options.threadUrls, options: options.pageFetch });
    if (!read.ok) return refuse(slug, `its page could not be read: ${read.detail}`);
    if (!read.page.threads.includes(slug)) return refuse(slug, `the page ${address} embeds ${read.page.threads.join(', ') || 'no thread'}, not ${slug}`);
    await open({ slug, title: read.page.title ?? slug, articleUrl: read.page.articleUrl, how: 'its page on the operator’s site' });
  }

  /** Called for a slug that has no thread yet. */
  return async function openOnFirstView(req: IncomingMessage, request: EmbedRequest): Promise<void> {
    if (request.token !== null) return byToken(req, { ...request, token: request.token });
    if (options.threadUrls.length > 0) return byPage(req, request);
    return refuse(request.slug, options.secret ? 'no token' : 'neither EMBED_SECRET nor EMBED_THREAD_URLS is set (threads are opened by the operator)');
  };
}
