import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { cleanTitle } from '../../lib/domain/embed';
import { matchThreadUrl, type ThreadUrlPattern } from './threadUrls';

/**
 * A page of the operator's own site (EMBED_THREAD_URLS) read to open a thread
 * without a token (docs/embed.md): the page itself says which threads it embeds
 * (its `<script data-thread>` tags) and what it is called, so neither comes from
 * whoever asked.
 */
export interface ArticlePage {
  /** Where permalinks should lead: the page's canonical address when EMBED_THREAD_URLS lists it, else the address read. */
  articleUrl: string;
  /** `og:title`, else `<title>`, cleaned; null when the page has neither. */
  title: string | null;
  /** The `data-thread` of each `<script>` tag in the page. */
  threads: string[];
}

export interface PageFetchOptions {
  /** The whole read, redirects and body included. */
  timeoutMs: number;
  /** Read at most this much of the body; a page cut there is read as far as it goes. */
  maxBytes: number;
  maxRedirects: number;
}

export const PAGE_FETCH_DEFAULTS: PageFetchOptions = { timeoutMs: 5000, maxBytes: 2 * 1024 * 1024, maxRedirects: 3 };

const USER_AGENT = 'Threadline (reads an article page to open its discussion; docs/embed.md)';

export type PageRead = { ok: true; page: ArticlePage } | { ok: false; detail: string };

/**
 * Reads the page at `url`, which must match `patterns`, as must every address it
 * redirects to: never a page of another site. Any failure (network, timeout,
 * status, type) is `ok: false` with what happened, for the log.
 */
export async function fetchArticlePage(request: { url: string; patterns: readonly ThreadUrlPattern[]; options?: Partial<PageFetchOptions> }): Promise<PageRead> {
  const options = { ...PAGE_FETCH_DEFAULTS, ...request.options };
  const signal = AbortSignal.timeout(options.timeoutMs);
  let address = matchThreadUrl(request.patterns, request.url);
  if (!address) return { ok: false, detail: `${request.url} is not an address EMBED_THREAD_URLS lists` };
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await fetch(address, { redirect: 'manual', signal, headers: { accept: 'text/html,application/xhtml+xml', 'user-agent': USER_AGENT } });
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel();
        if (redirects >= options.maxRedirects) return { ok: false, detail: `more than ${options.maxRedirects} redirects from ${request.url}` };
        const next = matchThreadUrl(request.patterns, new URL(res.headers.get('location')!, address).href);
        if (!next) return { ok: false, detail: `${address} redirects to ${res.headers.get('location')}, which EMBED_THREAD_URLS does not list` };
        address = next;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return { ok: false, detail: `${address} answered ${res.status}` };
      }
      const type = res.headers.get('content-type') ?? '';
      if (!/^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i.test(type)) {
        await res.body?.cancel();
        return { ok: false, detail: `${address} is ${type || 'of no stated type'}, not an HTML page` };
      }
      const html = await readCapped(res, options.maxBytes, charsetOf(type));
      const read = readArticleHtml(html, address);
      const canonical = read.canonical && matchThreadUrl(request.patterns, read.canonical);
      return { ok: true, page: { articleUrl: canonical || address, title: read.title, threads: read.threads } };
    }
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, detail: `${address} took longer than ${options.timeoutMs} ms` };
    return { ok: false, detail: `${address} could not be read: ${(err as Error).message}` };
  }
}

function charsetOf(contentType: string): string {
  return /;\s*charset="?([\w-]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
}

/** The body's first `maxBytes`, decoded (a charset this Node does not know is read as UTF-8). */
async function readCapped(res: Response, maxBytes: number, charset: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body!.getReader();
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  const body = Buffer.concat(chunks).subarray(0, maxBytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}

/** What matters in a tag: its attributes, quoted or not (a `>` inside quotes does not end it). */
const ATTRIBUTES = String.raw`((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\x60]+))?)*)\s*/?>`;
const TAGS = new RegExp(String.raw`<!--[\s\S]*?(?:-->|$)|<(script|style|title|link|meta)\b${ATTRIBUTES}`, 'gi');
/** Where a tag whose inside is not markup ends. */
const CLOSERS = { script: /<\/script/gi, style: /<\/style/gi, title: /<\/title/gi };
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeHTMLAttribute(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attributes;
}

/**
 * The parts of a page that open its thread: the slugs its `<script data-thread>`
 * tags name, its `og:title` or else first `<title>`, and its canonical address.
 * Comments are skipped, and so are the insides of scripts and styles (a string
 * in a script that looks like a tag is not one).
 */
export function readArticleHtml(html: string, pageUrl: string): { title: string | null; canonical: string | null; threads: string[] } {
  const threads: string[] = [];
  let ogTitle: string | null = null;
  let title: string | null = null;
  let canonical: string | null = null;
  TAGS.lastIndex = 0;
  for (let m = TAGS.exec(html); m; m = TAGS.exec(html)) {
    const tag = m[1]?.toLowerCase();
    if (!tag) continue; // a comment
    const attributes = attributesOf(m[2] ?? '');
    if (tag === 'script' || tag === 'style' || tag === 'title') {
      const closer = CLOSERS[tag];
      closer.lastIndex = TAGS.lastIndex;
      const end = closer.exec(html)?.index ?? -1;
      const inside = html.slice(TAGS.lastIndex, end < 0 ? html.length : end);
      TAGS.lastIndex = end < 0 ? html.length : end;
      if (tag === 'script' && attributes.has('data-thread')) threads.push(attributes.get('data-thread')!.trim());
      if (tag === 'title' && title === null) title = cleanTitle(decodeHTML(inside)) || null;
    } else if (tag === 'meta') {
      const property = (attributes.get('property') ?? attributes.get('name') ?? '').toLowerCase();
      if (property === 'og:title' && ogTitle === null) ogTitle = cleanTitle(attributes.get('content') ?? '') || null;
    } else if (tag === 'link' && canonical === null && (attributes.get('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical')) {
      try {
        canonical = new URL(attributes.get('href') ?? '', pageUrl).href;
      } catch {
        // Not an address: no canonical.
      }
    }
  }
  return { title: ogTitle ?? title, canonical, threads };
}
