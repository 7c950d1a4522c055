import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from '../../lib/domain/deviceToken';
import { readCookie } from '../../lib/domain/guestToken';
import { AppError } from '../../lib/domain/errors';
import type { Services } from '../../lib/services';
import { SESSION_TTL_MS } from '../../lib/services/authService';
import type { SessionUser, User } from '../../lib/store/accountStore';
import { isHttps } from './guestSession';

/** The moderator's session cookie: an opaque token whose hash names a server-side, revocable session. */
export const STAFF_COOKIE = 'tl_session';

export function staffToken(req: IncomingMessage): string | undefined {
  return readCookie(req.headers.cookie, STAFF_COOKIE);
}

export function staffCookie(token: string, req: IncomingMessage): string {
  const attributes = [`${STAFF_COOKIE}=${token}`, 'Path=/', `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`, 'HttpOnly', 'SameSite=Lax'];
  if (isHttps(req)) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearStaffCookie(req: IncomingMessage): string {
  return [`${STAFF_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(isHttps(req) ? ['Secure'] : [])].join('; ');
}

/** The path of the only request that reads the device cookie (lib/domain/deviceToken.ts). */
const SIGN_IN_PATH = '/api/auth/login';

export function deviceToken(req: IncomingMessage): string | undefined {
  return readCookie(req.headers.cookie, DEVICE_COOKIE);
}

/** Sent to the sign-in request only, and never from another site's page (Strict): it proves a past sign-in from this browser. */
export function deviceCookie(token: string, req: IncomingMessage): string {
  const attributes = [`${DEVICE_COOKIE}=${token}`, `Path=${SIGN_IN_PATH}`, `Max-Age=${DEVICE_COOKIE_MAX_AGE_S}`, 'HttpOnly', 'SameSite=Strict'];
  if (isHttps(req)) attributes.push('Secure');
  return attributes.join('; ');
}

export function setCookie(res: ServerResponse, cookie: string): void {
  const current = res.getHeader('set-cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  res.setHeader('set-cookie', [...list, cookie]);
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
