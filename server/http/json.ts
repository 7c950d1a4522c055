import type { ServerResponse } from 'node:http';
import type { ErrorResponse } from '../../lib/contract/errors';
import type { AppError } from '../../lib/domain/errors';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    // Thread data changes live: never let a cache serve a stale copy.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: AppError, headers: Record<string, string> = {}): void {
  const body: ErrorResponse = { error: error.toBody() };
  // 429 and 503 say when to try again, in the header as well as the body.
  const retry: Record<string, string> = error.retryAfter !== undefined ? { 'retry-after': String(error.retryAfter) } : {};
  sendJson(res, error.status, body, { ...retry, ...headers });
}
