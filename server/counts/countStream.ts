import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCountRequest } from '../../lib/domain/countRequest';
import { AppError, toAppError } from '../../lib/domain/errors';
import type { CountChanges } from '../../lib/services/countBoard';
import { rateLimited, type RateLimiter } from '../../lib/services/rateLimiter';
import { sendError } from '../http/json';
import type { OriginPolicy } from '../http/origin';
import type { Logger } from '../log';
import type { CountHub } from './countHub';
import { admitCountOrigin } from './countOrigin';

export const COUNT_STREAM_PATH = '/api/counts/live';

/** A comment line this often keeps proxies and the browser from taking a quiet stream for a dead one. */
const HEARTBEAT_MS = 25_000;
/** How long the browser waits before it opens the stream again after it ended (a node stopping). */
const RETRY_MS = 3000;

export interface CountStreamDeps {
  hub: CountHub;
  embedOrigins: readonly string[];
  policy: Pick<OriginPolicy, 'ownOrigin' | 'clientAddress'>;
  /** New streams per client address: the budget of Socket.IO's handshakes (RATE_LIMIT_SOCKET_HANDSHAKES). */
  opens: RateLimiter;
  /** Streams open at once per client address on this node (MAX_SOCKETS_PER_ADDRESS); null: no cap. */
  maxOpen: number | null;
  log: Logger;
}

export interface CountStreams {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every stream (the browsers open them again, on another node behind a balancer). */
  close(): void;
}

/**
 * `GET /api/counts/live?slugs=a,b,c`: one Server-Sent Events stream per front page, whatever its
 * number of links (docs/api.md, "Comment counts"). The first message holds every count, each later
 * one only the counts that changed (server/counts/countHub.ts): `event: counts`, `data: {"slug": 12}`.
 */
export function createCountStreams(deps: CountStreamDeps): CountStreams {
  const open = new Set<ServerResponse>();
  const openPerAddress = new Map<string, number>();

  async function start(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      throw new AppError('method_not_allowed');
    }
    admitCountOrigin(req, res, { embedOrigins: deps.embedOrigins, policy: deps.policy });
    const request = parseCountRequest(new URL(req.url ?? '/', 'http://counts.invalid').searchParams, { urls: false });
    const address = deps.policy.clientAddress(req);
    if (deps.maxOpen !== null && (openPerAddress.get(address) ?? 0) >= deps.maxOpen) throw new AppError('too_many_connections', { retryAfter: 60 });
    const budget = await deps.opens.consume(address);
    if (!budget.allowed) throw rateLimited(budget.retryAfterMs);

    let ended = false;
    const write = (changes: CountChanges) => {
      if (!ended) res.write(`event: counts\ndata: ${JSON.stringify(changes)}\n\n`);
    };
    const watching = await deps.hub.watch(request.slugs, write);
    if (req.destroyed) return watching.stop();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx passes each message on at once instead of buffering the stream.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    write(watching.snapshot);
    open.add(res);
    openPerAddress.set(address, (openPerAddress.get(address) ?? 0) + 1);
    const heartbeat = setInterval(() => res.write(': \n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      ended = true;
      clearInterval(heartbeat);
      watching.stop();
      open.delete(res);
      const left = (openPerAddress.get(address) ?? 1) - 1;
      if (left > 0) openPerAddress.set(address, left);
      else openPerAddress.delete(address);
    });
  }

  return {
    handle(req, res) {
      start(req, res).catch((err: unknown) => {
        const error = toAppError(err);
        if (error.status >= 500) deps.log.error(`count stream failed: ${error.detail ?? error.message}`);
        if (!res.headersSent) sendError(res, error);
        else res.destroy();
      });
    },
    close() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}
