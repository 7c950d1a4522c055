import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { EMBED_THEME_HEADER } from '../../lib/domain/embed';
import { GUEST_ID_HEADER } from '../../lib/domain/guestToken';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { sendRequest, type HttpResult } from '../testing/http';
import { createOpenThread, startNode, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';

const SITE = 'https://blog.example.org';
const FOREIGN = 'https://evil.example';
/** What a browser sends with a frame's request on an allowed host page. */
const FRAMED = { 'sec-fetch-dest': 'iframe', referer: `${SITE}/` };

/** Stands in for Next.js: answers with what the page render would see of the request. */
function echoPage(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ guest: req.headers[GUEST_ID_HEADER] ?? null, theme: req.headers[EMBED_THEME_HEADER] ?? null }));
}

function embedPath(slug: string, query: Record<string, string>): string {
  return `/embed/${slug}?${new URLSearchParams(query).toString()}`;
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the embed (${kind})`, () => {
    let db: TestDatabase | undefined;
    let node: TestNode;
    let proxied: TestNode;
    let n = 0;
    const freshSlug = () => `embed-${kind}-${process.pid}-${++n}`;
    const get = (path: string, headers: Record<string, string> = {}, target: TestNode = node): Promise<HttpResult> =>
      sendRequest({ baseUrl: target.baseUrl, method: 'GET', path, cookie: undefined, headers });
    const threadExists = async (slug: string) => Boolean(await node.store.findThreadBySlug(slug));

    before(async () => {
      db = await createTestDatabase(kind);
      node = await startNode({ db, passwordCost: TEST_PASSWORD_COST, pageHandler: echoPage, edge: { embedOrigins: [SITE] } });
      // Behind a TLS-terminating proxy, as in production.
      proxied = await startNode({ db, passwordCost: TEST_PASSWORD_COST, pageHandler: echoPage, edge: { embedOrigins: [SITE], trustProxy: true } });
    });

    after(async () => {
      await proxied?.close();
      await node?.close();
      await db?.cleanup();
    });

    test('GET /embed.js: plain JavaScript any site may load, cached briefly and revalidated', async () => {
      const res = await get('/embed.js');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
      assert.match(String(res.body), /data-thread/);
      assert.ok(String(res.body).length < 8000, `small: ${String(res.body).length} characters`);
      const again = await get('/embed.js', { 'if-none-match': res.headers.get('etag')! });
      assert.equal(again.status, 304);
    });

    test('the first framed view from an allowed site opens the thread, titled from data-title, with no article text', async () => {
      const slug = freshSlug();
      const res = await get(embedPath(slug, { url: `${SITE}/a-story`, title: '  A  story\u0000 ', theme: 'dark' }), FRAMED);
      assert.equal(res.status, 200);
      assert.equal((res.body as { theme: string }).theme, 'dark');
      const thread = await node.store.findThreadBySlug(slug);
      assert.equal(thread?.title, 'A story');
      assert.equal(thread?.article, '');
      // A second view finds it.
      assert.equal((await get(embedPath(slug, { url: `${SITE}/a-story`, title: 'Another title' }), FRAMED)).status, 200);
      assert.equal((await node.store.findThreadBySlug(slug))?.title, 'A story');
    });

    test('simultaneous first views open one thread', async () => {
      const slug = freshSlug();
      const views = await Promise.all(Array.from({ length: 8 }, () => get(embedPath(slug, { url: `${SITE}/busy`, title: 'Busy' }), FRAMED)));
      assert.deepEqual(new Set(views.map((v) => v.status)), new Set([200]));
      const threads = (await node.store.listThreads()).filter((t) => t.slug === slug || t.slug.startsWith(`${slug}-`));
      assert.equal(threads.length, 1);
    });

    test('the thread service opens one thread under concurrent calls and says which call did', async () => {
      const slug = freshSlug();
      const results = await Promise.all(Array.from({ length: 8 }, () => node.services.threads.ensureThread({ slug, title: 'Race' })));
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.thread.slug)).size, 1);
    });

    test('no thread is opened for a site not in EMBED_ORIGINS, outside a frame, framed by another site, or without a url', async () => {
      const cases: [Record<string, string>, Record<string, string>][] = [
        [{ url: `${FOREIGN}/a` }, FRAMED],
        [{ url: `${SITE}/a` }, { 'sec-fetch-dest': 'document' }],
        [{ url: `${SITE}/a` }, { 'sec-fetch-dest': 'iframe', referer: `${FOREIGN}/page` }],
        [{}, FRAMED],
      ];
      for (const [query, headers] of cases) {
        const slug = freshSlug();
        const res = await get(embedPath(slug, query), headers);
        // Next.js renders its 404 for the unknown thread; the stand-in just echoes.
        assert.equal(res.status, 200);
        assert.equal(await threadExists(slug), false, JSON.stringify([query, headers]));
      }
    });

    test('a bad slug, url, title or theme is a 400 naming the field; a write method is 405', async () => {
      const bad = await get(embedPath('Bad_Slug', { url: 'javascript:alert(1)', theme: 'neon' }), FRAMED);
      assert.equal(bad.status, 400);
      const error = (bad.body as { error: { code: string; fields: Record<string, string[]> } }).error;
      assert.equal(error.code, 'invalid_request');
      assert.deepEqual(Object.keys(error.fields).sort(), ['slug', 'theme', 'url']);
      const post = await sendRequest({ baseUrl: node.baseUrl, method: 'POST', path: '/embed/x', cookie: undefined, json: {} });
      assert.equal(post.status, 405);
    });

    test('the embed may be framed by EMBED_ORIGINS only; every other page by nobody', async () => {
      const { slug } = await createOpenThread(node.services, 'framed');
      const embed = await get(embedPath(slug, { url: `${SITE}/x` }), FRAMED);
      assert.equal(embed.headers.get('x-frame-options'), null);
      assert.match(embed.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors ${SITE}(;|$)`));
      assert.match(embed.headers.get('content-security-policy') ?? '', /'nonce-/);
      const article = await get(`/articles/${slug}`);
      assert.equal(article.headers.get('x-frame-options'), 'DENY');
      assert.match(article.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      const api = await get(`/api/threads/${slug}`);
      assert.equal(api.headers.get('x-frame-options'), 'DENY');
    });

    test('a client cannot set the theme header for an ordinary page', async () => {
      const { slug } = await createOpenThread(node.services, 'theme');
      const res = await get(`/articles/${slug}`, { [EMBED_THEME_HEADER]: 'dark' });
      assert.equal((res.body as { theme: string | null }).theme, null);
    });

    test('the reader gets a guest with the page: a Lax cookie over plain HTTP, SameSite=None; Secure; Partitioned over HTTPS', async () => {
      const { slug } = await createOpenThread(node.services, 'cookie');
      const plain = await get(embedPath(slug, { url: `${SITE}/x` }), FRAMED);
      const guest = (plain.body as { guest: string }).guest;
      assert.ok(guest);
      assert.equal(plain.setCookies.length, 1);
      assert.match(plain.setCookies[0]!, /; HttpOnly; SameSite=Lax$/);
      const tls = await get(embedPath(slug, { url: `${SITE}/x` }), { ...FRAMED, 'x-forwarded-proto': 'https' }, proxied);
      assert.match(tls.setCookies[0]!, /; HttpOnly; SameSite=None; Secure; Partitioned$/);
      // With the cookie, the same guest, and no new cookie.
      const cookie = plain.setCookies[0]!.split(';')[0]!;
      const back = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: embedPath(slug, { url: `${SITE}/x` }), cookie, headers: FRAMED });
      assert.equal((back.body as { guest: string }).guest, guest);
      assert.deepEqual(back.setCookies, []);
    });
  });
}
