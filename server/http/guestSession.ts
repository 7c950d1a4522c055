import type { IncomingMessage, ServerResponse } from 'node:http';
import { servedOverHttps } from './origin';
import { GUEST_COOKIE, GUEST_COOKIE_MAX_AGE_S, newGuestId, readCookie, signGuestToken, verifyGuestToken } from '../../lib/domain/guestToken';

/** The guest named by the request's signed session cookie, if it is genuine. */
export function guestFromRequest(req: IncomingMessage, secret: string): string | null {
  return verifyGuestToken(readCookie(req.headers.cookie, GUEST_COOKIE), secret);
}

/**
 * httpOnly (scripts cannot read it) and SameSite=Lax (not sent on cross-site posts).
 * `framed` (the embed's pages, framed by another site): over HTTPS, SameSite=None,
 * which a browser needs before it sends a cookie inside a cross-site frame, and
 * Partitioned (CHIPS), so the cookie is kept per host site and works where
 * third-party cookies are blocked; over plain HTTP, SameSite=None is refused
 * without Secure, so Lax it stays (docs/decisions.md, "The embed's guest cookie").
 */
export function guestCookie(guestId: string, secret: string, options: { secure: boolean; framed?: boolean }): string {
  const crossSite = options.secure && options.framed;
  const attributes = [`${GUEST_COOKIE}=${signGuestToken(guestId, secret)}`, 'Path=/', `Max-Age=${GUEST_COOKIE_MAX_AGE_S}`, 'HttpOnly', crossSite ? 'SameSite=None' : 'SameSite=Lax'];
  if (options.secure) attributes.push('Secure');
  if (crossSite) attributes.push('Partitioned');
  return attributes.join('; ');
}

/** Decides cookies' `Secure`: a TLS socket, or with TRUST_PROXY the proxy's word (server/http/origin.ts). */
export function isHttps(req: IncomingMessage): boolean {
  return servedOverHttps(req);
}

/** The request's guest; a new one (with its cookie on the response) when it has none. `framed`: see guestCookie. */
export function ensureGuest(req: IncomingMessage, res: ServerResponse, secret: string, options: { framed?: boolean } = {}): string {
  const existing = guestFromRequest(req, secret);
  if (existing) return existing;
  const guestId = newGuestId();
  appendSetCookie(res, guestCookie(guestId, secret, { secure: isHttps(req), framed: options.framed ?? false }));
  return guestId;
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const current = res.getHeader('set-cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  res.setHeader('set-cookie', [...list, cookie]);
}
