import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a browser carries between starting an OpenID Connect sign-in and coming back from the
 * provider: the checks that tie the provider's answer to this browser's own request (state, nonce,
 * PKCE verifier), where to go afterwards, and whether it runs in a popup. Signed with the session
 * secret and kept in a short-lived httpOnly cookie, so nothing is stored and another browser's
 * callback (a link forced on a victim: login CSRF) finds no matching state.
 */
export interface OidcFlow {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A safe path on this site (lib/domain/nextPath.ts). */
  next: string;
  popup: boolean;
  /** Milliseconds since the epoch: a flow left this long is abandoned. */
  expiresAt: number;
}

/** Long enough to sign in at a provider (a password, a second factor), short enough that a stray cookie dies soon. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`oidc-flow:${payload}`).digest('base64url');
}

export function sealOidcFlow(flow: OidcFlow, secret: string): string {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The flow when the value is genuine, well-formed and not expired; else null. */
export function openOidcFlow(value: string | undefined, secret: string, now: number): OidcFlow | null {
  if (!value || value.length > 4096) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(payload, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let flow: unknown;
  try {
    flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isFlow(flow) || flow.expiresAt <= now) return null;
  return flow;
}

function isFlow(value: unknown): value is OidcFlow {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['provider', 'state', 'nonce', 'codeVerifier', 'next'].every((key) => typeof v[key] === 'string') &&
    typeof v.popup === 'boolean' &&
    typeof v.expiresAt === 'number'
  );
}
