import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A newsroom's front page on a site of its own (e2e/counts.spec.ts): a list of articles whose
 * "comments" links carry `data-threadline-count` (the slug), with the count the CMS rendered as
 * their text, and Threadline's /count.js. Reached at 127.0.0.1 it is on a site in EMBED_ORIGINS;
 * at localhost, the same page is another origin.
 */
export interface FrontPageHost {
  port: number;
  /** What `/` shows: the articles by slug, each with its link's own text; set before a page is opened. */
  articles: Array<{ slug: string; ownText: string; format?: 'number' }>;
  close(): Promise<void>;
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function startFrontPage(threadline: () => string): Promise<FrontPageHost> {
  const host: FrontPageHost = { port: 0, articles: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    if (req.url !== '/') return void res.writeHead(404).end();
    const items = host.articles
      .map(({ slug, ownText, format }) => `<li><h2>Story ${escape(slug)}</h2><a href="/story/${escape(slug)}#comments" data-threadline-count="${escape(slug)}"${format ? ` data-threadline-format="${format}"` : ''}>${escape(ownText)}</a></li>`)
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>The Front Page</title></head><body>
<h1>Today's news</h1>
<ul>${items}</ul>
<script src="${threadline()}/count.js" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.port = (server.address() as AddressInfo).port;
  host.close = () => new Promise((resolve) => server.close(() => resolve()));
  return host;
}
