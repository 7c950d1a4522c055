import { negotiateLocale } from '../../app/i18n/locales';
import { CursorSchema, cursorFitsSort, SortSchema, UntilSchema, type Sort } from '../../lib/contract/api';
import { UNTIL_END, UNTIL_PARAM } from '../../lib/contract/paging';
import { parseEmbedRequest } from '../embed/embedPolicy';

/** Which reader page, and what of the request its HTML depends on: the cache's key. */
export interface PageKey {
  key: string;
  /** The thread whose changes drop the page. */
  slug: string;
  /** The article and branch pages speak the reader's language (Accept-Language); the embed speaks English. */
  byLanguage: boolean;
}

const ARTICLE = /^\/articles\/([^/]+)\/?$/;
const BRANCH = /^\/articles\/([^/]+)\/comments\/([^/]+)\/?$/;
const EMBED = /^\/embed\/[^/]*\/?$/;

/** `?sort=` as the page reads it: anything else is the default, so it shares the default's entry. */
// Absent parameters are skipped before zod: a failed parse builds an issue, a cost on every page view.
const sortOf = (query: URLSearchParams): Sort => {
  const sort = query.has('sort') ? SortSchema.safeParse(query.get('sort')) : undefined;
  return sort?.success ? sort.data : 'oldest';
};

/**
 * `?after=` and `?until=` as the article page reads them (app/readerPages/readerPageProps.ts): one that
 * does not parse or fit the sort is ignored there, so it is '' here too, and a stream of made-up
 * cursors cannot fill the cache with copies of the first page.
 */
function cursorsOf(query: URLSearchParams, sort: Sort): [string, string] {
  const after = query.has('after') ? CursorSchema.safeParse(query.get('after')) : undefined;
  const until = query.has(UNTIL_PARAM) ? UntilSchema.safeParse(query.get(UNTIL_PARAM)) : undefined;
  return [
    after?.success && cursorFitsSort(sort, after.data) ? after.data : '',
    until?.success && (until.data === UNTIL_END || cursorFitsSort(sort, until.data)) ? until.data : '',
  ];
}

/**
 * The key of a shareable reader page (isShareableReaderRequest): what the render reads, normalized so
 * that requests with the same page share one entry — a tracking parameter, another spelling of the
 * same language or an unknown sort do not make another. Null for an address whose page cannot be
 * told apart here (a bad embed address): it goes to the page as it is and reports its own error.
 */
export function pageKeyOf(url: URL, acceptLanguage: string | undefined): PageKey | null {
  const { pathname: path, searchParams: query } = url;
  const article = ARTICLE.exec(path);
  if (article) {
    const slug = decodeURIComponent(article[1]!);
    const sort = sortOf(query);
    const parts = ['article', slug, sort, ...cursorsOf(query, sort), negotiateLocale(acceptLanguage)];
    return { key: parts.join('\n'), slug, byLanguage: true };
  }
  const branch = BRANCH.exec(path);
  if (branch) {
    const slug = decodeURIComponent(branch[1]!);
    return { key: ['branch', slug, decodeURIComponent(branch[2]!), negotiateLocale(acceptLanguage)].join('\n'), slug, byLanguage: true };
  }
  if (EMBED.test(path)) {
    try {
      const embed = parseEmbedRequest(path, query);
      // The token opens a thread not known yet (server/embed/embedGate.ts): a page rendered without it may be the "no discussion" one.
      return { key: ['embed', embed.slug, sortOf(query), embed.theme, embed.pageUrl ?? '', embed.token ?? ''].join('\n'), slug: embed.slug, byLanguage: false };
    } catch {
      return null;
    }
  }
  return null;
}
