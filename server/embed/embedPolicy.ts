import { SlugSchema } from '../../lib/contract/api';
import { hostPageUrl, MAX_PAGE_URL } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import { normalizeOrigin } from '../http/origin';

/** How the host page wants the embed drawn; `auto` follows the reader's system inside the frame. */
const EMBED_THEMES = ['light', 'dark', 'auto'] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];

/** What `/embed/<slug>?url=…&token=…&theme=…` asks for, checked. */
export interface EmbedRequest {
  slug: string;
  /** The host article's address (data-url), without its fragment; null when the embed was opened without one. */
  pageUrl: string | null;
  /** The host's signed word that the thread may be opened (data-token, lib/domain/embedToken.ts); null without one. */
  token: string | null;
  theme: EmbedTheme;
}

const EMBED_PATH = /^\/embed\/([^/]*)\/?$/;

/**
 * Parses an embed page's path and query; a bad slug, url or theme is `invalid_request` naming the
 * field. A token is checked only where it could open a thread (a bad one opens nothing, it does not
 * keep an existing discussion from showing); a `title` is not read: a thread's title is its host's
 * (docs/embed.md, "Opening threads").
 */
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

  const theme = query.get('theme') ?? 'auto';
  if (!(EMBED_THEMES as readonly string[]).includes(theme)) fields.theme = ['must be light, dark or auto'];

  if (Object.keys(fields).length > 0) throw new AppError('invalid_request', { message: 'This embed address is not valid.', fields });
  return { slug, pageUrl, token: query.get('token') || null, theme: theme as EmbedTheme };
}

/**
 * Where the embed's permalinks lead: the article the thread was opened for (its
 * host vouched for it), else the request's `url` when it is on a site in
 * EMBED_ORIGINS; else nowhere outside the frame. A `url` on any other site is
 * not an error (the discussion still shows), it is just not used: no link in the
 * frame can be pointed at a site the operator did not list.
 */
export function permalinkTarget(request: { articleUrl: string | null; pageUrl: string | null; embedOrigins: readonly string[] }): string | null {
  if (request.articleUrl) return request.articleUrl;
  if (request.pageUrl === null) return null;
  const origin = normalizeOrigin(request.pageUrl);
  return origin !== null && request.embedOrigins.includes(origin) ? request.pageUrl : null;
}
