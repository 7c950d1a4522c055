import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER } from '../../lib/domain/embed';
import { signEmbedToken } from '../../lib/domain/embedToken';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { parseThreadUrlPattern, type ThreadUrlPattern } from '../embed/threadUrls';
import { rawRequest, sendRequest, type HttpResult } from '../testing/http';
import { everyThread } from '../testing/everyThread';
import { captureLog } from '../testing/logCapture';
import { createOpenThread, startNode, TEST_PASSWORD_COST, type StartNodeOptions, type TestNode } from '../testing/nodes';
import { waitFor } from '../testing/wait';

const SITE = 'https://blog.example.org';
const FOREIGN = 'https://evil.example';
const SECRET = 'embed-secret-for-the-tests-embed-secret';
/** What a browser sends with a frame's request on an allowed host page: anyone can send it too. */
const FRAMED = { 'sec-fetch-dest': 'iframe', referer: `${SITE}/` };

/**
 * Stands in for Next.js: its 404 for a thread that does not exist, else what the
 * page render would see of the request (the theme, where permalinks lead).
 */
function echoPage(node: () => TestNode) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const slug = decodeURIComponent(/^\/embed\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
    const exists = Boolean(await node().store.findThreadRowBySlug(slug));
    res.statusCode = exists ? 200 : 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ theme: req.headers[EMBED_THEME_HEADER] ?? null, permalinks: req.headers[EMBED_URL_HEADER] ?? null }));
  };
}

function embedPath(slug: string, query: Record<string, string>): string {
  return `/embed/${slug}?${new URLSearchParams(query).toString()}`;
}

/**
 * The operator's own site for EMBED_THREAD_URLS: `/story/<name>` pages that embed
 * the thread `<name>` (or the thread the test set), titled, with a canonical link;
 * it counts the reads of each page.
 */
interface HostSite {
  origin: string;
  pattern: ThreadUrlPattern;
  reads: Map<string, number>;
  /** Pages by path; a path not set is a 404. */
  pages: Map<string, (res: ServerResponse) => void>;
  article(path: string, page: { title: string; thread: string; canonical?: string }): void;
  close(): Promise<void>;
}

async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, (res: ServerResponse) => void>();
  const reads = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    reads.set(path, (reads.get(path) ?? 0) + 1);
    const page = pages.get(path);
    if (page) page(res);
    else res.writeHead(404, { 'content-type': 'text/html' }).end('<title>Not found</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pattern: parseThreadUrlPattern(`${origin}/story/*`) as ThreadUrlPattern,
    reads,
    pages,
    article(path, page) {
      const canonical = page.canonical ? `<link rel="canonical" href="${page.canonical}">` : '';
      pages.set(path, (res) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${page.title} | The Host</title>
<meta property="og:title" content="${page.title}">${canonical}</head><body><h1>${page.title}</h1>
<script src="https://comments.example.com/embed.js" data-thread="${page.thread}" async></script></body></html>`),
      );
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the embed (${kind})`, () => {
    let db: TestDatabase | undefined;
    let host: HostSite;
    /** EMBED_ORIGINS only: threads come from the operator. */
    let plain: TestNode;
    /** With EMBED_SECRET and EMBED_THREAD_URLS. */
    let node: TestNode;
    let proxied: TestNode;
    const log = captureLog();
    const nodes: TestNode[] = [];
    let n = 0;
    const freshSlug = () => `embed-${kind}-${process.pid}-${++n}`;
    const get = (path: string, headers: Record<string, string> = {}, target: TestNode = node): Promise<HttpResult> =>
      sendRequest({ baseUrl: target.baseUrl, method: 'GET', path, cookie: undefined, headers });
    const threadOf = (slug: string) => node.store.findThreadRowBySlug(slug);
    const token = (claims: { slug: string; title: string; url: string; exp?: number }, secret = SECRET) => signEmbedToken(claims, secret);
    const logged = (pattern: RegExp) => waitFor(`a log line ${pattern}`, () => log.entries().find((e) => pattern.test(e.msg)));

    async function start(options: Omit<StartNodeOptions, 'db' | 'pageHandler'>): Promise<TestNode> {
      // The stand-in page reads the node's store, once the node is there to be asked.
      const started: TestNode = await startNode({ db: db!, passwordCost: TEST_PASSWORD_COST, log: log.log, pageHandler: echoPage(() => started), ...options });
      nodes.push(started);
      return started;
    }

    before(async () => {
      db = await createTestDatabase(kind);
      host = await startHostSite();
      const embedOrigins = [SITE, host.origin];
      const embed = { secret: SECRET, threadUrls: [host.pattern], pageFetch: { timeoutMs: 1000 } };
      plain = await start({ edge: { embedOrigins } });
      node = await start({ edge: { embedOrigins }, embed });
      // Behind a TLS-terminating proxy, as in production.
      proxied = await start({ edge: { embedOrigins, trustProxy: true }, embed });
    });

    after(async () => {
      for (const started of nodes) await started.close();
      await host?.close();
      await db?.cleanup();
    });

    test('GET /embed.js: plain JavaScript any site may load, cached briefly and revalidated', async () => {
      const res = await get('/embed.js');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
      assert.match(String(res.body), /data-thread/);
      assert.match(String(res.body), /data-token/);
      assert.ok(String(res.body).length < 8000, `small: ${String(res.body).length} characters`);
      const again = await get('/embed.js', { 'if-none-match': res.headers.get('etag')! });
      assert.equal(again.status, 304);
    });

    test('the attack: 200 GETs from curl with chosen slugs and titles and forged Referer and Sec-Fetch-Dest, and forged tokens and pages, open nothing', async () => {
      // A budget the attack cannot reach: what stops it must be the rules, not the rate limit.
      const attacked = await start({ edge: { embedOrigins: [SITE, host.origin] }, embed: { secret: SECRET, threadUrls: [host.pattern] }, limits: { httpWrites: { points: 100_000, durationSeconds: 60 } } });
      const real = freshSlug();
      host.article(`/story/${real}`, { title: 'The real story', thread: real });
      const stolen = token({ slug: real, title: 'The real story', url: `${host.origin}/story/${real}` });
      /** Every slug is tried the old way (the issue's attack); every tenth each other way too. */
      const attempts = (slug: string, i: number): [TestNode, Record<string, string>][] => {
        const chosen = { title: `Cheap pills ${i}`, theme: 'dark' };
        // The old way: an allowed site's address and headers saying "framed there".
        const oldWay: [TestNode, Record<string, string>][] = [
          [plain, { ...chosen, url: `${SITE}/story/${slug}` }],
          [attacked, { ...chosen, url: `${SITE}/story/${slug}` }],
        ];
        if (i % 10 !== 0) return oldWay;
        return [
          ...oldWay,
          // A page of the operator's site that does not exist, or that embeds another thread.
          [attacked, { ...chosen, url: `${host.origin}/story/${slug}` }],
          [attacked, { ...chosen, url: `${host.origin}/story/${real}` }],
          // Tokens: made up, signed with a guessed secret, or a real one for another thread.
          [attacked, { ...chosen, url: `${SITE}/x`, token: 'eyJhbGciOiJub25lIn0.eyJzbHVnIjoieCJ9.' }],
          [attacked, { ...chosen, url: `${SITE}/x`, token: `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ slug, title: chosen.title, url: `${SITE}/x` })).toString('base64url')}.AAAA` }],
          [attacked, { ...chosen, url: `${SITE}/x`, token: token({ slug, title: chosen.title, url: `${SITE}/x` }, 'a-guessed-secret-a-guessed-secret-a-gu') }],
          [attacked, { ...chosen, url: `${SITE}/x`, token: stolen }],
        ];
      };
      const slugs = Array.from({ length: 200 }, (_, i) => `chosen-${kind}-${process.pid}-${i}`);
      const statuses = new Set<number>();
      for (let i = 0; i < slugs.length; i += 20) {
        await Promise.all(
          slugs.slice(i, i + 20).flatMap((slug, j) =>
            attempts(slug, i + j).map(async ([target, query]) => {
              const res = await rawRequest({ baseUrl: target.baseUrl, path: embedPath(slug, query), headers: FRAMED });
              statuses.add(res.status);
            }),
          ),
        );
      }
      // Each is the not-found page: never a 500, never a thread.
      assert.deepEqual([...statuses], [404]);
      const opened = (await everyThread(attacked.services.threads)).filter((t) => t.slug.startsWith(`chosen-${kind}-`) || t.title.startsWith('Cheap pills') || t.slug === real);
      assert.deepEqual(opened, []);
      await logged(new RegExp(`no thread chosen-${kind}-\\S+ and none opened: neither EMBED_SECRET nor EMBED_THREAD_URLS is set`));
      await logged(/none opened: the token was refused \(bad_signature\): the signature does not match EMBED_SECRET/);
      await logged(/none opened: the token was refused \(malformed\): not three base64url parts/);
      await logged(/none opened: the token was refused \(malformed\): the header's alg is "none", not "HS256"/);
      await logged(new RegExp(`none opened: the token was refused \\(other_slug\\): made for the thread ${real}`));
      await logged(new RegExp(`none opened: no token, and ${SITE.replace(/\./g, '\\.')}/story/\\S+ is not an address EMBED_THREAD_URLS lists`));
      await logged(/none opened: its page could not be read: \S+ answered 404/);
      await logged(new RegExp(`none opened: the page \\S+/story/${real} embeds ${real}, not chosen-`));
    });

    test("a valid token opens exactly one thread, with the token's title and article, not the address's", async () => {
      const slug = freshSlug();
      const article = `${SITE}/2026/a-story`;
      const signed = token({ slug, title: '  A  story\u0000 ', url: `${article}#comments` });
      const views = await Promise.all(
        Array.from({ length: 8 }, () => get(embedPath(slug, { url: `${FOREIGN}/elsewhere`, title: 'Chosen by whoever asked', token: signed, theme: 'dark' }))),
      );
      assert.deepEqual(new Set(views.map((v) => v.status)), new Set([200]));
      assert.equal((views[0]!.body as { theme: string }).theme, 'dark');
      const thread = await threadOf(slug);
      assert.equal(thread?.title, 'A story');
      assert.equal(thread?.article, '');
      assert.equal(thread?.articleUrl, article);
      assert.deepEqual(
        (await everyThread(node.services.threads)).filter((t) => t.slug === slug || t.slug.startsWith(`${slug}-`)).map((t) => t.title),
        ['A story'],
      );
      await logged(new RegExp(`embed: opened thread ${slug} \\(signed token\\) for ${article.replace(/\./g, '\\.')}$`));
      // Permalinks lead to the token's article, whatever url a view carries.
      assert.equal((views[0]!.body as { permalinks: string }).permalinks, article);
    });

    test('a later token with another title does not rename the thread, and a view without a token still shows it', async () => {
      const slug = freshSlug();
      const url = `${SITE}/renamed`;
      assert.equal((await get(embedPath(slug, { token: token({ slug, title: 'First title', url }) }))).status, 200);
      assert.equal((await get(embedPath(slug, { token: token({ slug, title: 'Second title', url: `${SITE}/moved` }) }))).status, 200);
      assert.equal((await get(embedPath(slug, { url }))).status, 200);
      const thread = await threadOf(slug);
      assert.deepEqual([thread?.title, thread?.articleUrl], ['First title', url]);
    });

    test('an expired token, or one for another slug, opens nothing; the page is the not-found page', async () => {
      const slug = freshSlug();
      const expired = await get(embedPath(slug, { token: token({ slug, title: 'Late', url: `${SITE}/late`, exp: Math.floor(Date.now() / 1000) - 3600 }) }));
      assert.equal(expired.status, 404);
      await logged(new RegExp(`no thread ${slug} and none opened: the token was refused \\(expired\\): expired at `));
      const other = await get(embedPath(slug, { token: token({ slug: 'another-story', title: 'Other', url: `${SITE}/other` }) }));
      assert.equal(other.status, 404);
      assert.equal(await threadOf(slug), undefined);
      // A token that lapses later works until then.
      const lasting = await get(embedPath(slug, { token: token({ slug, title: 'On time', url: `${SITE}/on-time`, exp: Math.floor(Date.now() / 1000) + 3600 }) }));
      assert.equal(lasting.status, 200);
      assert.equal((await threadOf(slug))?.title, 'On time');
    });

    test('without EMBED_SECRET a token opens nothing, and says why', async () => {
      const slug = freshSlug();
      const res = await get(embedPath(slug, { token: token({ slug, title: 'Signed', url: `${SITE}/signed` }) }), FRAMED, plain);
      assert.equal(res.status, 404);
      assert.equal(await threadOf(slug), undefined);
      await logged(new RegExp(`no thread ${slug} and none opened: a token came, but EMBED_SECRET is not set`));
    });

    test("a page of the operator's site (EMBED_THREAD_URLS) that embeds the slug opens it once, titled from the page, bound to its canonical address", async () => {
      const slug = freshSlug();
      const canonical = `${host.origin}/story/${slug}`;
      host.article(`/story/${slug}`, { title: 'Council &amp; the bridge', thread: slug, canonical: `${canonical}?from=canonical` });
      const views = await Promise.all(Array.from({ length: 8 }, () => get(embedPath(slug, { url: `${canonical}?utm_source=feed#top`, title: 'Chosen by whoever asked' }))));
      assert.deepEqual(new Set(views.map((v) => v.status)), new Set([200]));
      const thread = await threadOf(slug);
      assert.equal(thread?.title, 'Council & the bridge');
      assert.equal(thread?.articleUrl, `${canonical}?from=canonical`);
      assert.equal(host.reads.get(`/story/${slug}`), 1, 'simultaneous first views read the page once');
      await logged(new RegExp(`embed: opened thread ${slug} \\(its page on the operator’s site\\)`));
      // Another slug cannot be bound to the same page: the page names the thread.
      const squatter = freshSlug();
      assert.equal((await get(embedPath(squatter, { url: canonical }))).status, 404);
      assert.equal(await threadOf(squatter), undefined);
    });

    test("the operator's page opens nothing when it cannot be read: slow, missing, not HTML, or redirecting off the list", async () => {
      const cases: [string, (res: ServerResponse) => void, RegExp][] = [
        ['slow', (res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>late</title>'), 3000).unref(), /took longer than 1000 ms/],
        ['json', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), /not an HTML page/],
        ['away', (res) => res.writeHead(302, { location: '/admin/secret' }).end(), /which EMBED_THREAD_URLS does not list/],
        ['gone', (res) => res.writeHead(410).end(), /answered 410/],
      ];
      for (const [name, page, why] of cases) {
        const slug = `${freshSlug()}-${name}`;
        host.pages.set(`/story/${slug}`, page);
        assert.equal((await get(embedPath(slug, { url: `${host.origin}/story/${slug}` }))).status, 404, name);
        assert.equal(await threadOf(slug), undefined, name);
        await logged(new RegExp(`no thread ${slug} and none opened: its page could not be read: .*${why.source}`));
      }
      assert.equal(host.reads.get('/admin/secret'), undefined, 'a redirect off the list is not followed');
    });

    test('opening counts against the address’s write budget; over it, a 429 and no thread', async () => {
      const tight = await start({ edge: { embedOrigins: [SITE] }, embed: { secret: SECRET }, limits: { httpWrites: { points: 2, durationSeconds: 60 } } });
      const statuses: number[] = [];
      const slugs = [freshSlug(), freshSlug(), freshSlug()];
      for (const slug of slugs) statuses.push((await get(embedPath(slug, { token: token({ slug, title: 'Budget', url: `${SITE}/b` }) }), {}, tight)).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.equal(await threadOf(slugs[2]!), undefined);
      // An existing thread still shows: only opening is a write.
      assert.equal((await get(embedPath(slugs[0]!, {}), {}, tight)).status, 200);
    });

    test('with neither EMBED_SECRET nor EMBED_THREAD_URLS an embed opens nothing; the operator’s threads show', async () => {
      const slug = freshSlug();
      assert.equal((await get(embedPath(slug, { url: `${SITE}/a`, title: 'A' }), FRAMED, plain)).status, 404);
      assert.equal(await threadOf(slug), undefined);
      const { slug: made } = await createOpenThread(plain.services, 'operator');
      assert.equal((await get(embedPath(made, { url: `${SITE}/a` }), FRAMED, plain)).status, 200);
    });

    test('permalinks lead to an allowed site only: a url elsewhere is ignored, the thread’s own article wins, a client cannot set them', async () => {
      const { slug } = await createOpenThread(node.services, 'permalinks');
      const permalinks = async (query: Record<string, string>, headers: Record<string, string> = {}) => ((await get(embedPath(slug, query), headers)).body as { permalinks: string | null }).permalinks;
      assert.equal(await permalinks({ url: `${SITE}/story#x` }), `${SITE}/story`);
      assert.equal(await permalinks({ url: `${host.origin}/story/a` }), `${host.origin}/story/a`);
      for (const url of [`${FOREIGN}/phish`, 'http://blog.example.org/story', `${SITE}.evil.example/story`]) {
        assert.equal(await permalinks({ url }), null, url);
      }
      assert.equal(await permalinks({}), null);
      assert.equal(await permalinks({ url: `${FOREIGN}/phish` }, { [EMBED_URL_HEADER]: `${FOREIGN}/phish` }), null, 'a client copy of the header is dropped');

      const opened = freshSlug();
      await get(embedPath(opened, { token: token({ slug: opened, title: 'Bound', url: `${SITE}/bound` }) }));
      const bound = await get(embedPath(opened, { url: `${FOREIGN}/phish` }));
      assert.equal((bound.body as { permalinks: string }).permalinks, `${SITE}/bound`);
    });

    test('a bad slug, url or theme is a 400 naming the field; a write method is 405', async () => {
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
      assert.match(embed.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors ${SITE} ${host.origin}(;|$)`));
      assert.match(embed.headers.get('content-security-policy') ?? '', /'nonce-/);
      const article = await get(`/articles/${slug}`);
      assert.equal(article.headers.get('x-frame-options'), 'DENY');
      assert.match(article.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      const api = await get(`/api/threads/${slug}`);
      assert.equal(api.headers.get('x-frame-options'), 'DENY');
    });

    test('a client cannot set the theme or permalink header for an ordinary page', async () => {
      const { slug } = await createOpenThread(node.services, 'theme');
      const res = await get(`/articles/${slug}`, { [EMBED_THEME_HEADER]: 'dark', [EMBED_URL_HEADER]: `${FOREIGN}/x` });
      assert.deepEqual([(res.body as { theme: string | null }).theme, (res.body as { permalinks: string | null }).permalinks], [null, null]);
    });

    test("no cookie with the page (it is everyone's); the reader's first own read sets one: Lax over plain HTTP, SameSite=None; Secure; Partitioned over HTTPS", async () => {
      const { slug } = await createOpenThread(node.services, 'cookie');
      const page = await get(embedPath(slug, { url: `${SITE}/x` }), FRAMED);
      assert.equal(page.status, 200);
      assert.deepEqual(page.setCookies, []);
      const plainHttp = await get(`/api/threads/${slug}/viewer?frame=1`);
      assert.equal(plainHttp.setCookies.length, 1);
      assert.match(plainHttp.setCookies[0]!, /; HttpOnly; SameSite=Lax$/);
      const tls = await get(`/api/threads/${slug}/viewer?frame=1`, { 'x-forwarded-proto': 'https' }, proxied);
      assert.match(tls.setCookies[0]!, /; HttpOnly; SameSite=None; Secure; Partitioned$/);
      // With the cookie, no new one.
      const cookie = plainHttp.setCookies[0]!.split(';')[0]!;
      const back = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer?frame=1`, cookie });
      assert.equal(back.status, 200);
      assert.deepEqual(back.setCookies, []);
    });
  });
}
