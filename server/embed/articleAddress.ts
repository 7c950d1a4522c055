/** Query parameters that say how a reader arrived, not which article they read. */
const TRACKING = /^(?:utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$/i;

/**
 * The spellings of a host page's address under which an imported thread may know its article
 * (docs/embed.md, "Threads imported from Disqus or WordPress"), the address itself first: with and
 * without tracking parameters (`utm_…`, `fbclid`…), over https and http, with and without `www.`,
 * with and without a trailing slash. The other query parameters are kept: `?p=123` is an article.
 * `pageUrl` is an embed request's `url`, already an absolute http(s) address without its fragment.
 */
export function articleAddressCandidates(pageUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return [];
  }
  url.hash = '';
  const bases = [url];
  const untracked = new URL(url.href);
  for (const name of [...untracked.searchParams.keys()]) if (TRACKING.test(name)) untracked.searchParams.delete(name);
  if (untracked.search !== url.search) bases.push(untracked);

  const seen = new Set<string>();
  for (const base of bases) {
    for (const protocol of [base.protocol, base.protocol === 'https:' ? 'http:' : 'https:']) {
      for (const host of [base.hostname, base.hostname.startsWith('www.') ? base.hostname.slice(4) : `www.${base.hostname}`]) {
        for (const path of [base.pathname, toggleSlash(base.pathname)]) {
          const candidate = new URL(base.href);
          candidate.protocol = protocol;
          candidate.hostname = host;
          candidate.pathname = path;
          seen.add(candidate.href);
        }
      }
    }
  }
  return [...seen];
}

function toggleSlash(path: string): string {
  if (path === '/') return path;
  return path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
}
