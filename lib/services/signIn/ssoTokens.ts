import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import { NAME_RULES, SSO_TOKEN_MAX } from '../../contract/limits';
import { brokenTextRule, hasForbiddenControl, normalizeName } from '../../contract/text';
import { z } from '../../contract/zod';
import { STDERR_LOG, type ErrorLog } from '../../domain/errorLog';
import { AppError } from '../../domain/errors';
import { BADGES, type Badge, type ProvenIdentity } from '../../domain/identity';
import type { SsoTokenStore } from '../../store/ssoTokenStore';

/**
 * The newsroom's own login (docs/security.md, "The site's sign-in token"): the host site signs a
 * short-lived JWT for its signed-in user, the page hands it over, and this checks it. HS256 with a
 * shared secret (SSO_SECRET), RS256 or ES256 with the host's published key set (SSO_JWKS_URL).
 */
export interface SsoSettings {
  /** SSO_SECRET: HS256 tokens are checked with it (its UTF-8 bytes). */
  secret?: string | undefined;
  /** SSO_JWKS_URL: RS256 and ES256 tokens are checked with the key its `kid` names there. */
  jwksUrl?: string | undefined;
  /** SSO_ISSUER: the `iss` every token must carry. */
  issuer?: string | undefined;
  /** SSO_AUDIENCE: an `aud` every token must carry. */
  audience?: string | undefined;
  /** How long after a fetch an unknown `kid` may not fetch the key set again (the host's server is spared); 30 s by default. Tests set 0. */
  jwksCooldownMs?: number;
}

/** The longest a token may live (`exp - iat`): it is made for one page view, and can be copied from that page. */
export const SSO_MAX_LIFETIME_S = 600;
/** The clock difference allowed between the host's servers and this one. */
export const SSO_CLOCK_TOLERANCE_S = 30;
const CLAIM_MAX = 255;
const EMAIL_MAX = 254;

/** The algorithms each kind of key checks; any other `alg` (`none` above all) is refused. */
const SECRET_ALGS = ['HS256'] as const;
const KEY_SET_ALGS = ['RS256', 'ES256'] as const;
/** Rows of used tokens are swept at most this often (each node), started by a sign-in. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Why a token was refused, as the API tells it (`fields.token`, docs/api.md): stable words a host
 * can act on. Never the token itself.
 */
export type SsoRefusal =
  | 'malformed'
  | 'unsigned'
  | 'wrong_alg'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'too_long_lived'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'replayed'
  | `missing_claim:${string}`
  | `bad_claim:${string}`;

export interface SsoTokens {
  /** Checks a token and takes its `jti` (once, on every node): who the host says is signed in. Refused: AppError `sso_token_invalid`. */
  verify(token: string): Promise<ProvenIdentity>;
}

export function refused(reason: SsoRefusal, detail?: string): AppError {
  return new AppError('sso_token_invalid', {
    message: `The site's sign-in token was refused (${reason}).`,
    fields: { token: [reason] },
    ...(detail !== undefined && { detail: `sso token refused (${reason}): ${detail}` }),
  });
}

const BadgesSchema = z.array(z.enum(BADGES)).max(BADGES.length);
const EmailSchema = z.email().max(EMAIL_MAX);

/** Null when SSO is off (neither SSO_SECRET nor SSO_JWKS_URL): `POST /api/auth/sso` then answers `sign_in_method_off`. */
export function createSsoTokens(deps: { settings: SsoSettings; store: SsoTokenStore; now?: () => number; log?: ErrorLog }): SsoTokens | null {
  const { settings, store } = deps;
  if (!settings.secret && !settings.jwksUrl) return null;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? STDERR_LOG;
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : null;
  const keySet = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: settings.jwksCooldownMs ?? 30_000 }) : null;
  const allowed: string[] = [...(secret ? SECRET_ALGS : []), ...(keySet ? KEY_SET_ALGS : [])];
  let lastSweep = 0;

  function keyFor(header: ProtectedHeaderParameters): Uint8Array | JWTVerifyGetKey {
    if (header.alg === 'HS256' && secret) return secret;
    if (keySet) return keySet;
    throw refused('wrong_alg', `alg ${String(header.alg)} while only ${allowed.join(', ')} is configured`);
  }

  function sweepSoon(at: number): void {
    if (at - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = at;
    store.sweep({ before: new Date(at).toISOString() }).catch((err: unknown) => log.error('sso: dropping used tokens failed (tried again in a minute)', err));
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > SSO_TOKEN_MAX) throw refused('malformed', `a token of ${String(token).length} characters`);
      let header: ProtectedHeaderParameters;
      try {
        header = decodeProtectedHeader(token);
      } catch (err) {
        throw refused('malformed', (err as Error).message);
      }
      if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') throw refused('unsigned', 'alg none: a token must be signed');
      if (!allowed.includes(header.alg)) throw refused('wrong_alg', `alg ${header.alg}; accepted here: ${allowed.join(', ')}`);
      const at = now();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keyFor(header) as JWTVerifyGetKey, {
          algorithms: [header.alg],
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          maxTokenAge: SSO_MAX_LIFETIME_S,
          clockTolerance: SSO_CLOCK_TOLERANCE_S,
          currentDate: new Date(at),
          ...(settings.issuer !== undefined && { issuer: settings.issuer }),
          ...(settings.audience !== undefined && { audience: settings.audience }),
        }));
      } catch (err) {
        throw refusalOf(err);
      }
      const identity = identityOf(payload);
      const exp = payload.exp!;
      if (exp - payload.iat! > SSO_MAX_LIFETIME_S) throw refused('too_long_lived', `lives ${exp - payload.iat!} s, at most ${SSO_MAX_LIFETIME_S} s`);
      sweepSoon(at);
      const jti = payload.jti!;
      const jtiHash = createHash('sha256').update(`${payload.iss ?? ''}\u0000${jti}`).digest('hex');
      // Kept past `exp` by the tolerance: until then the token would still pass every other check.
      const taken = await store.claim({ jtiHash, expiresAt: new Date((exp + SSO_CLOCK_TOLERANCE_S) * 1000).toISOString() });
      if (!taken) throw refused('replayed', 'its jti was used before');
      return identity;
    },
  };
}

/** The person the claims name, or the first claim at fault. */
function identityOf(payload: JWTPayload): ProvenIdentity {
  const text = (claim: string): string | null => {
    const value = payload[claim];
    if (value === undefined || value === null) return null;
    // No control character either: the subject is stored, and PostgreSQL cannot store NUL.
    if (typeof value !== 'string' || value.length === 0 || value.length > CLAIM_MAX || hasForbiddenControl(value)) {
      throw refused(`bad_claim:${claim}`, `not a string of 1–${CLAIM_MAX} characters without control characters`);
    }
    return value;
  };
  const subject = text('sub');
  if (subject === null) throw refused('missing_claim:sub');
  if (text('jti') === null) throw refused('missing_claim:jti');
  const rawName = text('name');
  const name = rawName === null ? null : normalizeName(rawName);
  if (name !== null && brokenTextRule(name, NAME_RULES) !== undefined) throw refused('bad_claim:name', `breaks the name rule ${brokenTextRule(name, NAME_RULES)}`);
  const rawEmail = text('email');
  const email = rawEmail === null ? null : rawEmail.trim();
  if (email !== null && !EmailSchema.safeParse(email).success) throw refused('bad_claim:email', 'not an email address');
  let badges: Badge[] | null = null;
  if (payload.badges !== undefined) {
    const parsed = BadgesSchema.safeParse(payload.badges);
    if (!parsed.success) throw refused('bad_claim:badges', `expected an array of ${BADGES.join(', ')}`);
    badges = [...new Set(parsed.data)];
  }
  // The host vouches for its user's address: it is theirs on the host's site.
  return { method: 'sso', provider: 'sso', subject, email, emailVerified: email !== null, name, badges };
}

/** jose's refusal, as a stable reason; a key set that cannot be read is the host's outage, not the token's fault. */
function refusalOf(err: unknown): AppError {
  if (AppError.is(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof errors.JWTExpired) return refused('expired', message);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return refused(`missing_claim:${err.claim}`, message);
    if (err.claim === 'nbf' || (err.claim === 'iat' && err.reason === 'check_failed')) return refused('not_yet_valid', message);
    if (err.claim === 'iss') return refused('wrong_issuer', message);
    if (err.claim === 'aud') return refused('wrong_audience', message);
    return refused(`bad_claim:${err.claim}`, message);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return refused('bad_signature', message);
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return refused('unknown_key', message);
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return refused('wrong_alg', message);
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return refused('malformed', message);
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || isFetchFailure(err)) {
    return new AppError('unavailable', { message: "The site's key set could not be read. Please try again shortly.", detail: `sso: the key set (SSO_JWKS_URL) could not be read: ${message}`, retryAfter: 5 });
  }
  return refused('malformed', message);
}

/** The key set's fetch failed (no answer, not 200, not JSON): jose says so with a generic error, fetch with a TypeError. */
function isFetchFailure(err: unknown): boolean {
  if (err instanceof errors.JOSEError) return err.code === 'ERR_JOSE_GENERIC';
  return err instanceof TypeError && err.message === 'fetch failed';
}
