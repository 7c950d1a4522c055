import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_NEXT_PATH } from '../../lib/domain/nextPath';
import { sendRequest, type HttpResult } from '../testing/http';
import { TEST_PASSWORD_COST } from '../testing/nodes';
import { createAccount, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/** What an attacker puts in `/login?next=…` to send a moderator elsewhere once signed in. */
const EVIL_NEXTS = [
  '/\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '//evil.example/',
  '/%2F/evil.example/',
  '/%5Cevil.example/',
  '/%09/evil.example/',
  '/moderate/..//evil.example/',
  'https://evil.example/',
  'javascript:alert(document.cookie)',
];

/** Where a browser on the site goes from a 303 with this Location. */
function destination(res: HttpResult, baseUrl: string): URL {
  const location = res.headers.get('location');
  assert.ok(location, `a Location on the ${res.status}`);
  return new URL(location, `${baseUrl}/login`);
}

for (const kind of DATABASE_KINDS) {
  describe(`the sign-in form's next= stays on this site (${kind})`, () => {
    // Sign-in's own limit (5 a minute per address) is another test's subject: here every attempt must be heard.
    const suite = useNode(kind, { passwordCost: TEST_PASSWORD_COST, limits: { loginAddress: 'off', loginFailures: 'off' }, pageHandler: (_req, res) => void res.end('page') });

    /** The sign-in form as a browser without JavaScript (or before the page is live) posts it. */
    async function postSignIn(fields: Record<string, string>): Promise<HttpResult> {
      return sendRequest({
        baseUrl: suite.node.baseUrl,
        method: 'POST',
        path: '/login',
        cookie: undefined,
        raw: new URLSearchParams(fields).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
    }

    test('signed in with an evil next=, the moderator lands on the desk of this site', async () => {
      const account = await createAccount(suite.node, 'moderator');
      for (const next of EVIL_NEXTS) {
        const res = await postSignIn({ username: account.username, password: account.password, next });
        assert.equal(res.status, 303, `next=${JSON.stringify(next)}: ${JSON.stringify(res.body)}`);
        const to = destination(res, suite.node.baseUrl);
        assert.equal(to.origin, suite.node.baseUrl, `next=${JSON.stringify(next)} → ${to.href}`);
        assert.equal(res.headers.get('location'), DEFAULT_NEXT_PATH, `next=${JSON.stringify(next)}`);
        assert.ok(res.setCookies.some((c) => /^(?:__Host-)?tl_session=[^;]+/.test(c)), 'signed in all the same');
      }
    });

    test('a path on this site is followed, and the session works there', async () => {
      const account = await createAccount(suite.node, 'moderator');
      const res = await postSignIn({ username: account.username, password: account.password, next: '/moderate/audit?x=1' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/moderate/audit?x=1');
      const client = new WebClient(suite.node.baseUrl);
      for (const cookie of res.setCookies) {
        const [pair = ''] = cookie.split(';');
        client.jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      const me = await client.get('/api/auth/me');
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal((me.body as { user: { username: string } }).user.username, account.username);
    });

    test('a wrong password goes back to the form with the reason and a next= that is safe', async () => {
      const account = await createAccount(suite.node, 'moderator');
      const wrong = await postSignIn({ username: account.username, password: 'not-the-password', next: '/\\evil.example/' });
      assert.equal(wrong.status, 303);
      const to = destination(wrong, suite.node.baseUrl);
      assert.equal(to.pathname, '/login');
      assert.equal(to.searchParams.get('error'), 'invalid_credentials');
      assert.equal(to.searchParams.get('next'), DEFAULT_NEXT_PATH);
      assert.equal(wrong.setCookies.filter((c) => c.includes('tl_session=') && !/max-age=0/i.test(c)).length, 0, 'no session');

      const kept = await postSignIn({ username: account.username, password: 'not-the-password', next: '/moderate/audit' });
      assert.equal(destination(kept, suite.node.baseUrl).searchParams.get('next'), '/moderate/audit', 'a good next= survives a typo');
    });

    test('another site cannot post the sign-in form (a login CSRF)', async () => {
      const account = await createAccount(suite.node, 'moderator');
      const res = await sendRequest({
        baseUrl: suite.node.baseUrl,
        method: 'POST',
        path: '/login',
        cookie: undefined,
        raw: new URLSearchParams({ username: account.username, password: account.password, next: '/moderate' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      });
      assert.equal(res.status, 403);
      assert.equal(res.setCookies.length, 0);
    });
  });
}
