import { createHmac, timingSafeEqual } from 'node:crypto';
import { EMAIL_KINDS, type EmailKind } from '../../domain/notifications';

/**
 * The token of a mail's one-click unsubscribe (RFC 8058, docs/email.md): who and which kinds, signed
 * with a key derived from the session secret, so it works without signing in and cannot be made for
 * another person or another kind. It never expires: a mail read a year later still unsubscribes.
 * `<person id>.<kind>+<kind>.<signature>`.
 */
const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE_CHARS = 32;

export interface UnsubscribeGrant {
  userId: string;
  kinds: EmailKind[];
}

function keyOf(secret: string): Buffer {
  return createHmac('sha256', secret).update('threadline unsubscribe v1').digest();
}

function signatureOf(key: Buffer, userId: string, kinds: string): string {
  return createHmac('sha256', key).update(`${userId}\u0000${kinds}`).digest('base64url').slice(0, SIGNATURE_CHARS);
}

export interface UnsubscribeTokens {
  sign(grant: UnsubscribeGrant): string;
  /** The grant a token carries, or null for anything not signed by us (or naming no known kind). */
  verify(token: string | null | undefined): UnsubscribeGrant | null;
}

export function createUnsubscribeTokens(secret: string): UnsubscribeTokens {
  const key = keyOf(secret);
  return {
    sign({ userId, kinds }) {
      if (!PERSON_ID.test(userId)) throw new Error('an unsubscribe token names a person id of ours');
      const list = [...new Set(kinds)].sort().join('+');
      return `${userId}.${list}.${signatureOf(key, userId, list)}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 200) return null;
      const [userId, list, signature, ...rest] = token.split('.');
      if (rest.length > 0 || !userId || !list || !signature || !PERSON_ID.test(userId)) return null;
      const expected = Buffer.from(signatureOf(key, userId, list));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const kinds = list.split('+');
      if (kinds.length === 0 || !kinds.every((k): k is EmailKind => (EMAIL_KINDS as readonly string[]).includes(k))) return null;
      return { userId, kinds };
    },
  };
}
