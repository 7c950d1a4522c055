import { createHmac, timingSafeEqual } from 'node:crypto';
import { newId } from './ids';

/**
 * A guest's identity is a random id carried in a signed cookie
 * (`<id>.<HMAC-SHA256>`): the server can trust it came from itself without
 * storing anything.
 */
export const GUEST_COOKIE = 'tl_guest';
export const GUEST_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

function mac(guestId: string, secret: string): string {
  return createHmac('sha256', secret).update(`guest:${guestId}`).digest('base64url');
}

export function newGuestId(): string {
  return newId();
}

export function signGuestToken(guestId: string, secret: string): string {
  return `${guestId}.${mac(guestId, secret)}`;
}

/** The guest id when the token is genuine, else null. */
export function verifyGuestToken(token: string | undefined | null, secret: string): string | null {
  if (!token) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const guestId = token.slice(0, dot);
  if (!/^[a-z0-9]{1,32}$/.test(guestId)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(guestId, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? guestId : null;
}

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
