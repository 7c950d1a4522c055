import { SlugSchema } from '../contract/api';
import { hostPageUrl, MAX_PAGE_URL } from './embed';
import { AppError } from './errors';

/** Links one front page may ask counts for at once (docs/api.md, "Comment counts"). */
export const MAX_COUNT_SLUGS = 200;
/** Article addresses one request may name: each is a lookup, slugs are one read for all. */
export const MAX_COUNT_URLS = 50;

export interface CountRequest {
  slugs: string[];
  /** Article addresses: as the page named them (`asked`, the answer's key) and without their fragment. */
  urls: Array<{ asked: string; url: string }>;
}

/**
 * `?slugs=a,b,c&url=…&url=…` checked: every slug a slug, every url an absolute http(s) address, at
 * most MAX_COUNT_SLUGS and MAX_COUNT_URLS (duplicates folded). A bad one is `invalid_request` naming
 * the field, never a partial answer the page would take for "no comments".
 */
export function parseCountRequest(query: URLSearchParams, options: { urls: boolean }): CountRequest {
  const fields: Record<string, string[]> = {};
  const slugs = [...new Set(query.getAll('slugs').flatMap((list) => list.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
  const bad = slugs.filter((slug) => !SlugSchema.safeParse(slug).success);
  if (bad.length > 0) fields.slugs = [`not a slug (lowercase letters, digits and single dashes, at most 120): ${bad.slice(0, 3).map((s) => JSON.stringify(s.slice(0, 130))).join(', ')}`];
  else if (slugs.length > MAX_COUNT_SLUGS) fields.slugs = [`at most ${MAX_COUNT_SLUGS} per request`];

  const rawUrls = [...new Set(query.getAll('url').filter((u) => u !== ''))];
  const urls: CountRequest['urls'] = [];
  if (rawUrls.length > 0 && !options.urls) fields.url = ['the live stream takes slugs only: resolve addresses with GET /api/counts first'];
  else if (rawUrls.length > MAX_COUNT_URLS) fields.url = [`at most ${MAX_COUNT_URLS} per request`];
  else {
    for (const raw of rawUrls) {
      const url = raw.length > MAX_PAGE_URL ? null : hostPageUrl(raw);
      if (url === null) {
        fields.url = [`must be absolute http or https addresses of at most ${MAX_PAGE_URL} characters`];
        break;
      }
      urls.push({ asked: raw, url });
    }
  }
  if (slugs.length === 0 && rawUrls.length === 0) fields.slugs = ['name at least one thread: slugs=a,b,c or url=…'];
  if (Object.keys(fields).length > 0) throw new AppError('invalid_request', { message: 'This request for comment counts is not valid.', fields });
  return { slugs, urls };
}
