import type { CountsResponse } from '../contract/counts';
import type { CountRequest } from '../domain/countRequest';
import type { Store } from '../store/store';

/**
 * The counts a CMS renders into its pages and count.js starts from: one read for every slug, and one
 * lookup per article address among the spellings `candidates` gives (server/embed/articleAddress.ts,
 * as the embed finds an imported thread by its page's address).
 */
export async function readCounts(
  deps: { store: Pick<Store, 'readCommentCounts' | 'findImportedThreadByArticleUrl'>; candidates: (url: string) => string[] },
  request: CountRequest,
): Promise<CountsResponse> {
  const found = await Promise.all(request.urls.map(async ({ url }) => (await deps.store.findImportedThreadByArticleUrl(deps.candidates(url)))?.slug ?? null));
  const slugs = [...new Set([...request.slugs, ...found.filter((slug): slug is string => slug !== null)])];
  const counts = slugs.length > 0 ? await deps.store.readCommentCounts(slugs) : new Map<string, number>();
  const response: CountsResponse = { counts: {}, urls: {} };
  for (const slug of request.slugs) response.counts[slug] = counts.get(slug) ?? null;
  request.urls.forEach(({ asked }, i) => {
    const slug = found[i] ?? null;
    const count = slug === null ? undefined : counts.get(slug);
    response.urls[asked] = slug !== null && count !== undefined ? { slug, count } : null;
  });
  return response;
}
