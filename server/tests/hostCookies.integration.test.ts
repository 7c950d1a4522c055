import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ViewerResponseSchema } from '../../lib/contract/api';
import { sendRequest, type HttpResult, type RequestOptions } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { createAccount } from '../testing/staff';
import { DATABASE_KINDS, useNodes } from '../testing/suites';

/** Stands in for Next.js: a page is the same for everyone (it is told nothing of the reader). */
function samePage(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{}');
}

/** The read that gives a reader their guest cookie (a page does not: it is everyone's). */
const viewerPath = (slug: string) => `/api/threads/${slug}/viewer`;
/** The guest a signed guest cookie's value names. */
const guestOf = (value: string) => value.split('.')[0]!;

/** What a TLS-terminating proxy tells a node started with TRUST_PROXY: the reader came over HTTPS. */
const HTTPS = { 'x-forwarded-proto': 'https' };

/** `name=value` of the cookie of this name set by the response, and its attributes, lower-cased. */
function setCookie(res: HttpResult, name: string): { pair: string; value: string; attributes: string[] } | undefined {
  const cookie = res.setCookies.find((c) => c.startsWith(`${name}=`));
  if (!cookie) return undefined;
  const [pair = '', ...attributes] = cookie.split(';').map((s) => s.trim());
  return { pair, value: pair.slice(name.length + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

function requireCookie(res: HttpResult, name: string) {
  const cookie = setCookie(res, name);
  assert.ok(cookie, `a ${name} cookie among ${JSON.stringify(res.setCookies)}`);
  return cookie;
}

/** What the browser accepts as a `__Host-` cookie: Secure, Path=/, no Domain. */
function assertHostCookie(cookie: { attributes: string[] }, what: string): void {
  assert.ok(cookie.attributes.includes('secure'), `${what}: Secure`);
  assert.ok(cookie.attributes.includes('path=/'), `${what}: Path=/`);
  assert.ok(!cookie.attributes.some((a) => a.startsWith('domain=')), `${what}: no Domain`);
  assert.ok(cookie.attributes.includes('httponly'), `${what}: HttpOnly`);
}

for (const kind of DATABASE_KINDS) {
  describe(`cookies a sibling subdomain cannot plant (${kind})`, () => {
    const suite = useNodes({ kind });
    let https: TestNode | undefined;
    let plain: TestNode | undefined;
    /** The node behind a TLS-terminating proxy (TRUST_PROXY=1), as a site in production is. */
    const secureNode = async () =>
      (https ??= await suite.start({ passwordCost: TEST_PASSWORD_COST, pageHandler: samePage, edge: { trustProxy: true }, limits: { loginAddress: 'off', loginFailures: 'off' } }));
    const plainNode = async () => (plain ??= await suite.start({ passwordCost: TEST_PASSWORD_COST, pageHandler: samePage }));

    /** A request as the browser makes it to the HTTPS site: its own https Origin on writes, and the proxy's header. */
    async function request(node: TestNode, method: string, path: string, cookie: string | undefined, options: RequestOptions = {}): Promise<HttpResult> {
      const origin = method === 'GET' ? null : node.baseUrl.replace(/^http:/, 'https:');
      return sendRequest({ baseUrl: node.baseUrl, method, path, cookie, origin, ...options, headers: { ...HTTPS, ...options.headers } });
    }

    /** A reader's first visit to an article over HTTPS: the `__Host-` guest cookie its first read of their own state gives. */
    async function visit(node: TestNode, slug: string): Promise<{ cookie: string; guestId: string }> {
      const { pair, value } = requireCookie(await request(node, 'GET', viewerPath(slug), undefined), '__Host-tl_guest');
      return { cookie: pair, guestId: guestOf(value) };
    }

    test('over HTTPS the guest and session cookies are __Host- cookies (Secure, Path=/, no Domain), from every place that sets them', async () => {
      const node = await secureNode();
      const { slug } = await createOpenThread(node.services, 'host-cookies');
      assertHostCookie(requireCookie(await request(node, 'GET', viewerPath(slug), undefined), '__Host-tl_guest'), "the reader's own state");
      assert.deepEqual((await request(node, 'GET', `/articles/${slug}`, undefined)).setCookies, [], 'no cookie with a page');
      const posted = await request(node, 'POST', `/api/threads/${slug}/comments`, undefined, { json: { body: 'first words', authorName: 'Ann' } });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assertHostCookie(requireCookie(posted, '__Host-tl_guest'), 'a JSON post');
      assertHostCookie(requireCookie(await request(node, 'GET', '/socket.io/?EIO=4&transport=polling', undefined), '__Host-tl_guest'), 'the Socket.IO handshake');

      const account = await createAccount(node, 'moderator');
      const login = await request(node, 'POST', '/api/auth/login', undefined, { json: { username: account.username, password: account.password } });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assertHostCookie(requireCookie(login, '__Host-tl_session'), 'the sign-in');
      for (const res of [posted, login]) assert.equal(setCookie(res, 'tl_guest') ?? setCookie(res, 'tl_session'), undefined, 'no cookie under the old names');
    });

    test('over plain HTTP (no Secure possible) the names stay unprefixed, and work', async () => {
      const node = await plainNode();
      const { slug } = await createOpenThread(node.services, 'plain-cookies');
      const first = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: viewerPath(slug), cookie: undefined });
      const guest = requireCookie(first, 'tl_guest');
      assert.ok(!guest.attributes.includes('secure'));
      const posted = await sendRequest({ baseUrl: node.baseUrl, method: 'POST', path: `/api/threads/${slug}/comments`, cookie: guest.pair, json: { body: 'mine', authorName: 'P' } });
      assert.equal(posted.status, 201);
      const again = await sendRequest({ baseUrl: node.baseUrl, method: 'GET', path: viewerPath(slug), cookie: guest.pair });
      assert.deepEqual(again.setCookies, []);
      assert.deepEqual(ViewerResponseSchema.parse(again.body).own.map((c) => c.id), [CommentResponseSchema.parse(posted.body).comment.id]);
    });

    test('a guest cookie planted without the prefix does not replace the reader’s __Host- one', async () => {
      const node = await secureNode();
      const { slug } = await createOpenThread(node.services, 'planted-guest');
      const victim = await visit(node, slug);
      // The attacker's own genuine guest cookie, which a page on a sibling subdomain sets for the parent domain
      // (`Domain=example.com; Path=/articles`): the browser then sends it first, beside the reader's.
      const attacker = await visit(node, slug);
      const planted = `tl_guest=${attacker.cookie.slice('__Host-tl_guest='.length)}`;
      const both = `${planted}; ${victim.cookie}`;

      // What the reader posts is the reader's, and their own state is theirs, not the attacker's.
      const posted = await request(node, 'POST', `/api/threads/${slug}/comments`, both, { json: { body: 'my words', authorName: 'Victim' } });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const { comment } = CommentResponseSchema.parse(posted.body);
      const own = await request(node, 'GET', viewerPath(slug), both);
      assert.deepEqual(ViewerResponseSchema.parse(own.body).own.map((c) => c.id), [comment.id], "the reader's own state is the reader's, not the attacker's");
      assert.equal(setCookie(own, '__Host-tl_guest'), undefined, 'and the reader’s cookie is left alone');
      // The attacker's cookie cannot delete it.
      const byAttacker = await request(node, 'DELETE', `/api/comments/${comment.id}`, attacker.cookie);
      assert.equal(byAttacker.status, 403, JSON.stringify(byAttacker.body));
      const byVictim = await request(node, 'DELETE', `/api/comments/${comment.id}`, victim.cookie);
      assert.equal(byVictim.status, 200, JSON.stringify(byVictim.body));
    });

    test('a session cookie planted without the prefix does not replace the moderator’s __Host- one', async () => {
      const node = await secureNode();
      const signIn = async (username: string, password: string) => {
        const login = await request(node, 'POST', '/api/auth/login', undefined, { json: { username, password } });
        assert.equal(login.status, 200, JSON.stringify(login.body));
        return requireCookie(login, '__Host-tl_session').value;
      };
      const moderator = await createAccount(node, 'moderator', 'victim');
      const intruder = await createAccount(node, 'moderator', 'intruder');
      const victimToken = await signIn(moderator.username, moderator.password);
      const intruderToken = await signIn(intruder.username, intruder.password);
      const me = await request(node, 'GET', '/api/auth/me', `tl_session=${intruderToken}; __Host-tl_session=${victimToken}`);
      assert.equal(me.status, 200);
      assert.equal((me.body as { user: { username: string } }).user.username, moderator.username);
    });

    test('a cookie under the old name still works over HTTPS, and is moved to the __Host- name', async () => {
      const node = await secureNode();
      const { slug } = await createOpenThread(node.services, 'migration');
      // A reader who was given the old cookie before the upgrade.
      const before = await plainNode();
      const old = await sendRequest({ baseUrl: before.baseUrl, method: 'GET', path: viewerPath(slug), cookie: undefined });
      const legacy = requireCookie(old, 'tl_guest');
      const guestId = guestOf(legacy.value);

      const page = await request(node, 'GET', viewerPath(slug), legacy.pair);
      const moved = requireCookie(page, '__Host-tl_guest');
      assertHostCookie(moved, 'the moved cookie');
      assert.equal(moved.value.split('.')[0], guestId);
      const expired = requireCookie(page, 'tl_guest');
      assert.ok(expired.attributes.includes('max-age=0'), 'the old one is expired');

      const next = await request(node, 'GET', viewerPath(slug), moved.pair);
      assert.equal(setCookie(next, '__Host-tl_guest'), undefined, 'and the same guest with the new cookie alone');

      // A moderator signed in before the upgrade stays signed in, and signing out ends both names.
      const account = await createAccount(node, 'moderator');
      const { token } = await node.services.auth.login({ username: account.username, password: account.password, clientKey: 'migration-test' });
      const me = await request(node, 'GET', '/api/auth/me', `tl_session=${token}`);
      assert.equal(me.status, 200);
      assert.equal((me.body as { user: { username: string } }).user.username, account.username);
      const out = await request(node, 'POST', '/api/auth/logout', `tl_session=${token}`);
      assert.equal(out.status, 200, JSON.stringify(out.body));
      for (const name of ['tl_session', '__Host-tl_session']) assert.ok(requireCookie(out, name).attributes.includes('max-age=0'), `${name} cleared`);
      assert.equal((await request(node, 'GET', '/api/auth/me', `tl_session=${token}`)).status, 401, 'the old session is over');
    });
  });
}
