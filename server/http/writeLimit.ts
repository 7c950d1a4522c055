import type { IncomingMessage } from 'node:http';
import { consumeOrThrow, type RateLimiter } from '../../lib/services/rateLimiter';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The address a request came from. Behind a reverse proxy this is the
 * proxy's, for every reader: the per-address limits must then be raised or
 * the proxy must limit per client itself (README, RATE_LIMIT_HTTP_WRITES).
 */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Every state-changing request counts against its address's budget (RATE_LIMIT_HTTP_WRITES); reads are not limited here. */
export function limitWrites(limiter: RateLimiter): (req: IncomingMessage) => Promise<void> {
  return async (req) => {
    if (!WRITES.has(req.method ?? '')) return;
    await consumeOrThrow(limiter, `http:${clientAddress(req)}`, 'Too many requests from your network address. Please wait a moment.');
  };
}
