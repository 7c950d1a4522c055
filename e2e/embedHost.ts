import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator, Page } from '@playwright/test';
import { signEmbedToken } from '../lib/domain/embedToken';

/**
 * A tiny node:http server standing in for a newsroom's site that embeds
 * Threadline (e2e/embed.spec.ts, e2e/embedReader.spec.ts). Serves
 * `/story/<slug>`: a long article, the embed's script tag, "Related articles"
 * and more of the host's page below. A host that shares Threadline's
 * EMBED_SECRET signs the tag's token on its server, as docs/embed.md shows
 * (the title `Host story <slug>`, the article at 127.0.0.1), so the first view
 * opens the thread; a host without it (another site) puts none. Query parameters
 * shape the host's look: `scheme=<color-scheme>` declares a colour scheme (none
 * by default, as most sites), `background=<css colour>` paints the host page;
 * `url=` sets the tag's data-url and `token=none` leaves the token out.
 */
export interface Host {
  port: number;
  close(): Promise<void>;
}

/** The EMBED_SECRET the specs give Threadline and the allowed host. */
export const E2E_EMBED_SECRET = 'e2e-embed-secret-e2e-embed-secret-e2e';

export async function startHost(threadline: () => string, options: { embedSecret?: string } = {}): Promise<Host> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    // No 404 for the browser's favicon request: the tests watch the console for errors.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const attacked = /^\/attack\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
    if (attacked) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(attackPage(threadline(), attacked, url.searchParams.get('article') ?? ''));
    }
    const slug = /^\/story\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
    if (!slug) return void res.writeHead(404).end();
    const title = `Host story ${slug}`;
    const article = `http://127.0.0.1:${port}/story/${slug}`;
    const token = options.embedSecret && url.searchParams.get('token') !== 'none' ? signEmbedToken({ slug, title, url: article }, options.embedSecret) : null;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(threadline(), slug, { title, token, dataUrl: url.searchParams.get('url') }, { scheme: url.searchParams.get('scheme'), background: url.searchParams.get('background') }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const SAFE_CSS = /^[a-z0-9 #(),.%-]*$/i;

const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function hostPage(threadline: string, slug: string, embed: { title: string; token: string | null; dataUrl: string | null }, look: { scheme: string | null; background: string | null }): string {
  const filler = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1} of the host's own article.</p>`).join('\n');
  const related = Array.from({ length: 5 }, (_, i) => `<li><a href="#related-${i + 1}">Related story ${i + 1}</a></li>`).join('');
  const styles = [look.scheme && SAFE_CSS.test(look.scheme) ? `color-scheme: ${look.scheme};` : '', look.background && SAFE_CSS.test(look.background) ? `background: ${look.background};` : ''].join(' ');
  const attributes = [`data-thread="${slug}"`, embed.token ? `data-token="${embed.token}"` : '', embed.dataUrl ? `data-url="${attribute(embed.dataUrl)}"` : ''].filter(Boolean).join(' ');
  return `<!doctype html><html><head><title>${embed.title}</title>${styles.trim() ? `<style>html { ${styles} }</style>` : ''}</head><body>
<h1>A story on the host site</h1>
${filler}
<script src="${threadline}/embed.js" ${attributes} async></script>
<section id="related"><h2>Related articles</h2><ul>${related}</ul></section>
<footer>${filler}</footer>
</body></html>`;
}

/**
 * A stranger's page (issue 14.3): it frames the embed with a slug and a title of its choosing and
 * the address of an article on an allowed site, sending no Referer (so no header gives it away).
 */
function attackPage(threadline: string, slug: string, article: string): string {
  const query = new URLSearchParams({ url: article, title: 'Cheap pills, chosen by a stranger' });
  const frame = `${threadline}/embed/${slug}?${query.toString()}`;
  return `<!doctype html><html><head><meta name="referrer" content="no-referrer"><title>A stranger's page</title></head><body>
<h1>Not the newsroom</h1>
<iframe class="threadline-frame" referrerpolicy="no-referrer" src="${frame.replace(/&/g, '&amp;')}"></iframe>
</body></html>`;
}

/** The embed's frame on a host page. */
export function embedded(page: Page): FrameLocator {
  return page.frameLocator('iframe.threadline-frame');
}
