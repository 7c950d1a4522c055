import { readCookie } from './guestToken';

/** The moderator's session cookie: an opaque token whose hash names a server-side, revocable session. */
export const STAFF_COOKIE = 'tl_session';

/**
 * Browsers accept a cookie named `__Host-…` only when it is `Secure`, has `Path=/` and no `Domain`,
 * and comes from this very host: no other host, a sibling subdomain included, can set or replace
 * one. It needs HTTPS, so over plain HTTP our cookies keep their plain names.
 */
export const HOST_PREFIX = '__Host-';

/** The name one of our cookies is set under: `__Host-` prefixed when it can be `Secure`. */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `${HOST_PREFIX}${name}` : name;
}

/**
 * One of our cookies as a request carries it. The `__Host-` one wins whenever it is sent at all, so
 * a plain-named cookie planted by a sibling subdomain never replaces it. Without it, the plain name is
 * read (`plain`): what plain HTTP uses, and what cookies set before the prefix carry, so readers and
 * moderators keep their identity across the upgrade (docs/security.md, "Cookies").
 */
export function readOwnCookie(header: string | undefined | null, name: string): { value: string | undefined; plain: boolean } {
  const prefixed = readCookie(header ?? undefined, `${HOST_PREFIX}${name}`);
  if (prefixed !== undefined) return { value: prefixed, plain: false };
  const value = readCookie(header ?? undefined, name);
  return { value, plain: value !== undefined };
}
