import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { CommentResponseSchema, ThreadResponseSchema } from '../../lib/contract';
import { cookieName } from '../../lib/domain/cookieNames';
import { GUEST_COOKIE } from '../../lib/domain/guestToken';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { apiRoutes } from '../http/apiRoutes';
import { formRoutes } from '../http/formRoutes';
import { isStateChanging } from '../http/origin';
import type { Route } from '../http/router';
import { staffRoutes } from '../http/staffRoutes';
import { personRoutes } from '../http/personRoutes';
import { STAFF_COOKIE } from '../http/staffSession';
import { HttpGuest, sendRequest, type HttpResult, type RequestOptions } from '../testing/http';
import { createOpenThread, startNode, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createAccount, expectError, staffMember, WebClient } from '../testing/staff';
import { within } from '../testing/wait';

const FOREIGN = 'https://evil.example';
const ALLOWED = 'https://news.example.com';

/** Stands in for Next.js: answers with what a page render would see of the request. */
function echoPage(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ csp: req.headers['content-security-policy'] ?? null }));
}

/** Opens a Socket.IO connection with these handshake headers; resolves 'connected' or the connect_error's message. */
async function handshake(baseUrl: string, headers: Record<string, string>, transport: 'websocket' | 'polling' = 'websocket'): Promise<string> {
  const socket = connect(baseUrl, { transports: [transport], reconnection: false, forceNew: true, extraHeaders: headers });
  try {
    return await within(
      `a Socket.IO handshake with ${JSON.stringify(headers)}`,
      new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err) => resolve(`refused: ${err.message}`));
      }),
    );
  } finally {
    socket.disconnect();
  }
}

/** A concrete path for a route pattern (the ids need not exist: refusals come before any lookup). */
function concrete(route: Route, slug: string): string {
  return route.path.replace(':slug', slug).replace(':id', 'c0000000000000000000000000').replace(':username', 'nobody');
}

function cookieNamed(res: HttpResult, name: string): string {
  const cookie = res.setCookies.find((c) => c.startsWith(`${name}=`));
  assert.ok(cookie, `a ${name} cookie among ${JSON.stringify(res.setCookies)}`);
  return cookie;
}

function attributes(cookie: string): string[] {
  return cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

function assertCookieAttributes(cookie: string, secure: boolean): void {
  const attrs = attributes(cookie);
  for (const required of ['httponly', 'samesite=lax', 'path=/']) assert.ok(attrs.includes(required), `${required} in ${cookie}`);
  assert.equal(attrs.includes('secure'), secure, `Secure ${secure ? 'in' : 'not in'} ${cookie}`);
}

describe('who may talk to the server', () => {
  let db: TestDatabase | undefined;
  let node: TestNode;
  /** The same store behind a TLS-terminating proxy (TRUST_PROXY=1). */
  let proxied: TestNode;
  let slug: string;

  before(async () => {
    db = await createTestDatabase('sqlite');
    node = await startNode({ db, seed: true, passwordCost: TEST_PASSWORD_COST, pageHandler: echoPage, edge: { allowedOrigins: [ALLOWED] } });
    proxied = await startNode({ db, passwordCost: TEST_PASSWORD_COST, pageHandler: echoPage, edge: { trustProxy: true } });
    slug = (await createOpenThread(node.services, 'edge')).slug;
  });

  after(async () => {
    await proxied?.close();
    await node?.close();
    await db?.cleanup();
  });

  describe('the Socket.IO handshake checks Origin', () => {
    test('a foreign origin and `Origin: null` are refused over WebSocket', async () => {
      assert.match(await handshake(node.baseUrl, { origin: FOREIGN }), /^refused/);
      assert.match(await handshake(node.baseUrl, { origin: 'null' }), /^refused/);
      assert.match(await handshake(node.baseUrl, { origin: 'not a url' }), /^refused/);
    });

    test('a foreign origin is refused over long-polling too', async () => {
      assert.match(await handshake(node.baseUrl, { origin: FOREIGN }, 'polling'), /^refused/);
    });

    test('without an Origin, Sec-Fetch-Site from another site is refused', async () => {
      assert.match(await handshake(node.baseUrl, { 'sec-fetch-site': 'cross-site' }), /^refused/);
      assert.match(await handshake(node.baseUrl, { 'sec-fetch-site': 'same-site' }), /^refused/);
    });

    test('the polling handshake over plain HTTP answers 403 with the stable code', async () => {
      const path = '/socket.io/?EIO=4&transport=polling';
      const foreign = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path, cookie: undefined, headers: { origin: FOREIGN } });
      assert.equal(foreign.status, 403);
      assert.deepEqual(foreign.body, { code: 4, message: 'cross_site' });
      const opaque = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path, cookie: undefined, headers: { origin: 'null' } });
      assert.equal(opaque.status, 403);
      const own = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path, cookie: undefined, headers: { origin: node.baseUrl } });
      assert.equal(own.status, 200);
    });

    test('the own origin, an origin in ALLOWED_ORIGINS, and no Origin (a non-browser client) connect', async () => {
      assert.equal(await handshake(node.baseUrl, { origin: node.baseUrl }), 'connected');
      assert.equal(await handshake(node.baseUrl, { origin: ALLOWED }), 'connected');
      assert.equal(await handshake(node.baseUrl, { origin: ALLOWED }, 'polling'), 'connected');
      assert.equal(await handshake(node.baseUrl, {}), 'connected');
      assert.equal(await handshake(node.baseUrl, { 'sec-fetch-site': 'same-origin', origin: node.baseUrl }), 'connected');
    });

    test('ALLOWED_ORIGINS is per deployment: the other node allows only its own origin', async () => {
      assert.match(await handshake(proxied.baseUrl, { origin: ALLOWED }), /^refused/);
    });
  });

  describe('every state-changing route refuses other sites and non-JSON', () => {
    const stateChanging = () => [...apiRoutes(node.services), ...staffRoutes(node.services), ...personRoutes(node.services)].filter((r) => isStateChanging(r.method));

    function send(route: Route, options: RequestOptions) {
      return sendRequest({ baseUrl: node.baseUrl, method: route.method, path: concrete(route, slug), cookie: undefined, ...options });
    }

    test('the route table has the routes this test is about', () => {
      const names = stateChanging().map((r) => `${r.method} ${r.path}`);
      for (const expected of ['POST /api/threads/:slug/comments', 'DELETE /api/comments/:id', 'POST /api/auth/login', 'POST /api/threads/:slug/lock', 'PUT /api/moderation/banned-words']) {
        assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
      }
    });

    test('a foreign Origin, `Origin: null`, or Sec-Fetch-Site: cross-site gets 403 cross_site', async () => {
      for (const route of stateChanging()) {
        const what = `${route.method} ${route.path}`;
        expectError(await send(route, { json: {}, origin: FOREIGN }), 403, 'cross_site', `${what} from ${FOREIGN}`);
        expectError(await send(route, { json: {}, origin: 'null' }), 403, 'cross_site', `${what} from null`);
        expectError(await send(route, { json: {}, origin: null, headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'cross_site', `${what} cross-site`);
        // An allowed origin on another site may still call (it is listed), even when Sec-Fetch-Site says cross-site.
        const listed = await send(route, { json: {}, origin: ALLOWED, headers: { 'sec-fetch-site': 'cross-site' } });
        assert.notEqual((listed.body as { error?: { code: string } }).error?.code, 'cross_site', `${what} from ${ALLOWED}`);
      }
    });

    test('a body that is not JSON gets 415, whatever the origin', async () => {
      for (const route of stateChanging()) {
        const what = `${route.method} ${route.path}`;
        for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
          expectError(await send(route, { raw: 'reason=x', contentType, origin: null }), 415, 'unsupported_media_type', `${what} as ${contentType}`);
          expectError(await send(route, { raw: 'reason=x', contentType, origin: node.baseUrl }), 415, 'unsupported_media_type', `${what} as ${contentType}`);
        }
      }
    });

    test('a bodiless request needs the JSON content type or an (allowed) Origin', async () => {
      for (const route of stateChanging()) {
        const what = `${route.method} ${route.path}`;
        expectError(await send(route, { origin: null }), 415, 'unsupported_media_type', `${what} bodiless, no Origin`);
        const withType = await send(route, { origin: null, headers: { 'content-type': 'application/json' } });
        assert.notEqual((withType.body as { error?: { code: string } }).error?.code, 'cross_site', what);
      }
    });

    test('bodiless moderator actions work from the own origin (as the pages send them) and from curl with the JSON type', async () => {
      const { client } = await staffMember(node, 'moderator');
      assert.equal((await client.request('POST', `/api/threads/${slug}/lock`)).status, 200, 'lock with Origin, no content type');
      assert.equal((await client.request('POST', `/api/threads/${slug}/unlock`, { origin: null, headers: { 'content-type': 'application/json' } })).status, 200, 'unlock as curl');
      expectError(await client.request('POST', `/api/threads/${slug}/lock`, { origin: null }), 415, 'unsupported_media_type', 'lock with neither');
    });

    test('JSON from a non-browser client (no Origin) is accepted', async () => {
      const guest = new HttpGuest(node.baseUrl);
      const res = await guest.request('POST', `/api/threads/${slug}/comments`, { json: { body: 'from curl', authorName: 'Cli' }, origin: null });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    test('the no-JavaScript form and any other POST to a page refuse other sites', async () => {
      for (const route of formRoutes(node.services)) {
        const res = await sendRequest({ baseUrl: node.baseUrl, method: route.method, path: concrete(route, slug), cookie: undefined, raw: 'body=x', contentType: 'application/x-www-form-urlencoded', origin: FOREIGN });
        expectError(res, 403, 'cross_site', route.path);
      }
      const page = await sendRequest({ baseUrl: node.baseUrl, method: 'POST', path: '/login', cookie: undefined, raw: 'a=b', contentType: 'application/x-www-form-urlencoded', origin: FOREIGN });
      expectError(page, 403, 'cross_site', 'POST /login');
    });
  });

  describe("the no-JavaScript form needs no token in the page (which is everyone's), but must come from this site's own page", () => {
    async function commentCount(): Promise<number> {
      const res = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/api/threads/${slug}`, cookie: undefined });
      return ThreadResponseSchema.parse(res.body).comments.length;
    }

    async function postForm(guest: HttpGuest, fields: Record<string, string>, options: Pick<RequestOptions, 'origin' | 'headers'> = {}): Promise<HttpResult> {
      return guest.request('POST', `/articles/${slug}/comments`, { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded', ...options });
    }

    test('a post that does not say it came from this site (no Origin, no Sec-Fetch-Site), or from an API origin, is refused and not stored', async () => {
      const before = await commentCount();
      for (const options of [{ origin: null }, { origin: null, headers: { 'sec-fetch-site': 'none' } }, { origin: ALLOWED }]) {
        const res = await postForm(new HttpGuest(node.baseUrl), { body: 'forged?', authorName: 'Mallory' }, options);
        assert.equal(res.status, 303, JSON.stringify(options));
        const location = res.headers.get('location') ?? '';
        assert.match(location, /\?error=form_token_invalid#comment-form$/, location);
      }
      assert.equal(await commentCount(), before, 'nothing was stored');
    });

    test("a first-time reader's post from the page posts, and gives them their guest cookie", async () => {
      const before = await commentCount();
      for (const options of [{}, { origin: null, headers: { 'sec-fetch-site': 'same-origin' } }]) {
        const guest = new HttpGuest(node.baseUrl);
        const res = await postForm(guest, { body: 'posted without JavaScript', authorName: 'Nojs' }, options);
        assert.equal(res.status, 303);
        assert.match(res.headers.get('location') ?? '', new RegExp(`^/articles/${slug}\\?posted=[a-z0-9]+#c-`));
        assertCookieAttributes(cookieNamed(res, GUEST_COOKIE), false);
      }
      assert.equal(await commentCount(), before + 2);
    });

    test('from pages of one version (the same key: the page is shared), the same text sent twice is one comment, another text is another', async () => {
      const guest = new HttpGuest(node.baseUrl);
      const before = await commentCount();
      const key = { authorName: 'Nojs', clientId: 'page-key-of-one-version-top-0' };
      for (const body of ['first from this page', 'first from this page', 'second, from a page of the same version']) {
        const res = await postForm(guest, { ...key, body });
        assert.equal(res.status, 303, body);
        assert.match(res.headers.get('location') ?? '', new RegExp(`^/articles/${slug}\\?posted=[a-z0-9]+#c-`), body);
      }
      assert.equal(await commentCount(), before + 2, 'the resent form is one comment, the second text is stored too');
      const refused = await postForm(guest, { ...key, clientId: 'has spaces', body: 'a malformed key' });
      assert.match(refused.headers.get('location') ?? '', /\?error=invalid_request&field=clientId#comment-form$/);
    });

    test('a page sets no cookie, whoever asks: the first read of the reader\'s own state does', async () => {
      const page = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/articles/${slug}`, cookie: undefined });
      assert.deepEqual(page.setCookies, []);
      const viewer = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer`, cookie: undefined });
      assert.equal(viewer.status, 200);
      assert.equal(viewer.headers.get('cache-control'), 'private, no-store');
      assertCookieAttributes(cookieNamed(viewer, GUEST_COOKIE), false);
    });
  });

  describe('cookies', () => {
    test("the guest cookie (the reader's own state and a JSON post) is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP", async () => {
      assertCookieAttributes(cookieNamed(await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer`, cookie: undefined }), GUEST_COOKIE), false);
      const post = await new HttpGuest(node.baseUrl).post(slug, { body: 'cookie check', authorName: 'C' });
      CommentResponseSchema.parse(post.body);
      assertCookieAttributes(cookieNamed(post, GUEST_COOKIE), false);
    });

    test('X-Forwarded-Proto is ignored without TRUST_PROXY', async () => {
      const res = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer`, cookie: undefined, headers: { 'x-forwarded-proto': 'https' } });
      assertCookieAttributes(cookieNamed(res, GUEST_COOKIE), false);
      assert.equal(res.headers.get('strict-transport-security'), null);
    });

    test('with TRUST_PROXY and X-Forwarded-Proto: https, cookies are Secure (and __Host- named) and HSTS is sent', async () => {
      const https = { 'x-forwarded-proto': 'https' };
      // The browser sees the proxy's https origin, and sends that.
      const origin = proxied.baseUrl.replace(/^http:/, 'https:');
      const page = await sendRequest({ baseUrl: proxied.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer`, cookie: undefined, headers: https });
      assertCookieAttributes(cookieNamed(page, cookieName(GUEST_COOKIE, true)), true);
      assert.match(page.headers.get('strict-transport-security') ?? '', /^max-age=\d+/);

      const account = await createAccount(proxied, 'moderator');
      const staff = new WebClient(proxied.baseUrl);
      const login = await staff.request('POST', '/api/auth/login', { json: { username: account.username, password: account.password }, origin, headers: https });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assertCookieAttributes(cookieNamed(login, cookieName(STAFF_COOKIE, true)), true);
      const logout = await staff.request('POST', '/api/auth/logout', { origin, headers: https });
      assertCookieAttributes(cookieNamed(logout, cookieName(STAFF_COOKIE, true)), true);

      const socket = await sendRequest({ baseUrl: proxied.baseUrl, method: 'GET', path: '/socket.io/?EIO=4&transport=polling', cookie: undefined, headers: https });
      assert.equal(socket.status, 200);
      assertCookieAttributes(cookieNamed(socket, cookieName(GUEST_COOKIE, true)), true);
    });

    test('the staff session and the Socket.IO handshake cookie over plain HTTP', async () => {
      const account = await createAccount(node, 'moderator');
      const staff = new WebClient(node.baseUrl);
      const login = await staff.login(account.username, account.password);
      assertCookieAttributes(cookieNamed(login, STAFF_COOKIE), false);
      const socket = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: '/socket.io/?EIO=4&transport=polling', cookie: undefined });
      assertCookieAttributes(cookieNamed(socket, GUEST_COOKIE), false);
    });

    test('with TRUST_PROXY, the own origin is the one the proxy names', async () => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'comments.example.org' };
      const ok = await sendRequest({ baseUrl: proxied.baseUrl, method: 'POST', path: `/api/threads/${slug}/comments`, cookie: undefined, json: { body: 'via proxy', authorName: 'P' }, origin: 'https://comments.example.org', headers });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(await handshake(proxied.baseUrl, { ...headers, origin: 'https://comments.example.org' }), 'connected');
      // The scheme counts: the page was https, so an http origin of the same host is another origin.
      const http = await sendRequest({ baseUrl: proxied.baseUrl, method: 'POST', path: `/api/threads/${slug}/comments`, cookie: undefined, json: { body: 'x', authorName: 'P' }, origin: 'http://comments.example.org', headers });
      expectError(http, 403, 'cross_site');
      // Without TRUST_PROXY the same headers name nobody.
      const untrusted = await sendRequest({ baseUrl: node.baseUrl, method: 'POST', path: `/api/threads/${slug}/comments`, cookie: undefined, json: { body: 'x', authorName: 'P' }, origin: 'https://comments.example.org', headers });
      expectError(untrusted, 403, 'cross_site');
    });
  });

  describe('security headers', () => {
    const STANDARD: Record<string, RegExp> = {
      'x-content-type-options': /^nosniff$/,
      'referrer-policy': /^strict-origin-when-cross-origin$/,
      'x-frame-options': /^DENY$/,
      'cross-origin-opener-policy': /^same-origin$/,
      'permissions-policy': /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
    };

    function assertStandard(res: HttpResult, what: string): void {
      for (const [name, pattern] of Object.entries(STANDARD)) assert.match(res.headers.get(name) ?? '', pattern, `${name} on ${what}`);
      assert.equal(res.headers.get('strict-transport-security'), null, `no HSTS over plain HTTP on ${what}`);
    }

    test('on API answers, errors and refusals, with a CSP that allows nothing', async () => {
      const answers = [
        ['GET /api/health', await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: '/api/health', cookie: undefined })],
        ['404', await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: '/api/nothing', cookie: undefined })],
        ['403', await sendRequest({ baseUrl: node.baseUrl, method: 'POST', path: `/api/threads/${slug}/comments`, cookie: undefined, json: {}, origin: FOREIGN })],
      ] as const;
      for (const [what, res] of answers) {
        assertStandard(res, what);
        assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none'/, what);
      }
      assertStandard(await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: '/socket.io/?EIO=4&transport=polling', cookie: undefined }), 'the Socket.IO handshake');
      // engine.io's own refusals, answered before any handler of ours runs.
      const engineErrors = [
        ['a path that does not decode', '/socket.io/%ZZ', 400],
        ['an unknown transport', '/socket.io/?EIO=4&transport=carrier-pigeon', 400],
        ['an unknown session', '/socket.io/?EIO=4&transport=polling&sid=nobody', 400],
      ] as const;
      for (const [what, path, status] of engineErrors) {
        const res = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path, cookie: undefined });
        assert.equal(res.status, status, what);
        assertStandard(res, `Socket.IO's answer to ${what}`);
        assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none'/, what);
      }
      const foreign = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: '/socket.io/?EIO=4&transport=polling', cookie: undefined, origin: FOREIGN });
      assert.equal(foreign.status, 403);
      assertStandard(foreign, 'the refused handshake');
    });

    test('pages get a CSP with a fresh nonce, on the response and (for Next.js) on the request', async () => {
      const nonces = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: `/articles/${slug}`, cookie: undefined, headers: { 'content-security-policy': "script-src 'nonce-chosenbyclient'" } });
        assertStandard(res, 'a page');
        const csp = res.headers.get('content-security-policy') ?? '';
        const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
        assert.ok(nonce && nonce.length >= 22, csp);
        assert.equal((res.body as { csp: string }).csp, csp, 'the page render sees the same policy');
        for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) assert.ok(csp.includes(directive), `${directive} in ${csp}`);
        assert.ok(!csp.includes('unsafe-eval'), 'no eval in production');
        nonces.add(nonce);
      }
      assert.equal(nonces.size, 3, 'a new nonce for every page');
    });
  });
});
