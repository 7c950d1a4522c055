import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Services } from '../lib/services';
import { apiRoutes } from './http/apiRoutes';
import { staffRoutes } from './http/staffRoutes';
import { formRoutes } from './http/formRoutes';
import { ensureGuest } from './http/guestSession';
import { createRouter } from './http/router';
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
}

export interface App {
  httpServer: http.Server;
  io: IoServer;
  /** Listens on `port` (0 picks a free one) and resolves with the address bound. */
  listen(options: { port: number; host?: string | undefined }): Promise<{ port: number; host: string }>;
  /** Stops taking connections, closes sockets and waits for requests in flight. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 5000;
const FORM_POST = /^\/articles\/[^/]+\/comments\/?$/;

export function createApp(deps: AppDeps): App {
  const log = deps.log ?? consoleLogger;
  const guard = limitWrites(deps.services.limiters.httpWrites);
  const api = createRouter({ routes: [...apiRoutes(deps.services), ...staffRoutes(deps.services)], log, guard });
  const forms = createRouter({ routes: formRoutes(deps.services), log, guard });

  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/') || !deps.pageHandler) return void api(req, res);
    if (req.method === 'POST' && FORM_POST.test(path)) return void forms(req, res);
    // A reader gets a guest identity with the article page, so the first comment (and the socket) already carry it.
    if (req.method === 'GET' && path.startsWith('/articles/')) ensureGuest(req, res, deps.services.sessionSecret);
    Promise.resolve(deps.pageHandler(req, res)).catch((err: unknown) => {
      log.error(`page ${req.url} failed`, err);
      // The same JSON error with a stable code as the API's (503 when the database is down), never a stack.
      if (!res.headersSent) sendError(res, toAppError(err));
      else res.destroy();
    });
  });

  const realtime = createRealtime({
    httpServer,
    services: deps.services,
    log,
    redis: deps.redis,
    syncIntervalMs: deps.syncIntervalMs,
    presenceFlushMs: deps.presenceFlushMs,
  });
  const ioPath = `${realtime.io.path()}/`;
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith(ioPath)) return; // Socket.IO's own listener takes it.
    if (deps.upgradeHandler) void Promise.resolve(deps.upgradeHandler(req, socket, head)).catch(() => socket.destroy());
    else socket.destroy();
  });

  return {
    httpServer,
    io: realtime.io,

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

    async close() {
      httpServer.closeIdleConnections();
      const timer = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
      timer.unref();
      // Closing Socket.IO also closes the HTTP server it is attached to.
      await realtime.close();
      clearTimeout(timer);
    },
  };
}
