import type { IncomingMessage } from 'node:http';
import { AppError } from '../../lib/domain/errors';

/** Far above any valid comment (5,000 characters, up to 4 bytes each), far below harm. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Fatal: a byte that is not UTF-8 is refused, not silently turned into U+FFFD (docs/security.md). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NOT_UTF8 = 'The request body is not valid UTF-8.';

async function readRaw(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new AppError('payload_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError('payload_too_large');
    chunks.push(chunk);
  }
  try {
    return UTF8.decode(Buffer.concat(chunks));
  } catch {
    throw new AppError(req.headers['content-type']?.includes('json') ? 'invalid_json' : 'invalid_request', { message: NOT_UTF8 });
  }
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The JSON body of a request; anything but `application/json` is refused. */
export async function readJsonBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<unknown> {
  if (mediaType(req) !== 'application/json') throw new AppError('unsupported_media_type');
  const text = await readRaw(req, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json');
  }
}

/** The fields of an HTML form post (`application/x-www-form-urlencoded`). */
export async function readFormBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Record<string, string>> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') throw new AppError('unsupported_media_type');
  return Object.fromEntries(new URLSearchParams(await readRaw(req, limit)));
}
