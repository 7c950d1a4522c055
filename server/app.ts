import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { z } from '../lib/contract/zod';
import type { Services } from '../lib/services';
import { DEFAULT_MAX_SOCKETS_PER_ADDRESS } from '../lib/services/limits';
import { apiRoutes } from './http/apiRoutes';
import { staffRoutes } from './http/staffRoutes';
import { pulseRoutes } from './http/pulseRoutes';
import { ssoRoutes } from './http/ssoRoutes';
import { isSignInPopupPage, keepOpener, oidcRoutes } from './http/oidcRoutes';
import { roleRoutes } from './http/roleRoutes';
import { meRoutes } from './http/meRoutes';
import { noticeFormRoutes, notificationRoutes } from './http/notificationRoutes';
import { policyRoutes } from './http/policyRoutes';
import { personRoutes } from './http/personRoutes';
import { mentionRoutes } from './http/mentionRoutes';
import { formRoutes } from './http/formRoutes';
import { mailApiRoutes, mailFormRoutes } from './http/mailRoutes';
import { signInFormRoutes } from './http/signInForm';
import { createRouter, type DocumentedRoute, type Route } from './http/router';
import { feedRoutes, FEED_PATH } from './http/feedRoutes';
import { buildOpenApiDocument } from './http/openapi';
import { handleOps, OPS_PATHS, OPS_ROUTES, type CheckResult, type ReadinessReport } from './http/opsRoutes';
import { trackRequest } from './http/requestLog';
import { loggedUrl } from './http/loggedUrl';
import { signInApiRoutes, signInPageRoutes, SIGN_IN_LINK_PATH, SIGN_IN_PAGE } from './http/signInRoutes';
import { instrumentServices } from './metrics/instrumentServices';
import { createMetrics, type Metrics } from './metrics/metrics';
import { createEdge, type EdgeOptions, type RequestKind } from './http/edge';
import { sendError } from './http/json';
import { pathDecodes, sendBadAddress } from './http/badAddress';
import { toAppError } from '../lib/domain/errors';
import { limitWrites } from './http/writeLimit';
import { consoleLogger, type Logger } from './log';
import { createRealtime, type RealtimeOptions } from './realtime/createIo';
import { createEmbedGate, EmbedMoved, type EmbedOpeningOptions } from './embed/embedGate';
import { createEmbedScriptHandler, EMBED_SCRIPT_PATH } from './embed/embedScript';
import { ISLANDS_PATH, type IslandAssets } from './http/islandAssets';
import type { IoServer } from './realtime/types';
import { isShareableReaderRequest } from './pageCache/shareableRequest';
import { createReaderPageCache } from './pageCache/readerPageCache';
import { createSharedPages } from './pageCache/sharedPages';
import { createCountHub } from './counts/countHub';
import { COUNT_STREAM_ROUTE, countRoutes } from './counts/countRoutes';
import { COUNT_SCRIPT_PATH, createCountScriptHandler } from './counts/countScript';
import { COUNT_STREAM_PATH, createCountStreams } from './counts/countStream';


/** How long an idle keep-alive connection is kept: past the 60 s a proxy or client pool keeps its own. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;

export interface AppDeps {
  services: Services;
  /** Serves everything outside /api (Next.js in production); without it those paths are 404. */
  pageHandler?: PageHandler;
  /** The reader pages' own scripts (server/http/islandAssets.ts), served at /_islands/; without them that path is 404. */
  islands?: Pick<IslandAssets, 'handle'>;
  /** WebSocket upgrades outside Socket.IO's path (Next.js's dev reload); without it they are refused. */
  upgradeHandler?: UpgradeHandler;
  log?: Logger;
  /** Unset: a single node. */
  redis?: RealtimeOptions['redis'];
  /** Socket.IO connections open at once per client address (MAX_SOCKETS_PER_ADDRESS; null: no cap). Unset: the default. */
  maxSocketsPerAddress?: number | null;
  syncIntervalMs?: number;
  presenceFlushMs?: number;
  /** ALLOWED_ORIGINS, TRUST_PROXY and dev mode (docs/security.md); unset: only the app's own origin, no proxy. */
  edge?: EdgeOptions;
  /** EMBED_SECRET and EMBED_THREAD_URLS (docs/embed.md); unset: an embed never opens a thread. */
  embed?: EmbedOpeningOptions;
  /** This app's metrics; a fresh registry when unset. */
  metrics?: Metrics;
  /** Unset: GET /metrics is off (404). Set: it needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** The protocol version `server:welcome` announces; unset: this build's PROTOCOL_VERSION. Tests set another to play a newer server. */
  protocolVersion?: number | undefined;
  /**
   * Room for reader pages rendered once per thread version and served to every reader (PAGE_HTML_CACHE_MB,
   * server/pageCache). Unset or 0: every page is rendered per request, for its reader (development, and the
   * test apps whose stand-in pages render per reader); server/main.ts sets the configured size.
   */
  pageHtmlCacheMb?: number | undefined;
  /** How long a kept page is served before its thread's seq is read again; unset: PAGE_FRESH_MS. Tests shorten it. */
  pageFreshMs?: number;
  /** How often live counts are read and sent (server/counts/countHub.ts); unset: COUNT_FLUSH_MS. Tests and the benchmark shorten it. */
  countFlushMs?: number;
}

export interface CloseOptions {
  /** How long /readyz answers 503 while everything else still serves, so a load balancer stops sending traffic first. */
  drainMs?: number;
  /** How long requests in flight may take once the server stops accepting connections; then they are cut. */
  graceMs?: number;
}

export interface App {
  httpServer: http.Server;
  io: IoServer;
  /** Listens on `port` (0 picks a free one) and resolves with the address bound. */
  listen(options: { port: number; host?: string | undefined }): Promise<{ port: number; host: string }>;
  metrics: Metrics;
  /** Every route this app answers over HTTP (outside Socket.IO and the pages), with the documentation its OpenAPI document lists. */
  routes: DocumentedRoute[];
  /**
   * Readiness turns 503 at once; after `drainMs`, stops taking connections,
   * closes every socket and waits for requests in flight, at most `graceMs`.
   * `forced` tells whether connections had to be cut.
   */
  close(options?: CloseOptions): Promise<{ forced: boolean }>;
}

const CLOSE_GRACE_MS = 5000;
/** A readiness probe that waits longer than this counts the dependency as down. */
const READY_CHECK_TIMEOUT_MS = 1000;
/** The no-JavaScript forms: a comment, a like, signing in (a password, or asking for an email link), the account's email settings and its notices' mutes and watches. */
const FORM_POST = /^\/articles\/[^/]+\/comments(?:\/[^/]+\/like)?\/?$|^\/login\/?$|^\/signin\/email\/?$|^\/account\/(?:email|notification-settings)\/?$|^\/account\/notices\/(?:mute|unmute|unwatch)\/?$/;
const EMBED_PAGE = /^\/embed\//;
const OPENAPI_PATH = '/api/openapi.json';
/** The version of the HTTP API the OpenAPI document describes. */
const API_VERSION = '1.0.0';

export function createApp(deps: AppDeps): App {
  const log = deps.log ?? consoleLogger;
  const metrics = deps.metrics ?? createMetrics();
  const services = instrumentServices(deps.services, metrics);
  const edge = createEdge({ ...deps.edge, log });
  const limit = limitWrites(services.limiters.httpWrites);
  const apiRouteList: Route[] = [
    ...apiRoutes(services),
    ...staffRoutes(services),
    ...ssoRoutes(services, { log }),
    ...oidcRoutes(services, log),
    ...roleRoutes(services),
    ...meRoutes(services),
    ...notificationRoutes(services),
    ...policyRoutes(services),
    ...personRoutes(services),
    ...mentionRoutes(services),
    ...signInApiRoutes(services),
    ...mailApiRoutes(services),
    ...countRoutes({ store: services.store, embedOrigins: deps.edge?.embedOrigins ?? [], policy: edge.policy }),
    ...pulseRoutes(services),
  ];
  const articleRouteList: Route[] = [...formRoutes(services), ...mailFormRoutes(services), ...noticeFormRoutes(services), ...signInFormRoutes(services), ...signInPageRoutes(services, log), ...feedRoutes(services, { policy: edge.policy })];
  // Built once, on first request (the tests build it too).
  let openApi: Record<string, unknown> | undefined;
  const openApiRoute: Route = {
    method: 'GET',
    path: OPENAPI_PATH,
    doc: { summary: 'This document.', tag: 'meta', responses: { 200: { description: 'OpenAPI 3.1.', schema: z.record(z.string(), z.unknown()) } }, errors: [] },
    handle: async () => ({ status: 200, body: (openApi ??= buildOpenApiDocument({ routes, version: API_VERSION })) }),
  };
  const routes: DocumentedRoute[] = [...apiRouteList, ...articleRouteList, openApiRoute, ...OPS_ROUTES, COUNT_STREAM_ROUTE].map(({ method, path, doc }) => ({ method, path, doc }));
  apiRouteList.push(openApiRoute);
  const api = createRouter({ routes: apiRouteList, log, limit, guard: edge.requireJson });
  // The no-JavaScript form posts (sign-in included) and the feeds: outside /api, answered by this server rather than the pages.
  const articles = createRouter({ routes: articleRouteList, log, limit });
  const embedScript = createEmbedScriptHandler();
  const countScript = createCountScriptHandler();
  const countHub = createCountHub({ store: services.store, log, flushMs: deps.countFlushMs });
  const countStreams = createCountStreams({
    hub: countHub,
    embedOrigins: deps.edge?.embedOrigins ?? [],
    policy: edge.policy,
    opens: services.limiters.socketHandshakes,
    maxOpen: deps.maxSocketsPerAddress === undefined ? DEFAULT_MAX_SOCKETS_PER_ADDRESS : deps.maxSocketsPerAddress,
    log,
  });
  const admitEmbed = createEmbedGate({ services, embedOrigins: deps.edge?.embedOrigins ?? [], opening: deps.embed, log });
  const pageCacheMb = deps.pageHtmlCacheMb ?? 0;
  const pageCache =
    deps.pageHandler && pageCacheMb > 0
      ? createReaderPageCache({
          maxBytes: pageCacheMb * 1024 * 1024,
          freshMs: deps.pageFreshMs,
          threadSeq: async (slug) => {
            const thread = await services.store.findThreadRowBySlug(slug);
            return thread && !thread.hidden ? thread.seq : null;
          },
        })
      : undefined;
  // Every change committed on this node drops its thread's pages at once; other nodes' within PAGE_FRESH_MS.
  if (pageCache) {
    services.bus.subscribe(({ slug }) => pageCache.threadChanged(slug));
    services.deletions.subscribe(({ slug }) => pageCache.threadChanged(slug));
    services.badges.onChange(() => pageCache.everythingChanged());
  }
  const sharedPages = pageCache && deps.pageHandler ? createSharedPages({ cache: pageCache, pageHandler: deps.pageHandler, edge, admitEmbed, metrics, siteVariant: () => services.policy.knownPolicy() }) : undefined;
  let shuttingDown = false;
  let closing: Promise<{ forced: boolean }> | undefined;

  async function readiness(): Promise<ReadinessReport> {
    const [store, redis] = await Promise.all([
      check(services.store.ping()),
      deps.redis ? check(realtime.pingRedis()) : Promise.resolve<CheckResult>('not configured'),
    ]);
    return { ready: !shuttingDown && store === 'ok' && redis !== 'failed', shuttingDown, checks: { store, redis } };
  }
  const ops = { readiness, metrics, metricsToken: deps.metricsToken };

  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    trackRequest({ req, res, path, log, metrics });
    const probe = OPS_PATHS.has(path);
    // A feed is data, not a page: the API's headers (no page CSP nonce, no guest cookie).
    const feed = FEED_PATH.test(path);
    const kind = requestKind({ path, method: req.method, probe: probe || feed, pages: Boolean(deps.pageHandler) });
    const refused = edge.admit(req, res, kind);
    if (refused) return sendError(res, refused);
    if (isSignInPopupPage(path, req.url)) keepOpener(res);
    // The sign-in page opened as the embed's popup must keep its opener (the frame) to hand the sign-in back (docs/embed.md):
    // every response the popup navigates through (the form's redirect too) must leave it, or the browser severs it.
    if (path === SIGN_IN_PAGE || path.startsWith(`${SIGN_IN_PAGE}/`)) res.setHeader('cross-origin-opener-policy', 'unsafe-none');
    // An address no handler can read is a 400 here, not a 500 from deep inside one (server/http/badAddress.ts).
    if (!pathDecodes(path)) return sendBadAddress(req, res, kind);
    if (path === EMBED_SCRIPT_PATH) return embedScript(req, res);
    if (path === COUNT_SCRIPT_PATH) return countScript(req, res);
    if (path === COUNT_STREAM_PATH) return countStreams.handle(req, res);
    if (deps.islands && path.startsWith(ISLANDS_PATH)) return deps.islands.handle(req, res);
    if (probe) {
      return void handleOps(ops, req, res, path).catch((err: unknown) => {
        log.error(`${path} failed`, err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    }
    if (feed) return void articles(req, res);
    if (kind === 'api' || !deps.pageHandler) return void api(req, res);
    if (kind === 'form') return void articles(req, res);
    const pageFailed = (err: unknown) => {
      // The embed gate sent the frame to the imported thread its page's address names (server/embed/embedGate.ts).
      if (err instanceof EmbedMoved && !res.headersSent) return void res.writeHead(302, { location: err.location, 'cache-control': 'no-store' }).end();
      const error = toAppError(err);
      // A bad embed address is the reader's (or the host page's) mistake, not the server's.
      if (error.status >= 500) log.error(`page ${loggedUrl(req.url)} failed`, err);
      // The same JSON error with a stable code as the API's (503 when the database is down), never a stack.
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    };
    // The page everyone gets, from the cache: before anything of this reader's is read (docs/decisions.md, "A page from a shared cache").
    if (sharedPages) {
      const url = new URL(req.url ?? '/', 'http://page.invalid');
      const served = isShareableReaderRequest(req, url) && sharedPages(req, res, url, kind === 'embed');
      if (served) return void served.catch(pageFailed);
    }
    const pageHandler = deps.pageHandler;
    // A handler that throws before returning a promise is caught the same way.
    Promise.resolve()
      .then(async () => {
        // No cookie with a page: a reader page is the same for everyone, and a shared cache neither stores a response
        // that sets one nor should hand it on. The page's first read of the reader's own state gives a new reader theirs.
        if (kind === 'embed') await admitEmbed(req);
        edge.preparePage(req, res, { embed: kind === 'embed' });
        await pageHandler(req, res);
      })
      .catch(pageFailed);
  });
  // An idle connection stays open longer than a proxy keeps its pooled ones (nginx's upstream keepalive_timeout is
  // 60 s, deploy/nginx.conf.template): Node's 5 s default closes one just as the proxy, or any HTTP client with a
  // pool, sends the next request on it, and that request fails ("other side closed"; a POST is not retried).
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers' deadline to outlast the idle one it follows.
  httpServer.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;

  const realtime = createRealtime({
    httpServer,
    services,
    log,
    metrics,
    redis: deps.redis,
    syncIntervalMs: deps.syncIntervalMs,
    presenceFlushMs: deps.presenceFlushMs,
    origin: edge.policy,
    maxSocketsPerAddress: deps.maxSocketsPerAddress === undefined ? DEFAULT_MAX_SOCKETS_PER_ADDRESS : deps.maxSocketsPerAddress,
    protocolVersion: deps.protocolVersion,
  });
  const ioPath = `${realtime.io.path()}/`;
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith(ioPath)) return; // Socket.IO's own listener takes it.
    if (deps.upgradeHandler) void Promise.resolve(deps.upgradeHandler(req, socket, head)).catch(() => socket.destroy());
    else socket.destroy();
  });

  async function shutDown(options: CloseOptions): Promise<{ forced: boolean }> {
    shuttingDown = true;
    if (options.drainMs) await new Promise((resolve) => setTimeout(resolve, options.drainMs));
    let forced = false;
    httpServer.closeIdleConnections();
    const timer = setTimeout(() => {
      forced = true;
      log.warn('shutdown grace period over: cutting the connections still open');
      httpServer.closeAllConnections();
    }, options.graceMs ?? CLOSE_GRACE_MS);
    timer.unref();
    // A keep-alive connection whose last request finishes during the shutdown would otherwise stay open
    // until its keep-alive timeout: close each as soon as it is idle.
    const sweep = setInterval(() => httpServer.closeIdleConnections(), 50);
    // Live count streams never end by themselves: ended here, the browsers open them again elsewhere.
    countStreams.close();
    countHub.close();
    try {
      // Closing Socket.IO also closes the HTTP server it is attached to, which waits for the requests in flight.
      await realtime.close();
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
    return { forced };
  }

  return {
    httpServer,
    io: realtime.io,
    metrics,
    routes,

    listen({ port, host }) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },

    close(options = {}) {
      closing ??= shutDown(options);
      return closing;
    },
  };
}

/** Which handler a request goes to (RequestKind in server/http/edge.ts); without Next.js everything is the API's (404 outside it). */
function requestKind(request: { path: string; method: string | undefined; probe: boolean; pages: boolean }): RequestKind {
  const { path } = request;
  if (request.probe || path === '/api' || path.startsWith('/api/') || path === EMBED_SCRIPT_PATH || path === COUNT_SCRIPT_PATH || path.startsWith(ISLANDS_PATH) || !request.pages) return 'api';
  if (request.method === 'POST' && FORM_POST.test(path)) return 'form';
  // The link in a sign-in mail: answered by this server (a redirect), not by the pages.
  if (path === SIGN_IN_LINK_PATH) return 'form';
  return EMBED_PAGE.test(path) ? 'embed' : 'page';
}

async function check(probe: Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), READY_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe, timeout]);
    return 'ok';
  } catch {
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}
