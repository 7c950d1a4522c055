import type { IncomingMessage } from 'node:http';
import { consumeOrThrow, type RateLimiter } from '../../lib/services/rateLimiter';
import { clientAddress } from './origin';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every state-changing request counts against its address's budget (RATE_LIMIT_HTTP_WRITES); reads are not limited here. */
export function limitWrites(limiter: RateLimiter): (req: IncomingMessage) => Promise<void> {
  return async (req) => {
    if (!WRITES.has(req.method ?? '')) return;
    await consumeOrThrow(limiter, `http:${clientAddress(req)}`, 'Too many requests from your network address. Please wait a moment.');
  };
}
