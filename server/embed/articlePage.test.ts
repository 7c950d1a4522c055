import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fetchArticlePage, readArticleHtml } from './articlePage';
import { parseThreadUrlPattern, type ThreadUrlPattern } from './threadUrls';

const PAGE = 'https://news.example.com/2026/11/vote';

describe('reading an article page', () => {
  test('the slugs of its script tags, og:title before <title>, and the canonical address', () => {
    const html = `<!doctype html><html><head>
      <title>Vote &amp; more | The News</title>
      <meta property="og:title" content="Council approves the &quot;new&quot; bridge">
      <link rel="alternate canonical" href="/2026/11/vote/">
      </head><body>
      <script src="https://comments.example.com/embed.js" data-thread="council-bridge-vote" async></script>
      <script data-thread='second-thread' src=x></script>
      </body></html>`;
    assert.deepEqual(readArticleHtml(html, PAGE), { title: 'Council approves the "new" bridge', canonical: 'https://news.example.com/2026/11/vote/', threads: ['council-bridge-vote', 'second-thread'] });
  });

  test('without og:title, the first <title>, entities decoded and cleaned; neither: null', () => {
    assert.equal(readArticleHtml('<title>\n  Vote &#8212; the  news\u0000 </title><svg><title>icon</title></svg>', PAGE).title, 'Vote — the news');
    assert.equal(readArticleHtml('<p>no title</p>', PAGE).title, null);
  });

  test('tags inside comments, scripts and styles, or in text, do not count', () => {
    const html = `<!-- <script data-thread="commented-out"></script> -->
      <script>document.write('<script data-thread="in-a-string"><\\/script>'); var t = '<title>Nope</title>';</script>
      <style>/* <meta property="og:title" content="Nope"> */</style>
      <p>&lt;script data-thread="escaped-text"&gt;</p>
      <div data-thread="not-a-script"></div>
      <title>Real</title>`;
    assert.deepEqual(readArticleHtml(html, PAGE), { title: 'Real', canonical: null, threads: [] });
  });

  test('a > inside a quoted attribute does not end the tag', () => {
    assert.deepEqual(readArticleHtml('<script data-x="a>b" data-thread="quoted"></script>', PAGE).threads, ['quoted']);
  });
});

describe('fetching an article page', () => {
  let server: http.Server;
  let origin = '';
  let listed: ThreadUrlPattern[];
  const pages = new Map<string, (res: http.ServerResponse) => void>();
  const html = (body: string, type = 'text/html; charset=utf-8') => (res: http.ServerResponse) => res.writeHead(200, { 'content-type': type }).end(body);

  before(async () => {
    server = http.createServer((req, res) => {
      const page = pages.get(req.url ?? '');
      if (page) page(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    listed = [parseThreadUrlPattern(`${origin}/news/*`) as ThreadUrlPattern];
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetchPage = (path: string, options = {}) => fetchArticlePage({ url: `${origin}${path}`, patterns: listed, options });

  test('a page it may read: title, threads, and its canonical address when that is listed too', async () => {
    pages.set('/news/a', html(`<title>A</title><link rel=canonical href="${origin}/news/a-canonical"><script data-thread="a"></script>`));
    assert.deepEqual(await fetchPage('/news/a#x'), { ok: true, page: { articleUrl: `${origin}/news/a-canonical`, title: 'A', threads: ['a'] } });
    pages.set('/news/b', html('<title>B</title><link rel=canonical href="https://elsewhere.example/b">'));
    assert.deepEqual(await fetchPage('/news/b'), { ok: true, page: { articleUrl: `${origin}/news/b`, title: 'B', threads: [] } }, 'a canonical elsewhere is not taken');
  });

  test('a page in another charset is decoded as it says', async () => {
    pages.set('/news/latin', (res) => res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from('<title>Gr\u00fc\u00dfe</title>', 'latin1')));
    const read = await fetchPage('/news/latin');
    assert.ok(read.ok);
    assert.equal(read.page.title, 'Grüße');
  });

  test('redirects are followed only to listed addresses, and only a few', async () => {
    pages.set('/news/moved', (res) => res.writeHead(301, { location: '/news/a' }).end());
    const moved = await fetchPage('/news/moved');
    assert.ok(moved.ok);
    assert.equal(moved.page.title, 'A');
    pages.set('/news/away', (res) => res.writeHead(302, { location: '/private/admin' }).end());
    assert.deepEqual(await fetchPage('/news/away'), { ok: false, detail: `${origin}/news/away redirects to /private/admin, which EMBED_THREAD_URLS does not list` });
    pages.set('/news/loop', (res) => res.writeHead(302, { location: '/news/loop' }).end());
    assert.match(((await fetchPage('/news/loop')) as { detail: string }).detail, /more than 3 redirects/);
  });

  test('an address not listed is not fetched at all', async () => {
    let asked = false;
    pages.set('/private/x', (res) => {
      asked = true;
      res.writeHead(200).end();
    });
    assert.match(((await fetchPage('/private/x')) as { detail: string }).detail, /not an address EMBED_THREAD_URLS lists/);
    assert.equal(asked, false);
  });

  test('an error status, a type other than HTML, a slow page or an unreachable one is a failure saying so', async () => {
    assert.match(((await fetchPage('/news/missing')) as { detail: string }).detail, /answered 404/);
    pages.set('/news/json', html('{"title":"x"}', 'application/json'));
    assert.match(((await fetchPage('/news/json')) as { detail: string }).detail, /application\/json, not an HTML page/);
    pages.set('/news/slow', (res) => void setTimeout(() => html("<title>late</title>")(res), 1000).unref());
    assert.match(((await fetchPage('/news/slow', { timeoutMs: 200 })) as { detail: string }).detail, /took longer than 200 ms/);
    const nowhere = [parseThreadUrlPattern('http://127.0.0.1:1/news/*') as ThreadUrlPattern];
    assert.match(((await fetchArticlePage({ url: 'http://127.0.0.1:1/news/x', patterns: nowhere })) as { detail: string }).detail, /could not be read/);
  });

  test('a huge page is read up to the cap only: what lies beyond it is not seen', async () => {
    const filler = 'x'.repeat(64 * 1024);
    pages.set('/news/huge', (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<title>Huge</title>');
      for (let i = 0; i < 64; i++) res.write(filler);
      res.end('<script data-thread="too-far"></script>');
    });
    const read = await fetchPage('/news/huge', { maxBytes: 256 * 1024 });
    assert.ok(read.ok);
    assert.deepEqual([read.page.title, read.page.threads], ['Huge', []]);
  });
});
