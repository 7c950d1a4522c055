import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookieName, readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { LoginRequestSchema } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
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

/** `__Host-tl_session` over HTTPS, `tl_session` over plain HTTP. */
export function staffCookie(token: string, req: IncomingMessage): string {
  const secure = isHttps(req);
  return siteCookie(cookieName(STAFF_COOKIE, secure), token, Math.floor(SESSION_TTL_MS / 1000), staffCookieAttributes(secure));
}

/** Signing out ends the cookie under both names over HTTPS: a session from before the prefix too. */
export function clearStaffCookie(req: IncomingMessage): string[] {
  const secure = isHttps(req);
  const names = secure ? [cookieName(STAFF_COOKIE, true), STAFF_COOKIE] : [STAFF_COOKIE];
  return names.map((name) => expiredCookie(name, staffCookieAttributes(secure)));
}

function staffCookieAttributes(secure: boolean): string[] {
  return ['HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])];
}

export const setCookie: (res: ServerResponse, cookies: string | readonly string[]) => void = appendSetCookie;

/** Signs in with the credentials a client sent (the JSON API's body or the sign-in form's fields) and sets the session cookie. */
export async function signIn(services: Services, req: IncomingMessage, res: ServerResponse, credentials: unknown): Promise<User> {
  const { username, password } = parseOrThrow(LoginRequestSchema, credentials);
  const { token, user } = await services.auth.login({ username, password, clientKey: clientAddress(req) });
  setCookie(res, staffCookie(token, req));
  return user;
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
