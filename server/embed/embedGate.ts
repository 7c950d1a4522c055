import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMBED_THEME_HEADER } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import type { Services } from '../../lib/services';
import { consumeOrThrow } from '../../lib/services/rateLimiter';
import type { Logger } from '../log';
import { ensureGuest } from '../http/guestSession';
import { clientAddress } from '../http/origin';
import { firstViewRefusal, parseEmbedRequest, type EmbedRequest } from './embedPolicy';

export interface EmbedGateDeps {
  services: Services;
  /** EMBED_ORIGINS. */
  embedOrigins: readonly string[];
  log: Logger;
}

/**
 * What happens before Next.js renders an embed page: the address is checked
 * (a bad one throws `invalid_request`), a thread unknown so far is opened when
 * the first view comes from an allowed site (else Next.js shows its 404), the
 * reader gets a guest cookie that works in a cross-site frame, and the page
 * learns the theme. Returns the guest id for the render.
 */
export function createEmbedGate(deps: EmbedGateDeps) {
  const { services, log } = deps;

  async function openOnFirstView(req: IncomingMessage, request: EmbedRequest): Promise<void> {
    try {
      await services.threads.getThreadDetail({ slug: request.slug });
      return;
    } catch (err) {
      if (!AppError.is(err) || err.code !== 'thread_not_found') throw err;
    }
    const why = firstViewRefusal({ pageUrl: request.pageUrl, headers: req.headers, embedOrigins: deps.embedOrigins });
    if (why) {
      log.info(`embed: no thread ${request.slug} and none opened: ${why}`);
      return;
    }
    // Opening a thread is a write: it counts against the address's budget, as an API write would.
    await consumeOrThrow(services.limiters.httpWrites, `http:${clientAddress(req)}`, 'Too many requests from your network address. Please wait a moment.');
    const { thread, created } = await services.threads.ensureThread({ slug: request.slug, title: request.title ?? request.slug });
    if (created) log.info(`embed: opened thread ${thread.slug} on its first view from ${request.pageUrl}`);
  }

  return async function admitEmbed(req: IncomingMessage, res: ServerResponse): Promise<string> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed');
    const url = new URL(req.url ?? '/', 'http://embed.invalid');
    const request = parseEmbedRequest(url.pathname, url.searchParams);
    await openOnFirstView(req, request);
    req.headers[EMBED_THEME_HEADER] = request.theme;
    return ensureGuest(req, res, services.sessionSecret, { framed: true });
  };
}
