import { randomUUID } from 'node:crypto';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { formToken, GUEST_COOKIE, GUEST_ID_HEADER, verifyGuestToken } from '../../lib/domain/guestToken';
import { getServices } from '../../lib/services/registry';
import type { User } from '../../lib/store/accountStore';

/**
 * Who is asking, from a request's headers. Free of Next.js's request APIs: the app router's pages
 * pass `headers()` (./viewer.ts), the reader pages (app/readerPages, a pages route) the request's own.
 */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The reader's guest id, so the page can mark their own comments: the one the
 * custom server vouches for (freshly minted on a first visit, whose cookie the
 * browser does not have yet), else the signed session cookie's.
 */
export function guestIdOf(request: HeaderReader): string | null {
  const fromServer = request.get(GUEST_ID_HEADER);
  if (fromServer) return fromServer;
  return verifyGuestToken(readOwnCookie(request.get('cookie'), GUEST_COOKIE).value, getServices().sessionSecret);
}

/** The signed-in moderator or admin, checked against the store (a revoked session is nobody). */
export async function staffOf(request: HeaderReader): Promise<User | null> {
  // The server's own rule (lib/domain/cookieNames.ts): the __Host- cookie wins over a plain one a sibling host planted.
  const token = readOwnCookie(request.get('cookie'), STAFF_COOKIE).value;
  return (await getServices().auth.authenticate(token))?.user ?? null;
}

/** The no-JavaScript comment form's anti-forgery token for this reader (empty without a guest: such a post is refused). */
export function formTokenOf(request: HeaderReader): string {
  const guestId = guestIdOf(request);
  return guestId ? formToken(guestId, getServices().sessionSecret) : '';
}

/** A query parameter's first value (`?a=1&a=2` is `1`). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A fresh seed per page view for the comment boxes' idempotency keys. */
export function clientIdSeed(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}
