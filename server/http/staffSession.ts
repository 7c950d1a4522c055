import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookieName, readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { LoginRequestSchema } from '../../lib/contract/api';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from '../../lib/domain/deviceToken';
import { readCookie } from '../../lib/domain/guestToken';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import type { Reader } from '../../lib/services/threadService';
import { SESSION_TTL_MS } from '../../lib/services/authService';
import type { SessionUser, User } from '../../lib/store/accountStore';
import { appendSetCookie, expiredCookie, siteCookie } from './cookies';
import { isHttps } from './guestSession';
import { clientAddress } from './origin';

export { STAFF_COOKIE };

/** The session token of the request: the `__Host-` cookie's when sent, else the plain name's (plain HTTP, or a session from before the prefix). */
export function staffToken(req: IncomingMessage): string | undefined {
  return readOwnCookie(req.headers.cookie, STAFF_COOKIE).value;
}

/**
 * `__Host-tl_session` over HTTPS, `tl_session` over plain HTTP: the one session cookie of every
 * account, a commenter's as a moderator's. `framed`: opened inside the embed's cross-site frame,
 * so over HTTPS it is SameSite=None and Partitioned, as the guest cookie is there (guestSession.ts).
 */
export function staffCookie(token: string, req: IncomingMessage, options: { framed?: boolean } = {}): string {
  const secure = isHttps(req);
  return siteCookie(cookieName(STAFF_COOKIE, secure), token, Math.floor(SESSION_TTL_MS / 1000), staffCookieAttributes(secure, options.framed ?? false));
}

/**
 * Signing out ends the cookie under both names over HTTPS (a session from before the prefix too), and
 * the embed frame's partitioned one: a partitioned cookie is another cookie than an unpartitioned one of its name.
 */
export function clearStaffCookie(req: IncomingMessage): string[] {
  const secure = isHttps(req);
  const names = secure ? [cookieName(STAFF_COOKIE, true), STAFF_COOKIE] : [STAFF_COOKIE];
  const framed = secure ? [expiredCookie(cookieName(STAFF_COOKIE, true), staffCookieAttributes(true, true))] : [];
  return [...names.map((name) => expiredCookie(name, staffCookieAttributes(secure))), ...framed];
}

function staffCookieAttributes(secure: boolean, framed = false): string[] {
  const crossSite = secure && framed;
  return ['HttpOnly', crossSite ? 'SameSite=None' : 'SameSite=Lax', ...(secure ? ['Secure'] : []), ...(crossSite ? ['Partitioned'] : [])];
}

/**
 * The sign-ins, the only requests that read the device cookie (lib/domain/deviceToken.ts): the JSON
 * API's, and the form's (`POST /login`, without JavaScript). A cookie has one path, so it is set once for each.
 */
const SIGN_IN_PATHS = ['/api/auth/login', '/login'] as const;

export function deviceToken(req: IncomingMessage): string | undefined {
  return readCookie(req.headers.cookie, DEVICE_COOKIE);
}

/**
 * Sent to the sign-in request only, and never from another site's page (Strict): it proves a past
 * sign-in from this browser. Its narrow path rules out the `__Host-` prefix (which needs `Path=/`).
 */
export function deviceCookies(token: string, req: IncomingMessage): string[] {
  return SIGN_IN_PATHS.map((path) => {
    const attributes = [`${DEVICE_COOKIE}=${token}`, `Path=${path}`, `Max-Age=${DEVICE_COOKIE_MAX_AGE_S}`, 'HttpOnly', 'SameSite=Strict'];
    if (isHttps(req)) attributes.push('Secure');
    return attributes.join('; ');
  });
}

/**
 * Signs in with the credentials a client sent (the JSON API's body or the sign-in form's fields)
 * and sets the session cookie, and the device cookie that gives this browser's later sign-ins as
 * this account a lane of their own (docs/security.md, "Sign-in under attack").
 */
export async function signIn(services: Services, req: IncomingMessage, res: ServerResponse, credentials: unknown): Promise<User> {
  const { username, password } = parseOrThrow(LoginRequestSchema, credentials);
  const signedIn = await services.auth.login({ username, password, clientKey: clientAddress(req), deviceToken: deviceToken(req) });
  appendSetCookie(res, [staffCookie(signedIn.token, req), ...deviceCookies(signedIn.deviceToken, req)]);
  return signedIn.user;
}

/**
 * The request's reader as a hidden thread sees it (lib/services/threadService.ts, Reader): staff
 * when the request carries a live staff session, checked only if the thread is hidden.
 */
export function readerOf(services: Services, req: IncomingMessage): Reader {
  return { seesHidden: async () => (await services.auth.authenticate(staffToken(req))) !== null };
}

/**
 * The signed-in moderator or admin, checked against the store on every
 * request (so a revoked session has no rights from that moment, on any node).
 */
export async function requireStaff(services: Services, req: IncomingMessage, role: User['role'] = 'moderator'): Promise<SessionUser> {
  const session = await services.auth.authenticate(staffToken(req));
  if (!session) throw new AppError('not_signed_in');
  if (role === 'admin' && session.user.role !== 'admin') throw new AppError('forbidden', { message: 'Only admins can do this.' });
  return session;
}
