import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../lib/domain/errors';
import { negotiateLocale, translatorFor } from '../../app/i18n/locales';
import type { RequestKind } from './edge';
import { sendError } from './json';

/**
 * Whether every escape in the path decodes. `/articles/%ZZ` does not: Next.js would fail on it
 * with a plain-text 500 (and a 500 is logged with its request headers), so such an address is
 * answered at the edge, before any handler. Query strings are read leniently everywhere
 * (URLSearchParams keeps a bad escape as it is), so only the path is checked.
 */
export function pathDecodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The 400 for such an address: the API's JSON error, or for a page a small one of its own in the
 * reader's language, under the headers the edge set (an embed's may be framed as its pages may).
 */
export function sendBadAddress(req: IncomingMessage, res: ServerResponse, kind: RequestKind): void {
  if (kind === 'api' || kind === 'form') return sendError(res, new AppError('invalid_request', { message: 'The address is not validly encoded.' }));
  const locale = negotiateLocale(req.headers['accept-language']);
  const t = translatorFor(locale);
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(t.t('badAddress.title'))}</title></head>`,
    `<body data-error="invalid_request"><main><h1>${escapeHtml(t.t('badAddress.title'))}</h1>`,
    `<p>${escapeHtml(t.t('badAddress.text'))}</p>`,
    // Inside a host's frame a link to this site's front page leads nowhere useful.
    kind === 'embed' ? '' : `<p><a href="/">${escapeHtml(t.t('notFound.link'))}</a></p>`,
    '</main></body></html>',
  ].join('\n');
  res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store', 'content-language': locale });
  res.end(req.method === 'HEAD' ? undefined : html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
