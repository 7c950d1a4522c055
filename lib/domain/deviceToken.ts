import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A browser that has signed in as an account keeps a token that says so:
 * `<id>.<HMAC-SHA256 of the username and id>`, under the session secret. Its
 * later sign-ins as that account get a lane of their own (docs/security.md,
 * "Sign-in under attack"): a stranger's flood or failures cannot starve or lock
 * it out. It proves a past sign-in, never an identity: the password is checked
 * as always.
 */
export const DEVICE_COOKIE = 'tl_device';
export const DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

function mac(username: string, deviceId: string, secret: string): string {
  // A label of its own, so that neither a guest cookie nor a form token can stand for it.
  return createHmac('sha256', secret).update(`device:${username}:${deviceId}`).digest('base64url');
}

export function signDeviceToken(username: string, secret: string, deviceId = randomBytes(12).toString('base64url')): string {
  return `${deviceId}.${mac(username, deviceId, secret)}`;
}

/** The device id when the token is genuine and was given to a sign-in as `username`, else null. */
export function verifyDeviceToken(token: string | undefined | null, username: string, secret: string): string | null {
  if (!token) return null;
  const dot = token.indexOf('.');
  const deviceId = token.slice(0, Math.max(0, dot));
  if (!/^[A-Za-z0-9_-]{16}$/.test(deviceId)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(username, deviceId, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
}
