/**
 * The JavaScript budgets (issue 15, target 1), stated once: what a reader's browser may download
 * as script on a first view of each page, every chunk counted (those loaded after the first paint
 * too, up to the page being live), gzipped at zlib level 9. 1 KB is 1,000 bytes here.
 * `npm test` fails when a page goes over (scripts/jsBudget/check.ts); `npm run budget:js` prints the measure.
 */
export interface PageBudget {
  /** How the check names the page. */
  name: string;
  /** The page's address for a thread. */
  path: (slug: string) => string;
  /** Gzipped bytes of script, at most. */
  gzipBytes: number;
}

export const KB = 1000;

export const JS_BUDGETS: readonly PageBudget[] = [
  { name: 'article page', path: (slug) => `/articles/${slug}`, gzipBytes: 150 * KB },
  { name: 'embed page', path: (slug) => `/embed/${slug}`, gzipBytes: 150 * KB },
];
