import type { IncomingMessage, ServerResponse } from 'node:http';
import { servedOverHttps } from './origin';
import { cookieName, readOwnCookie } from '../../lib/domain/cookieNames';
import { GUEST_COOKIE, GUEST_COOKIE_MAX_AGE_S, newGuestId, signGuestToken, verifyGuestToken } from '../../lib/domain/guestToken';
import { appendSetCookie, expiredCookie, siteCookie } from './cookies';

/** The guest named by the request's signed session cookie (the `__Host-` one when sent), if it is genuine. */
export function guestFromRequest(req: IncomingMessage, secret: string): string | null {
  return verifyGuestToken(readOwnCookie(req.headers.cookie, GUEST_COOKIE).value, secret);
}

/**
 * `__Host-tl_guest` over HTTPS (no other host can plant or replace it), `tl_guest` over plain HTTP.
 * httpOnly (scripts cannot read it) and SameSite=Lax (not sent on cross-site posts).
 * `framed` (the embed's pages, framed by another site): over HTTPS, SameSite=None,
 * which a browser needs before it sends a cookie inside a cross-site frame, and
 * Partitioned (CHIPS), so the cookie is kept per host site and works where
 * third-party cookies are blocked; over plain HTTP, SameSite=None is refused
 * without Secure, so Lax it stays (docs/decisions.md, "The embed's guest cookie").
 */
export function guestCookie(guestId: string, secret: string, options: { secure: boolean; framed?: boolean }): string {
  return siteCookie(cookieName(GUEST_COOKIE, options.secure), signGuestToken(guestId, secret), GUEST_COOKIE_MAX_AGE_S, guestCookieAttributes(options));
}

function guestCookieAttributes(options: { secure: boolean; framed?: boolean }): string[] {
  const crossSite = options.secure && options.framed;
  return ['HttpOnly', crossSite ? 'SameSite=None' : 'SameSite=Lax', ...(options.secure ? ['Secure'] : []), ...(crossSite ? ['Partitioned'] : [])];
}

/** Decides cookies' `Secure`: a TLS socket, or with TRUST_PROXY the proxy's word (server/http/origin.ts). */
export function isHttps(req: IncomingMessage): boolean {
  return servedOverHttps(req);
}

/**
 * The request's guest; a new one (with its cookie on the response) when it has none. A guest known
 * by a plain-named cookie over HTTPS (one set before the `__Host-` prefix) keeps its identity and is
 * moved to the prefixed name, the old cookie expired. `framed`: see guestCookie.
 */
export function ensureGuest(req: IncomingMessage, res: ServerResponse, secret: string, options: { framed?: boolean } = {}): string {
  const sent = readOwnCookie(req.headers.cookie, GUEST_COOKIE);
  const cookie = { secure: isHttps(req), framed: options.framed ?? false };
  const existing = verifyGuestToken(sent.value, secret);
  if (existing && !(sent.plain && cookie.secure)) return existing;
  const guestId = existing ?? newGuestId();
  appendSetCookie(res, guestCookie(guestId, secret, cookie));
  if (existing) appendSetCookie(res, expiredCookie(GUEST_COOKIE, guestCookieAttributes(cookie)));
  return guestId;
}

/** Ends the guest cookie (both names over HTTPS): what it named now belongs to an account (POST /api/me/claim-guest). */
export function forgetGuestCookies(req: IncomingMessage): string[] {
  const secure = isHttps(req);
  const names = secure ? [cookieName(GUEST_COOKIE, true), GUEST_COOKIE] : [GUEST_COOKIE];
  return names.map((name) => expiredCookie(name, guestCookieAttributes({ secure })));
}
