import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { addressKey } from '../../lib/domain/addressKey';

/**
 * Who may talk to the server: one policy for the HTTP routes and for
 * Socket.IO's handshake (browsers apply no CORS to WebSockets, so the
 * handshake must check `Origin` itself). docs/security.md explains each rule.
 */
export interface OriginPolicyOptions {
  /** Origins besides the app's own (ALLOWED_ORIGINS), already normalized (`https://a.example`). */
  allowedOrigins?: readonly string[];
  /** Believe X-Forwarded-Proto / X-Forwarded-Host / X-Forwarded-For (TRUST_PROXY). */
  trustProxy?: boolean;
}

export interface OriginPolicy {
  /** True when the client reached us over TLS: the socket, or (TRUST_PROXY only) the proxy's X-Forwarded-Proto. */
  isHttps(req: IncomingMessage): boolean;
  /** `scheme://host[:port]` the request was made to, or null without a usable Host. */
  ownOrigin(req: IncomingMessage): string | null;
  /** Null when the request may come in; else why not (for the server log, never for the client). */
  refusal(req: IncomingMessage): string | null;
  /**
   * The key the per-address budgets count this request under (lib/domain/addressKey.ts): the TCP
   * peer's address, or with TRUST_PROXY the last address in X-Forwarded-For (the one the proxy
   * added: what the client wrote before it is the client's to forge). Noted for clientAddress(),
   * with the address itself and the site's origin as the request reached it, for clientIp() and
   * requestSite() (what the spam service is told).
   */
  clientAddress(req: IncomingMessage): string;
}

/** What the edge found out about each request's scheme, for code that sets cookies without the config at hand. */
const seenHttps = new WeakMap<IncomingMessage, boolean>();

/** Whether the client reached us over HTTPS, as the policy judged it at the edge (a TLS socket if it never did). */
export function servedOverHttps(req: IncomingMessage): boolean {
  return seenHttps.get(req) ?? socketIsTls(req);
}

/** What the edge found out about each request's client address, for code that counts budgets without the config at hand. */
const seenAddress = new WeakMap<IncomingMessage, string>();

/**
 * The key the per-address budgets count a request (or a socket's handshake) under, as the policy
 * judged it at the edge, which every request and handshake passes first; the TCP peer if it never did.
 */
export function clientAddress(req: IncomingMessage): string {
  return seenAddress.get(req) ?? addressKey(req.socket.remoteAddress ?? 'unknown');
}

/** The client's own IP address (not its budget key: an IPv6 address whole), as the edge judged it. */
const seenIp = new WeakMap<IncomingMessage, string>();
/** The site's origin as the request reached it, as the edge judged it. */
const seenSite = new WeakMap<IncomingMessage, string | null>();

/** The client's IP address as the edge judged it (TRUST_PROXY: the forwarded one); an IPv4-mapped IPv6 address as IPv4. */
export function clientIp(req: IncomingMessage): string {
  return unmapped(seenIp.get(req) ?? req.socket.remoteAddress ?? 'unknown');
}

/** `scheme://host[:port]` of this site as the request reached it (TRUST_PROXY: the proxy's), or null without a Host. */
export function requestSite(req: IncomingMessage): string | null {
  return seenSite.get(req) ?? (req.headers.host ? normalizeOrigin(`${servedOverHttps(req) ? 'https' : 'http'}://${req.headers.host}`) : null);
}

function unmapped(ip: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
}

/** What Sec-Fetch-Site may say about a request without an Origin header; anything else comes from another site. */
const SAME_ORIGIN_FETCH = new Set(['same-origin', 'none']);

export function createOriginPolicy(options: OriginPolicyOptions = {}): OriginPolicy {
  const allowed = new Set(options.allowedOrigins ?? []);
  const trustProxy = options.trustProxy ?? false;

  const isHttps = (req: IncomingMessage): boolean => {
    const https = socketIsTls(req) || (trustProxy && firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https');
    seenHttps.set(req, https);
    return https;
  };

  const ownOrigin = (req: IncomingMessage): string | null => {
    const host = (trustProxy && firstValue(req.headers['x-forwarded-host'])) || req.headers.host;
    return host ? normalizeOrigin(`${isHttps(req) ? 'https' : 'http'}://${host}`) : null;
  };

  return {
    isHttps,
    ownOrigin,
    clientAddress(req) {
      const peer = req.socket.remoteAddress ?? 'unknown';
      const ip = (trustProxy && lastForwardedAddress(req.headers['x-forwarded-for'])) || peer;
      const key = addressKey(ip);
      seenAddress.set(req, key);
      seenIp.set(req, ip);
      seenSite.set(req, ownOrigin(req));
      return key;
    },
    refusal(req) {
      const origin = req.headers.origin;
      if (origin === undefined) {
        // No Origin: a non-browser client (curl, socket.io-client in Node), which no CSRF can drive. A browser
        // leaves Origin out only of same-origin GETs and no-cors loads; Sec-Fetch-Site tells the latter apart.
        const site = firstValue(req.headers['sec-fetch-site'])?.toLowerCase();
        return site === undefined || SAME_ORIGIN_FETCH.has(site) ? null : `no Origin, but Sec-Fetch-Site: ${site}`;
      }
      // `null` is an opaque origin (sandboxed frame, data: URL, file:): nobody we could allow.
      const normalized = normalizeOrigin(origin);
      if (normalized === null) return `Origin ${JSON.stringify(origin)} is opaque or malformed`;
      if (normalized === ownOrigin(req) || allowed.has(normalized)) return null;
      return `Origin ${normalized} is neither this server (${ownOrigin(req) ?? 'no Host'}) nor in ALLOWED_ORIGINS`;
    },
  };
}

/** Methods that change state; only these need the origin check (GET and HEAD must stay safe). */
export function isStateChanging(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** `https://Host:443` → `https://host`; null for `null`, garbage, or anything that is not http(s) with a host. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) return null;
    return url.origin;
  } catch {
    return null;
  }
}

function socketIsTls(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

/**
 * The last address of X-Forwarded-For: the one our proxy added (nginx's `$proxy_add_x_forwarded_for`
 * appends the address it saw to whatever the client sent). A port (`192.0.2.1:4711`,
 * `[2001:db8::1]:443`) is dropped; undefined when there is no usable address, so the peer counts.
 */
export function lastForwardedAddress(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  const last = value?.split(',').at(-1)?.trim() ?? '';
  const address = /^\[(.+)\](?::\d+)?$/.exec(last)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(last)?.[1] ?? last;
  return isIP(address.split('%')[0]!) ? address : undefined;
}

/** The first value of a header a proxy chain may have made a list (`https, http`): the one the client-facing proxy set. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first ? first : undefined;
}
