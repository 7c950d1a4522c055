import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'threadline-signature';
export const EVENT_ID_HEADER = 'threadline-event-id';
export const EVENT_TYPE_HEADER = 'threadline-event-type';

/** How far a receiver should let a signature's time stray from its own clock (docs/api.md, "Webhooks"). */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 over `<t>.<raw body>`: the time is signed too, so an old request cannot be replayed as new. */
function signatureOf(options: { secret: string; timestamp: number; body: string }): string {
  return createHmac('sha256', options.secret).update(`${options.timestamp}.${options.body}`).digest('hex');
}

export function signatureHeader(options: { secret: string; timestamp: number; body: string }): string {
  return `t=${options.timestamp},v1=${signatureOf(options)}`;
}

/**
 * What a receiver does (and the tests do): check the HMAC in constant time and
 * that the timestamp is recent. `body` must be the raw bytes received, not re-serialised JSON.
 */
export function verifySignature(options: { secret: string; header: string | undefined; body: string; nowSeconds: number; toleranceSeconds?: number }): boolean {
  const parts = new Map((options.header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signatureOf({ secret: options.secret, timestamp, body: options.body }), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
