import { randomBytes } from 'node:crypto';

/** One year; no includeSubDomains/preload, which would bind hosts this server does not own. */
const HSTS = 'max-age=31536000';

/**
 * Headers on every response, pages and API alike. `framable` (the embed's pages
 * only) drops X-Frame-Options: DENY there would override the CSP's
 * frame-ancestors list in every browser.
 */
export function standardHeaders(options: { https: boolean; framable?: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(!options.framable && { 'x-frame-options': 'DENY' }),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(options.https && { 'strict-transport-security': HSTS }),
  };
}

/**
 * JSON, redirects and the server's own error pages: nothing in them runs or loads. Nothing may frame
 * them either, except an error of the embed's, which its pages' framers may (`frameAncestors`), so
 * that it shows in the host's frame as the page would have.
 */
export function nonPageCsp(options: { frameAncestors?: readonly string[] } = {}): string {
  return `default-src 'none'; frame-ancestors ${frameAncestors(options.frameAncestors)}; base-uri 'none'; form-action 'none'`;
}

export const NON_PAGE_CSP = nonPageCsp();

/** 128 random bits per page view, base64 as CSP's nonce-source wants. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * A page's policy. Scripts run only with this response's nonce (Next.js puts it
 * on its own scripts) and what they load ('strict-dynamic'); styles allow inline
 * attributes (React `style` props), which cannot run code. Development mode adds
 * 'unsafe-eval', which Next.js's dev runtime needs, and nothing else.
 *
 * A page served from a cache to everyone (`nonce: null`, server/pageCache) cannot carry a nonce
 * per response: its scripts are this origin's files (`script-src 'self'`, the reader pages' one
 * script at /_islands/ and the chunks it imports), and nothing inline runs (the island's data is
 * `type="application/json"`, which is never run).
 */
export function pageCsp(options: { nonce: string | null; dev: boolean; ownOrigin: string | null; frameAncestors?: readonly string[] }): string {
  // 'self' covers ws(s): of this host in current browsers; the explicit origin keeps older Safari working.
  const socket = options.ownOrigin ? ` ${options.ownOrigin.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${options.nonce === null ? '' : ` 'nonce-${options.nonce}' 'strict-dynamic'`}${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(options.frameAncestors)}`,
  ].join('; ');
}

/** The sites that may frame a page (EMBED_ORIGINS, for the embed's pages); nobody when there are none. */
export function frameAncestors(origins: readonly string[] | undefined): string {
  return origins && origins.length > 0 ? origins.join(' ') : "'none'";
}
