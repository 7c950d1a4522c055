import type { IncomingHttpHeaders } from 'node:http';
import { SlugSchema } from '../../lib/contract/api';
import { hostPageUrl } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import { normalizeOrigin } from '../http/origin';

/** How the host page wants the embed drawn; `auto` follows the reader's system inside the frame. */
const EMBED_THEMES = ['light', 'dark', 'auto'] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];

/** What `/embed/<slug>?url=…&title=…&theme=…` asks for, checked. */
export interface EmbedRequest {
  slug: string;
  /** The host article's address (data-url), where permalinks lead; null when the embed was opened without one. */
  pageUrl: string | null;
  /** data-title, cleaned: the title a thread made on first view gets. */
  title: string | null;
  theme: EmbedTheme;
}

const EMBED_PATH = /^\/embed\/([^/]*)\/?$/;
const MAX_PAGE_URL = 2048;
export const MAX_TITLE = 300;

/** Every control character (C0, DEL, C1) and the bidi overrides, which a title has no use for. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A title as a host page may send it: unprintables dropped, whitespace collapsed, cut at MAX_TITLE characters. */
export function cleanTitle(raw: string): string {
  const clean = raw.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, MAX_TITLE).join('').trim();
}

/** Parses an embed page's path and query; a bad slug, url, title or theme is `invalid_request` naming the field. */
export function parseEmbedRequest(path: string, query: URLSearchParams): EmbedRequest {
  const fields: Record<string, string[]> = {};
  const match = EMBED_PATH.exec(path);
  let slug = '';
  try {
    slug = decodeURIComponent(match?.[1] ?? '');
  } catch {
    // Malformed escapes: reported as a bad slug below.
  }
  if (!SlugSchema.safeParse(slug).success) fields.slug = ['must be lowercase letters, digits and single dashes (at most 120)'];

  const url = query.get('url');
  let pageUrl: string | null = null;
  if (url !== null && url !== '') {
    if (url.length > MAX_PAGE_URL) fields.url = [`must be at most ${MAX_PAGE_URL} characters`];
    else if (normalizeOrigin(url) === null) fields.url = ['must be an absolute http or https address'];
    else pageUrl = hostPageUrl(url);
  }

  const rawTitle = query.get('title');
  const title = rawTitle === null ? null : cleanTitle(rawTitle) || null;
  if (rawTitle !== null && rawTitle.length > MAX_TITLE * 8) fields.title = [`must be at most ${MAX_TITLE} characters`];

  const theme = query.get('theme') ?? 'auto';
  if (!(EMBED_THEMES as readonly string[]).includes(theme)) fields.theme = ['must be light, dark or auto'];

  if (Object.keys(fields).length > 0) throw new AppError('invalid_request', { message: 'This embed address is not valid.', fields });
  return { slug, pageUrl, title, theme: theme as EmbedTheme };
}

/**
 * Null when a first view may open the thread; else why not (for the log).
 * What is checked (docs/embed.md): the article address's origin is in
 * EMBED_ORIGINS; and, when the browser says so, that the page is loading in a
 * frame (`Sec-Fetch-Dest: iframe`) of a page on an allowed site (`Referer`'s
 * origin). Headers a browser leaves out (old browsers, `Referrer-Policy:
 * no-referrer`) are not required: they keep honest browsers from opening
 * threads outside a frame or for another site, they are no authentication.
 */
export function firstViewRefusal(request: { pageUrl: string | null; headers: IncomingHttpHeaders; embedOrigins: readonly string[] }): string | null {
  const allowed = new Set(request.embedOrigins);
  if (request.pageUrl === null) return 'no url: a thread is opened only for an article address';
  const origin = normalizeOrigin(request.pageUrl);
  if (origin === null || !allowed.has(origin)) return `url's origin ${origin ?? '(none)'} is not in EMBED_ORIGINS`;
  const dest = single(request.headers['sec-fetch-dest']);
  if (dest !== undefined && dest !== 'iframe') return `Sec-Fetch-Dest: ${dest} (not a frame)`;
  const referer = single(request.headers.referer);
  if (referer !== undefined) {
    const from = normalizeOrigin(referer);
    if (from === null || !allowed.has(from)) return `framed by ${from ?? 'an unknown page'}, which is not in EMBED_ORIGINS`;
  }
  return null;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
