import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ErrorResponseSchema } from '../../lib/contract';
import { CommentResponseSchema, SsoSignInResponseSchema, ViewerResponseSchema } from '../../lib/contract/api';
import { cookieName, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { createSsoTokens } from '../../lib/services/signIn/ssoTokens';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { makeSsoToken } from '../../scripts/ssoToken';
import { captureLog } from '../testing/logCapture';
import { sendRequest, type HttpResult } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';

/**
 * `POST /api/auth/sso` end to end over HTTP (docs/api.md, docs/security.md "The site's sign-in
 * token"): the host's token signs its user in (their name on their comments), the same person's next
 * token keeps the session, another person's replaces it, `null` ends it; a refused token signs nobody
 * in, answers its reason and never reaches the log; without SSO_SECRET the method is off.
 */

const SECRET = 'sso-integration-secret-0123456789-abcdef';
const ROOT = path.resolve(__dirname, '..', '..');

let db: TestDatabase | undefined;
let node: TestNode | undefined;
let off: TestNode | undefined;
const log = captureLog({ level: 'debug' });

before(async () => {
  db = await createTestDatabase('sqlite');
  node = await startNode({ db, log: log.log, services: (store, defaults) => ({ ...defaults, sso: createSsoTokens({ settings: { secret: SECRET }, store: store.ssoTokens }) }) });
  off = await startNode({ db });
});
after(async () => {
  await node?.close();
  await off?.close();
  await db?.cleanup();
});

/** A browser: keeps the session and guest cookies the server sets. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}
  get cookie() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') || undefined;
  }
  async request(method: string, pathname: string, json?: unknown): Promise<HttpResult> {
    const res = await sendRequest({ baseUrl: this.baseUrl, method, path: pathname, cookie: this.cookie, ...(json !== undefined && { json }) });
    for (const c of res.setCookies) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (/max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  sso(token: string | null) {
    return this.request('POST', '/api/auth/sso', { token });
  }
  async account(slug: string) {
    const res = await this.request('GET', `/api/threads/${slug}/viewer`);
    assert.equal(res.status, 200);
    return ViewerResponseSchema.parse(res.body).account;
  }
}

const token = (user: { sub: string; name?: string; email?: string; badges?: string[] }) => makeSsoToken(user, { secret: SECRET });

function refusal(res: HttpResult): { code: string; reason: string | undefined } {
  const { error } = ErrorResponseSchema.parse(res.body);
  return { code: error.code, reason: error.fields?.token?.[0] };
}

describe('POST /api/auth/sso', () => {
  test('the host user is signed in: the viewer read names them, their comment carries their name and badges, whatever name the box sent', async () => {
    const { slug } = await createOpenThread(node!.services, 'sso');
    const browser = new Browser(node!.baseUrl);
    const res = await browser.sso(await token({ sub: 'u-1', name: 'Ada Host', email: 'ada@news.example', badges: ['journalist'] }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const answer = SsoSignInResponseSchema.parse(res.body);
    assert.equal(answer.changed, true);
    assert.deepEqual([answer.account?.displayName, answer.account?.role, answer.account?.badges], ['Ada Host', 'commenter', ['journalist']]);
    assert.ok(browser.cookies.has(cookieName(STAFF_COOKIE, false)), 'the session cookie');
    assert.equal((await browser.account(slug))?.id, answer.account!.id);
    const posted = await browser.request('POST', `/api/threads/${slug}/comments`, { body: 'Signed in from the host', authorName: 'Someone else' });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(CommentResponseSchema.parse(posted.body).comment.author.name, 'Ada Host');
  });

  test("the same person's next token keeps the session (no new cookie); another person's replaces it and ends the first", async () => {
    const { slug } = await createOpenThread(node!.services, 'sso');
    const browser = new Browser(node!.baseUrl);
    const first = SsoSignInResponseSchema.parse((await browser.sso(await token({ sub: 'u-2', name: 'Bea' }))).body);
    const firstCookie = browser.cookie!;
    const again = await browser.sso(await token({ sub: 'u-2', name: 'Bea', badges: ['expert'] }));
    assert.deepEqual(SsoSignInResponseSchema.parse(again.body), { account: { ...first.account!, badges: ['expert'] }, changed: false });
    assert.deepEqual(again.setCookies, [], 'the session goes on');
    const other = SsoSignInResponseSchema.parse((await browser.sso(await token({ sub: 'u-3', name: 'Cem' }))).body);
    assert.equal(other.changed, true);
    assert.notEqual(other.account!.id, first.account!.id);
    assert.equal((await browser.account(slug))?.displayName, 'Cem');
    const stale = await sendRequest({ baseUrl: node!.baseUrl, method: 'GET', path: `/api/threads/${slug}/viewer`, cookie: firstCookie });
    assert.equal(ViewerResponseSchema.parse(stale.body).account, null, "Bea's session on this browser ended");
  });

  test('null signs out a session the host opened, not one opened another way, and not a guest', async () => {
    const { slug } = await createOpenThread(node!.services, 'sso');
    const browser = new Browser(node!.baseUrl);
    await browser.sso(await token({ sub: 'u-4', name: 'Dan' }));
    assert.deepEqual(SsoSignInResponseSchema.parse((await browser.sso(null)).body), { account: null, changed: true });
    assert.equal(await browser.account(slug), null);
    assert.deepEqual(SsoSignInResponseSchema.parse((await browser.sso(null)).body), { account: null, changed: false }, 'a guest: nothing to end');

    // A session opened by another method (an email link, say) is the reader's own.
    const { user } = await node!.services.auth.signInWith({ identity: { method: 'email', provider: 'email', subject: 'eve@example.com', email: 'eve@example.com', emailVerified: true, name: 'Eve', badges: null } });
    const emailBrowser = new Browser(node!.baseUrl);
    const { token: session } = await node!.services.auth.signInWith({ identity: { method: 'email', provider: 'email', subject: 'eve@example.com', email: 'eve@example.com', emailVerified: true, name: 'Eve', badges: null } });
    emailBrowser.cookies.set(cookieName(STAFF_COOKIE, false), session);
    const kept = SsoSignInResponseSchema.parse((await emailBrowser.sso(null)).body);
    assert.deepEqual([kept.account?.id, kept.changed], [user.id, false]);
  });

  test('every refused token answers 401 sso_token_invalid with its reason, signs nobody in, and is never logged', async () => {
    const browser = new Browser(node!.baseUrl);
    const good = await token({ sub: 'u-5', name: 'Fay' });
    assert.equal((await browser.sso(good)).status, 200);
    const fresh = new Browser(node!.baseUrl);
    const replayed = await fresh.sso(good);
    assert.equal(replayed.status, 401);
    assert.deepEqual(refusal(replayed), { code: 'sso_token_invalid', reason: 'replayed' });
    assert.equal(fresh.cookies.has(cookieName(STAFF_COOKIE, false)), false, 'no session');

    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: 9e9, iat: 1, jti: 'x' })).toString('base64url')}.`;
    const wrongKey = await makeSsoToken({ sub: 'u-6' }, { secret: 'not-the-secret-not-the-secret-not-the' });
    const cases: [unknown, number, string, string | undefined][] = [
      [unsigned, 401, 'sso_token_invalid', 'unsigned'],
      [wrongKey, 401, 'sso_token_invalid', 'bad_signature'],
      ['garbage', 401, 'sso_token_invalid', 'malformed'],
      [await makeSsoToken({ sub: 'u-7', badges: ['owner'] }, { secret: SECRET }), 401, 'sso_token_invalid', 'bad_claim:badges'],
      [await makeSsoToken({ sub: 'u-\u0000-8' }, { secret: SECRET }), 401, 'sso_token_invalid', 'bad_claim:sub'],
      [42, 400, 'invalid_request', undefined],
      ['', 400, 'invalid_request', undefined],
    ];
    for (const [sent, status, code, reason] of cases) {
      const res = await fresh.request('POST', '/api/auth/sso', { token: sent });
      assert.equal(res.status, status, `${String(sent).slice(0, 16)}: ${JSON.stringify(res.body)}`);
      assert.equal(refusal(res).code, code);
      if (reason) assert.equal(refusal(res).reason, reason);
      assert.equal(fresh.cookies.has(cookieName(STAFF_COOKIE, false)), false, 'never signs in');
    }
    const text = log.text();
    assert.match(text, /sso token refused \(bad_signature\)/, 'the operator sees why');
    for (const secretText of [good, unsigned, wrongKey, good.split('.')[2]!]) assert.ok(!text.includes(secretText), 'no token in the log');
  });

  test("from the embed's frame over HTTPS (?frame=1) the session cookie is SameSite=None; Secure; Partitioned, and null ends it the same way", async () => {
    const proxied = await startNode({ db: db!, edge: { trustProxy: true }, services: (store, defaults) => ({ ...defaults, sso: createSsoTokens({ settings: { secret: SECRET }, store: store.ssoTokens }) }) });
    try {
      const https = { origin: proxied.baseUrl.replace(/^http:/, 'https:'), headers: { 'x-forwarded-proto': 'https' } };
      const signedIn = await sendRequest({ baseUrl: proxied.baseUrl, method: 'POST', path: '/api/auth/sso?frame=1', cookie: undefined, json: { token: await token({ sub: 'u-9', name: 'Gus' }) }, ...https });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      const cookie = signedIn.setCookies.find((c) => c.startsWith(`${cookieName(STAFF_COOKIE, true)}=`))!;
      assert.ok(cookie, signedIn.setCookies.join(' | '));
      for (const attribute of ['HttpOnly', 'SameSite=None', 'Secure', 'Partitioned']) assert.ok(cookie.split('; ').includes(attribute), `${attribute} in ${cookie}`);
      const signedOut = await sendRequest({ baseUrl: proxied.baseUrl, method: 'POST', path: '/api/auth/sso?frame=1', cookie: cookie.split(';')[0], json: { token: null }, ...https });
      assert.deepEqual(SsoSignInResponseSchema.parse(signedOut.body), { account: null, changed: true });
      // Signing out ends the cookie under every name it may have: the frame's partitioned one among them.
      const ended = signedOut.setCookies.find((c) => c.startsWith(`${cookieName(STAFF_COOKIE, true)}=`) && c.includes('Partitioned'));
      assert.ok(ended && /max-age=0/i.test(ended), signedOut.setCookies.join(' | '));
    } finally {
      await proxied.close();
    }
  });

  test('without SSO_SECRET or SSO_JWKS_URL the method is off', async () => {
    const res = await new Browser(off!.baseUrl).sso(await token({ sub: 'u-8' }));
    assert.equal(res.status, 404);
    assert.equal(refusal(res).code, 'sign_in_method_off');
  });

  test("docs/embed.md's Node snippet makes a token the server accepts", async () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'embed.md'), 'utf8');
    const start = docs.indexOf('```js\n', docs.indexOf('**Making the token**')) + '```js\n'.length;
    const snippet = docs.slice(start, docs.indexOf('```', start));
    assert.match(snippet, /export function ssoToken/);
    // As a module run from the project, so that `jose` resolves as on a site's server that installed it.
    const program = `${snippet}\nconsole.log(await ssoToken({ id: 7, name: 'Snippet Sam', email: 'sam@host.example', badges: ['expert'] }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program], { cwd: ROOT, env: { ...process.env, SSO_SECRET: SECRET } });
    const answer = SsoSignInResponseSchema.parse((await new Browser(node!.baseUrl).sso(stdout.trim())).body);
    assert.deepEqual([answer.account?.displayName, answer.account?.badges], ['Snippet Sam', ['expert']]);
  });

  test('the runnable example (npm run sso-token) makes a token the server accepts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ssoToken.ts', '--sub', '42', '--name', 'Ada', '--email', 'a@x.example', '--badges', 'staff'], {
      cwd: ROOT,
      env: { ...process.env, SSO_SECRET: SECRET, SSO_ISSUER: '', SSO_AUDIENCE: '' },
    });
    const made = stdout.trim().split('\n').at(-1)!;
    const answer = SsoSignInResponseSchema.parse((await new Browser(node!.baseUrl).sso(made)).body);
    assert.deepEqual([answer.account?.displayName, answer.account?.badges], ['Ada', ['staff']]);
  });
});
