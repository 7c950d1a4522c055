import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Services } from '../lib/services';
import { apiRoutes } from './http/apiRoutes';
import { staffRoutes } from './http/staffRoutes';
import { formRoutes } from './http/formRoutes';
import { ensureGuest } from './http/guestSession';
import { createRouter } from './http/router';
import { handleOps, OPS_PATHS, type CheckResult, type ReadinessReport } from './http/opsRoutes';
import { trackRequest } from './http/requestLog';
import { instrumentServices } from './metrics/instrumentServices';
import { createMetrics, type Metrics } from './metrics/metrics';
import { createEdge, type EdgeOptions } from './http/edge';
import { sendError } from './http/json';
import { toAppError } from '../lib/domain/errors';
import { limitWrites } from './http/writeLimit';
import { consoleLogger, type Logger } from './log';
import { createRealtime, type RealtimeOptions } from './realtime/createIo';
import type { IoServer } from './realtime/types';

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;

export interface AppDeps {
  services: Services;
  /** Serves everything outside /api (Next.js in production); without it those paths are 404. */
  pageHandler?: PageHandler;
  /** WebSocket upgrades outside Socket.IO's path (Next.js's dev reload); without it they are refused. */
  upgradeHandler?: UpgradeHandler;
  log?: Logger;
  /** Unset: a single node. */
  redis?: RealtimeOptions['redis'];
  syncIntervalMs?: number;
  presenceFlushMs?: number;
  /** ALLOWED_ORIGINS, TRUST_PROXY and dev mode (docs/security.md); unset: only the app's own origin, no proxy. */
  edge?: EdgeOptions;
  /** This app's metrics; a fresh registry when unset. */
  metrics?: Metrics;
  /** Unset: GET /metrics is off (404). Set: it needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
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
const FORM_POST = /^\/articles\/[^/]+\/comments(?:\/[^/]+\/like)?\/?$/;

export function createApp(deps: AppDeps): App {
  const log = deps.log ?? consoleLogger;
  const metrics = deps.metrics ?? createMetrics();
  const services = instrumentServices(deps.services, metrics);
  const edge = createEdge({ ...deps.edge, log });
  const limit = limitWrites(services.limiters.httpWrites);
  const api = createRouter({ routes: [...apiRoutes(services), ...staffRoutes(services)], log, limit, guard: edge.requireJson });
  const forms = createRouter({ routes: formRoutes(services), log, limit });
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
    const kind = probe || path === '/api' || path.startsWith('/api/') || !deps.pageHandler ? 'api' : req.method === 'POST' && FORM_POST.test(path) ? 'form' : 'page';
    const refused = edge.admit(req, res, kind);
    if (refused) return sendError(res, refused);
    if (probe) {
      return void handleOps(ops, req, res, path).catch((err: unknown) => {
        log.error(`${path} failed`, err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    }
    if (kind === 'api' || !deps.pageHandler) return void api(req, res);
    if (kind === 'form') return void forms(req, res);
    // A reader gets a guest identity with the article page, so the first comment (and the socket) already carry it.
    const guestId = req.method === 'GET' && path.startsWith('/articles/') ? ensureGuest(req, res, services.sessionSecret) : null;
    edge.preparePage(req, res, guestId);
    const pageHandler = deps.pageHandler;
    // A handler that throws before returning a promise is caught the same way.
    Promise.resolve()
      .then(() => pageHandler(req, res))
      .catch((err: unknown) => {
        log.error(`page ${req.url} failed`, err);
        // The same JSON error with a stable code as the API's (503 when the database is down), never a stack.
        if (!res.headersSent) sendError(res, toAppError(err));
        else res.destroy();
      });
  });

  const realtime = createRealtime({
    httpServer,
    services,
    log,
    metrics,
    redis: deps.redis,
    syncIntervalMs: deps.syncIntervalMs,
    presenceFlushMs: deps.presenceFlushMs,
    origin: edge.policy,
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
