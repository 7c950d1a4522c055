import { hostPageUrl } from '../domain/embed';
import { slugWords } from '../domain/slug';

/** A slug as an embed's `data-thread` may name it, short enough to take a `-2` (lib/contract/api.ts SlugSchema). */
const SLUG_SHAPED = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_KEPT_IDENTIFIER = 80;

/**
 * Where an imported thread's slug comes from, best first (docs/import.md, "Slugs"). Every candidate is
 * the source's own: a title of Chinese characters no longer makes `article`, `article-2`… but its
 * address, its identifier, or at the last its id in the source. (Not the rest of the address: a
 * `2019-05` made of a dated path would be a placeholder again, shared by every article of the month.)
 */
export interface SlugSources {
  /** Disqus `<id>` (the page's `disqus_identifier`): kept as it is when it is already a slug, so a host page's old identifier finds its thread. */
  identifier?: string | undefined;
  /** WordPress `wp:post_name` (URL-encoded for non-Latin names). */
  name?: string | undefined;
  /** The article's address: its last path segment. */
  link?: string | undefined;
  title?: string | undefined;
  /** The last resort: `disqus-<dsq:id>`, `post-<wp:post_id>`. */
  fallback: string;
}

export function importedSlug(sources: SlugSources): string {
  const identifier = sources.identifier?.trim();
  if (identifier && identifier.length <= MAX_KEPT_IDENTIFIER && SLUG_SHAPED.test(identifier)) return identifier;
  const segments = pathSegments(sources.link);
  const candidates = [
    sources.name && safeDecode(sources.name),
    segments.at(-1)?.replace(/\.(html?|php|aspx?)$/i, ''),
    sources.title,
    identifier,
  ];
  for (const candidate of candidates) {
    const slug = candidate ? slugWords(candidate) : undefined;
    if (slug) return slug;
  }
  return slugWords(sources.fallback) ?? 'thread';
}

/** The article's address as the embed will look it up (server/embed/articleAddress.ts): http(s) only, without its fragment. */
export function importedArticleUrl(link: string | undefined): string | null {
  return hostPageUrl(link?.trim());
}

function pathSegments(link: string | undefined): string[] {
  if (!link) return [];
  try {
    return new URL(link.trim())
      .pathname.split('/')
      .filter(Boolean)
      .map((segment) => safeDecode(segment));
  } catch {
    // Not a URL: nothing to take from it.
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
