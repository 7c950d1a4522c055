import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createServices, type Services } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { createApp, type App } from '../app';
import { silentLogger } from '../log';
import { PAGE_CACHE_HEADER } from '../pageCache/sharedPages';
import { SHARED_PAGE_CACHE_CONTROL } from '../pageCache/sharedPageHeaders';
import { HttpGuest } from '../testing/http';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import { waitFor } from '../testing/wait';

const FRESH_MS = 300;

/**
 * The page cache in front of a stand-in for Next.js that renders whatever a request tells it about
 * its reader (as the pages did before issue 15): the cache must give every reader the page rendered
 * for nobody, never one rendered for someone, and keep the personal requests out of it.
 */
describe('reader pages from the page cache (server/pageCache)', () => {
  let db: TestDatabase;
  let store: Store;
  let services: Services;
  let app: App;
  let baseUrl: string;
  /** The Cookie header each render saw ('' for none). */
  const renders: string[] = [];

  async function standIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    renders.push(req.headers.cookie ?? '');
    const slug = decodeURIComponent(/^\/articles\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
    const thread = await store.findThreadRowBySlug(slug);
    res.setHeader('cache-control', 'private, no-cache, no-store, max-age=0, must-revalidate');
    if (!thread || (thread.hidden && !/tl_session=/.test(req.headers.cookie ?? ''))) {
      res.statusCode = 404;
      return void res.end('<p>no such thread</p>');
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<p data-seq="${thread.seq}">${thread.title}</p><p>reader: ${req.headers.cookie ?? 'nobody'}</p>${'<p>filler</p>'.repeat(200)}`);
  }

  before(async () => {
    db = await createTestDatabase('sqlite');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    services = createServices({ store, sessionSecret: TEST_SESSION_SECRET, rateLimits: false });
    app = createApp({ services, log: silentLogger, pageHandler: standIn, pageHtmlCacheMb: 8, pageFreshMs: FRESH_MS });
    const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await app.close();
    await services.close();
    await store.close();
    await db.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${baseUrl}${path}`, { method, headers });

  test('a page is rendered once for everyone and sent with public caching, a weak ETag bound to the version, and Vary', async () => {
    const { slug, seq } = await createOpenThread(services, 'shared');
    const before = renders.length;
    const first = await get(`/articles/${slug}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get(PAGE_CACHE_HEADER), 'rendered');
    assert.equal(first.headers.get('cache-control'), SHARED_PAGE_CACHE_CONTROL);
    assert.match(first.headers.get('etag') ?? '', new RegExp(`^W/"${seq}-`));
    assert.equal(first.headers.get('vary'), 'Accept-Encoding, Accept-Language');
    assert.doesNotMatch(first.headers.get('content-security-policy') ?? '', /nonce/);
    assert.equal(first.headers.get('set-cookie'), null);
    const body = await first.text();
    assert.match(body, /reader: nobody/);

    const again = await get(`/articles/${slug}?utm_source=feed`, { 'accept-encoding': 'gzip' });
    assert.equal(again.headers.get(PAGE_CACHE_HEADER), 'hit');
    assert.equal(renders.length, before + 1);

    const raw = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      void import('node:http').then(({ get: httpGet }) =>
        httpGet(`${baseUrl}/articles/${slug}`, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    });
    assert.equal(raw.encoding, 'gzip');
    assert.equal(gunzipSync(raw.bytes).toString(), body);

    const notModified = await get(`/articles/${slug}`, { 'if-none-match': first.headers.get('etag')! });
    assert.equal(notModified.status, 304);
    const head = await get(`/articles/${slug}`, { 'accept-encoding': 'identity' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(body)));
    const metrics = (await app.metrics.render()).body;
    assert.match(metrics, /threadline_page_cache_total\{source="hit"\} [1-9]/);
    assert.match(metrics, /threadline_page_cache_total\{source="rendered"\} [1-9]/);
  });

  test('the cache never serves personal data: a guest, a moderator and a no-JavaScript flow never reach it, nor it them', async () => {
    const { slug } = await createOpenThread(services, 'personal');
    const guest = new HttpGuest(baseUrl);
    assert.equal((await guest.post(slug, { body: 'Mine', authorName: 'Guest' })).status, 201);
    assert.ok(guest.cookie);
    const moderator = 'tl_session=a-moderators-session';

    // The guest misses first: the page is rendered without their cookie, and is the one everyone gets.
    const before = renders.length;
    const forGuest = await get(`/articles/${slug}`, { cookie: guest.cookie });
    assert.equal(forGuest.headers.get(PAGE_CACHE_HEADER), 'rendered');
    assert.equal(forGuest.headers.get('set-cookie'), null);
    assert.doesNotMatch(await forGuest.text(), /tl_guest/);
    assert.deepEqual(renders.slice(before), [''], 'the render saw no cookie');

    // A moderator's page and a flow's answer are rendered for them alone, private, and never kept.
    for (const [path, headers] of [
      [`/articles/${slug}`, { cookie: moderator }],
      [`/articles/${slug}?error=too_long&field=body`, { cookie: guest.cookie }],
      [`/articles/${slug}?replyTo=c1`, {}],
    ] as const) {
      const res = await get(path, headers);
      assert.equal(res.headers.get(PAGE_CACHE_HEADER), null, path);
      assert.match(res.headers.get('cache-control') ?? '', /private/, path);
    }
    assert.ok(renders.some((cookie) => cookie === moderator), "the moderator's own render saw their session");

    const anonymous = await get(`/articles/${slug}`);
    assert.equal(anonymous.headers.get(PAGE_CACHE_HEADER), 'hit');
    const text = await anonymous.text();
    assert.match(text, /reader: nobody/);
    assert.doesNotMatch(text, /tl_guest|tl_session|a-moderators-session/);
  });

  test('a 404 is sent as rendered and kept by no one; readers who miss together wait for one render', async () => {
    const missing = await get('/articles/no-such-thread');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('cache-control'), 'private, no-store');
    assert.equal((await get('/articles/no-such-thread')).headers.get(PAGE_CACHE_HEADER), 'pass');

    const { slug } = await createOpenThread(services, 'crowd');
    const before = renders.length;
    const crowd = await Promise.all(Array.from({ length: 25 }, () => get(`/articles/${slug}`)));
    assert.ok(crowd.every((res) => res.status === 200));
    assert.equal(renders.length - before, 1);
  });

  test("a hidden thread is a 404 for everyone the cache answers; a moderator's view of it is theirs, never kept", async () => {
    const { slug } = await createOpenThread(services, 'hidden');
    assert.equal((await get(`/articles/${slug}`)).headers.get(PAGE_CACHE_HEADER), 'rendered');
    const { user: admin } = await store.accounts.upsertUser({ username: `admin-${slug.slice(-8)}`, passwordHash: 'x', role: 'admin' });
    await services.moderation.setThreadHidden({ slug, hidden: true, actor: admin });

    const moderators = await get(`/articles/${slug}`, { cookie: 'tl_session=an-admins-session' });
    assert.equal(moderators.status, 200, 'the stand-in shows staff the hidden thread');
    assert.match(moderators.headers.get('cache-control') ?? '', /private/);
    for (let i = 0; i < 2; i++) {
      const reader = await get(`/articles/${slug}`);
      assert.equal(reader.status, 404);
      assert.equal(reader.headers.get('cache-control'), 'private, no-store');
      assert.doesNotMatch(await reader.text(), /an-admins-session|data-seq/);
    }
  });

  test("a change on this node drops the thread's pages at once; one on another node is seen within the freshness window", async () => {
    const { slug } = await createOpenThread(services, 'changes');
    const etag = (await get(`/articles/${slug}`)).headers.get('etag');
    assert.equal((await new HttpGuest(baseUrl).post(slug, { body: 'Here', authorName: 'A' })).status, 201);
    const afterLocal = await get(`/articles/${slug}`);
    assert.equal(afterLocal.headers.get(PAGE_CACHE_HEADER), 'rendered');
    assert.notEqual(afterLocal.headers.get('etag'), etag);
    assert.equal((await get(`/articles/${slug}`, { 'if-none-match': etag! })).status, 200, 'an old version is not "not modified"');

    // Another node: the same store, its own services, whose events this node never hears.
    const other = createServices({ store, sessionSecret: TEST_SESSION_SECRET, rateLimits: false });
    try {
      const seq = (await store.findThreadRowBySlug(slug))!.seq;
      await other.comments.create({ slug, input: { parentId: null, body: 'From elsewhere', authorName: 'B' }, guestId: 'g-elsewhere', address: '10.0.0.9' });
      await waitFor('the page of the version the other node made', async () => {
        const res = await get(`/articles/${slug}`);
        return (res.headers.get('etag') ?? '').startsWith(`W/"${seq + 1}-`);
      });
    } finally {
      await other.close();
    }
  });
});
