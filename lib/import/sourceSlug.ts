import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import { slugWords } from '../domain/slug';

/** The slug the words of `text` make, or undefined when they make none (a title in Chinese, say): lib/domain/slug.ts decides. */
export function meaningfulSlug(text: string | undefined): string | undefined {
  return text ? slugWords(text) : undefined;
}

/**
 * A thread's slug from what the source says about it, never a placeholder (issue 18.5):
 * the title; else the last segment of the article's URL path (`.html` and the like
 * dropped); else the whole path; else the source's own id; else a short hash of that id,
 * which still tells two such threads apart.
 */
export function threadSlug(source: { title?: string | undefined; url?: string | undefined; externalId: string }): string {
  const segments = urlPathSegments(source.url);
  const last = segments.at(-1)?.replace(/\.(html?|php|aspx?)$/i, '');
  return (
    meaningfulSlug(source.title) ??
    meaningfulSlug(last) ??
    meaningfulSlug(segments.join(' ')) ??
    meaningfulSlug(source.externalId) ??
    `thread-${createHash('sha256').update(source.externalId).digest('hex').slice(0, 12)}`
  );
}

/**
 * The address when it is a web page's (http or https), for the thread's `articleUrl`: the embed
 * finds the imported thread by it. Entities are decoded (Remark42 stores `&amp;` in URLs).
 */
export function webAddress(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(decodeHTML(url.trim()));
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function urlPathSegments(url: string | undefined): string[] {
  const address = webAddress(url);
  if (!address) return [];
  return new URL(address).pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}
