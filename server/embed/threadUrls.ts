/**
 * EMBED_THREAD_URLS: the article addresses of the operator's own sites whose
 * pages may open a thread without a token (docs/embed.md, "Opening threads").
 * A pattern is an absolute http(s) address without query or fragment, say
 * `https://news.example.com/articles/*` or `https://news.example.com/live/**`:
 * in its path `*` stands for any characters but `/` (one segment, or part of
 * one) and `**` for any characters at all. The origin is matched exactly, the
 * path whole; an address's query is not looked at and its fragment is dropped.
 */
export interface ThreadUrlPattern {
  /** As written, for messages. */
  source: string;
  origin: string;
  path: RegExp;
}

/** The pattern, or why it is not one (for the configuration's error). */
export function parseThreadUrlPattern(entry: string): ThreadUrlPattern | string {
  const example = 'such as https://news.example.com/articles/*';
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `expected an absolute http:// or https:// address ${example}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http:// or https:// address ${example}`;
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.search || entry.includes('?') || url.hash || entry.includes('#')) return `must not have a query or fragment (a query is never matched): ${example}`;
  if (url.host.includes('*') || url.host.includes('%2A')) return 'a host is matched exactly: no * in it (list each host)';
  return { source: entry, origin: url.origin, path: new RegExp(`^${globToRegExp(url.pathname)}$`) };
}

function globToRegExp(glob: string): string {
  return glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
}

/** The address as a thread stores it (its fragment dropped) when it matches a pattern, else null. */
export function matchThreadUrl(patterns: readonly ThreadUrlPattern[], address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  url.hash = '';
  return patterns.some((p) => p.origin === url.origin && p.path.test(url.pathname)) ? url.href : null;
}
