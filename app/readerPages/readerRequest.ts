import type { IncomingMessage } from 'node:http';
import type { HeaderReader } from '../components/requestViewer';
import { negotiateLocale, type Locale } from '../i18n/locales';

/** A query as Next.js hands it to a pages route. */
export type Query = Partial<Record<string, string | string[]>>;

/** What a reader page reads of its request. */
export interface ReaderRequest {
  headers: HeaderReader;
  query: Query;
}

export function readerRequest(req: IncomingMessage, query: Query): ReaderRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return { headers, query };
}

/** The reader's language, from Accept-Language (app/i18n). */
export function localeOf(request: ReaderRequest): Locale {
  return negotiateLocale(request.headers.get('accept-language'));
}

/**
 * This page view's CSP nonce: the server put its policy on the request for the page to read
 * (server/http/edge.ts, preparePage). The page's own script carries it; without it nothing runs.
 */
export function nonceOf(request: ReaderRequest): string {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(request.headers.get('content-security-policy') ?? '')?.[1] ?? '';
}
