import { createHmac, timingSafeEqual } from 'node:crypto';
import { SlugSchema } from '../contract/api';
import { cleanTitle, hostPageUrl, MAX_PAGE_URL } from './embed';

/**
 * The host site's word that a thread may be opened from its embed (docs/embed.md,
 * "Opening threads"): a JSON Web Token (RFC 7519) signed with HS256, that is
 *
 *   base64url('{"alg":"HS256","typ":"JWT"}') + "." + base64url(claims) + "." +
 *   base64url(HMAC-SHA256(EMBED_SECRET, <the first two parts, with their dot>))
 *
 * with the claims `slug`, `title`, `url` and, if the host wants the token to
 * lapse, `exp` (seconds since 1970). Any JWT library makes one; so do a few
 * lines in any language, or openssl. Only someone holding EMBED_SECRET can, so
 * the thread, its slug and its title are the host's.
 */
export interface EmbedClaims {
  slug: string;
  /** Cleaned (cleanTitle): the title the thread is opened with. */
  title: string;
  /** The host article's address, without its fragment: where permalinks lead. */
  url: string;
  /** Seconds since 1970 after which the token opens nothing; none: it does not lapse. */
  exp?: number;
}

/** Why a token opens nothing; `detail` says what was wrong, for the log (never shown to a reader). */
export type EmbedTokenRefusal = 'malformed' | 'bad_signature' | 'expired' | 'other_slug';

export type EmbedTokenCheck = { ok: true; claims: EmbedClaims } | { ok: false; reason: EmbedTokenRefusal; detail: string };

/** Longer than any token a host needs (a title of 300 characters, an address of 2048), short enough to refuse junk at once. */
export const MAX_EMBED_TOKEN = 8192;
/** Clocks differ: a token is taken this long after its `exp`. */
export const EXPIRY_LEEWAY_S = 60;

const HEADER = { alg: 'HS256', typ: 'JWT' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(signedPart: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signedPart).digest();
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token for these claims (scripts/embedToken.ts, the tests, a Node host's server). */
export function signEmbedToken(claims: { slug: string; title: string; url: string; exp?: number }, secret: string): string {
  const signedPart = `${encode(HEADER)}.${encode(claims)}`;
  return `${signedPart}.${mac(signedPart, secret).toString('base64url')}`;
}

/**
 * Checks a token for the embed of `slug`: its shape, its signature under `secret`,
 * its claims, its expiry (at `nowMs`) and that it names this very slug.
 */
export function verifyEmbedToken(request: { token: string; secret: string; slug: string; nowMs: number }): EmbedTokenCheck {
  const refuse = (reason: EmbedTokenRefusal, detail: string): EmbedTokenCheck => ({ ok: false, reason, detail });
  const { token } = request;
  if (token.length > MAX_EMBED_TOKEN) return refuse('malformed', `longer than ${MAX_EMBED_TOKEN} characters`);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return refuse('malformed', 'not three base64url parts separated by dots (header.claims.signature)');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];

  const header = decodeJson(headerPart);
  if (!isObject(header)) return refuse('malformed', 'the header is not a JSON object');
  // Only HS256: a token naming another algorithm (`none` above all) is never read as if it were signed.
  if (header.alg !== 'HS256') return refuse('malformed', `the header's alg is ${JSON.stringify(header.alg)}, not "HS256"`);
  if (header.typ !== undefined && header.typ !== 'JWT') return refuse('malformed', `the header's typ is ${JSON.stringify(header.typ)}, not "JWT"`);
  if (header.crit !== undefined) return refuse('malformed', 'the header has crit, which is not supported');

  const given = Buffer.from(signaturePart, 'base64url');
  const expected = mac(`${headerPart}.${claimsPart}`, request.secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('bad_signature', 'the signature does not match EMBED_SECRET');

  const claims = decodeJson(claimsPart);
  if (!isObject(claims)) return refuse('malformed', 'the claims are not a JSON object');
  if (typeof claims.slug !== 'string' || !SlugSchema.safeParse(claims.slug).success) return refuse('malformed', 'slug must be a thread slug (lowercase letters, digits and single dashes, at most 120)');
  const title = typeof claims.title === 'string' ? cleanTitle(claims.title) : '';
  if (!title) return refuse('malformed', 'title must be a text that is not empty');
  const url = typeof claims.url === 'string' && claims.url.length <= MAX_PAGE_URL ? hostPageUrl(claims.url) : null;
  if (!url) return refuse('malformed', `url must be an absolute http or https address of at most ${MAX_PAGE_URL} characters`);
  if (claims.exp !== undefined && (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))) return refuse('malformed', 'exp must be a number of seconds since 1970');

  if (claims.exp !== undefined && request.nowMs / 1000 > claims.exp + EXPIRY_LEEWAY_S) {
    return refuse('expired', `expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  if (claims.slug !== request.slug) return refuse('other_slug', `made for the thread ${claims.slug}, not ${request.slug}`);
  return { ok: true, claims: { slug: claims.slug, title, url, ...(claims.exp !== undefined && { exp: claims.exp }) } };
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
