import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ErrorResponseSchema } from '../../lib/contract/errors';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { rawRequest } from '../testing/http';
import { captureLog } from '../testing/logCapture';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';

const HOST_SITE = 'https://blog.example.org';
/** Header values a log line must never hold for these requests (the cookie is redacted anyway; these are not). */
const PROBE_HEADERS = { 'x-probe': 'PROBE-HEADER-VALUE', 'user-agent': 'PROBE-USER-AGENT', cookie: 'tl_guest=PROBE-COOKIE' };

/**
 * Stands in for Next.js as it treats the path: it decodes it to find the route (a malformed escape
 * throws, which the real one answers with a plain-text 500), renders its 404 for a missing thread,
 * and fails for a `boom` one.
 */
function nextLike(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  if (path.includes('boom')) throw new Error('the render failed');
  res.statusCode = path.includes('missing') ? 404 : 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<p>${res.statusCode}</p>`);
}

/** Paths no decoder can read: a bad escape, a cut one, a cut UTF-8 sequence, an overlong one. */
const UNDECODABLE_PAGES = ['/articles/%ZZ', '/articles/%', '/articles/%E0%A4%A', '/articles/%C0%AF', '/%ZZ', '/moderate/%ZZ', '/articles/a/feed.xml%ZZ'];
/** The API's addresses, and a feed's (data, answered as the API's). */
const UNDECODABLE_API = ['/api/threads/%ZZ', '/api/%ZZ', '/api/comments/%E0%A4%A/report', '/articles/%ZZ/feed.xml'];

describe('addresses that do not decode, and the errors of the embed', () => {
  let db: TestDatabase | undefined;
  let node: TestNode;
  let slug: string;
  const log = captureLog();

  before(async () => {
    db = await createTestDatabase('sqlite');
    node = await startNode({ db, log: log.log, pageHandler: nextLike, edge: { embedOrigins: [HOST_SITE] } });
    slug = (await createOpenThread(node.services, 'addresses')).slug;
  });

  after(async () => {
    await node?.close();
    await db?.cleanup();
  });

  const get = (path: string, method = 'GET') => rawRequest({ baseUrl: node.baseUrl, method, path, headers: { ...PROBE_HEADERS, ...(method !== 'GET' && { origin: node.baseUrl }) } });

  test('a page path that does not decode is a 400 page, not a 500, and its log line holds no header', async () => {
    for (const path of UNDECODABLE_PAGES) {
      const res = await get(path);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8$/, path);
      assert.match(res.text, /<html lang="en">[\s\S]*<h1>[^<]+<\/h1>/, path);
      assert.equal(res.headers['x-frame-options'], 'DENY', path);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'.*frame-ancestors 'none'/, path);
      assert.equal(res.headers['set-cookie'], undefined, `${path}: no guest is made for an address that names nothing`);
    }
    const text = log.text();
    for (const value of Object.values(PROBE_HEADERS)) assert.ok(!text.includes(value.split('=').pop()!), `${value} is not in the log:\n${text}`);
    const lines = log.entries().filter((e) => e.req?.path === '/articles/%ZZ');
    assert.ok(lines.length > 0, 'the request is logged');
    for (const line of lines) {
      assert.equal(line.res?.status, 400);
      assert.equal(line.level, 'info');
      assert.equal(line.req?.headers, undefined);
    }
  });

  test('the page is in the reader’s language', async () => {
    const res = await rawRequest({ baseUrl: node.baseUrl, path: '/articles/%ZZ', headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    assert.equal(res.status, 400);
    assert.match(res.text, /<html lang="de">/);
  });

  test('an API path that does not decode is a 400 with the JSON error', async () => {
    for (const path of UNDECODABLE_API) {
      for (const method of ['GET', 'POST']) {
        const res = await get(path, method);
        assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
        assert.equal(ErrorResponseSchema.parse(JSON.parse(res.text)).error.code, 'invalid_request', path);
        assert.match(String(res.headers['content-type']), /^application\/json/);
      }
    }
    // The no-JavaScript form's address too.
    assert.equal((await get('/articles/%ZZ/comments', 'POST')).status, 400);
  });

  test('a query string that does not decode is read leniently, never a 500', async () => {
    const cases: [string, number][] = [
      [`/articles/${slug}?q=%ZZ`, 200],
      [`/articles/${slug}?sort=%E0%A4%A`, 200],
      [`/?%ZZ`, 200],
      ['/api/threads?q=%ZZ', 200],
      [`/api/threads/${slug}?after=%ZZ`, 400],
      ['/healthz?%ZZ', 200],
      ['/embed.js?%ZZ', 200],
      [`/embed/${slug}?theme=%ZZ`, 400],
      [`/embed/${slug}?url=%ZZ`, 400],
    ];
    for (const [path, status] of cases) assert.equal((await get(path)).status, status, path);
  });

  describe('errors of the embed may be framed as its pages may', () => {
    /** What an embed page says about being framed. */
    function framing(res: { headers: Record<string, unknown> }) {
      const csp = String(res.headers['content-security-policy'] ?? '');
      return { frameAncestors: /frame-ancestors ([^;]+)/.exec(csp)?.[1], xFrameOptions: res.headers['x-frame-options'] };
    }

    test('400, 404, 405 and 500 under /embed/ carry the pages’ frame-ancestors and no X-Frame-Options', async () => {
      const page = await get(`/embed/${slug}`);
      assert.equal(page.status, 200);
      assert.deepEqual(framing(page), { frameAncestors: HOST_SITE, xFrameOptions: undefined });
      const errors: [string, string, number][] = [
        ['GET', '/embed/%ZZ', 400],
        ['GET', '/embed/Not_A_Slug', 400],
        ['GET', `/embed/${slug}?theme=neon`, 400],
        ['GET', '/embed/missing-thread', 404],
        ['GET', '/embed/boom-thread', 500],
        ['POST', `/embed/${slug}`, 405],
      ];
      for (const [method, path, status] of errors) {
        const res = await get(path, method);
        assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
        assert.deepEqual(framing(res), framing(page), `${method} ${path}`);
        assert.match(String(res.headers['content-security-policy']), /default-src 'none'|script-src 'self'(?: 'nonce-|;)/, `${method} ${path}: a policy that runs nothing foreign`);
      }
    });

    test('errors elsewhere still may not be framed at all', async () => {
      for (const path of ['/articles/%ZZ', '/articles/boom', '/api/nothing']) {
        const res = await get(path);
        assert.deepEqual(framing(res), { frameAncestors: "'none'", xFrameOptions: 'DENY' }, path);
      }
    });
  });
});
