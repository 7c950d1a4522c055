import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createEmailLinks, LINK_TTL_MS } from '../../lib/services/signIn/emailLinks';
import { createFrameCodes, FRAME_CODE_TTL_MS } from '../../lib/services/signIn/frameCodes';
import { createSmtpMailer } from '../mail/smtpMailer';
import { captureLog } from '../testing/logCapture';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../testing/smtpServer';
import { expectError, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';
import { waitFor } from '../testing/wait';

/**
 * Sign-in by email link over HTTP against a real SMTP server (smtp-server) and a real store, both
 * engines: the mail that arrives, the link followed in the browser that asked, in another one,
 * twice, too late; the limits; the frame code; and that no token reaches the log.
 */
const PUBLIC_URL = 'http://comments.test';

for (const kind of DATABASE_KINDS) {
  describe(`email sign-in links (${kind})`, () => {
    let smtp: TestSmtpServer;
    let mailer: ReturnType<typeof createSmtpMailer>;
    // The links' clock: moved forward instead of waiting 15 minutes.
    let clockOffsetMs = 0;
    const now = () => Date.now() + clockOffsetMs;
    const captured = captureLog({ level: 'info' });

    before(async () => {
      smtp = await startSmtpServer();
      mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'Comments <comments@news.test>' });
    });
    after(async () => {
      mailer.close();
      await smtp.close();
    });

    const suite = useNode(kind, {
      log: captured.log,
      // Stands in for Next.js: the link and the form are answered outside /api only on a node with pages.
      pageHandler: (_req, res) => void res.end('page'),
      // Every test client is 127.0.0.1: the per-client budget is the subject of one test only.
      limits: { emailLinksAddress: { points: 1000, durationSeconds: 3600 } },
      services: (store, defaults) => ({
        ...defaults,
        emailLinks: createEmailLinks({ store, mailer, publicUrl: PUBLIC_URL, perEmail: defaults.limiters.emailLinks, perClient: defaults.limiters.emailLinksAddress, now }),
        frameCodes: createFrameCodes({ store, now }),
      }),
    });

    const freshAddress = () => `Reader.${randomBytes(4).toString('hex')}@Example.TEST`;

    /** Asks for a link as the sign-in page does, and waits for the mail. */
    async function askForLink(client: WebClient, email: string, next?: string): Promise<ReceivedMail> {
      const before = smtp.mailsTo(email.toLowerCase()).length;
      const res = await client.post('/api/auth/email-link', { email, ...(next && { next }) });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return waitFor(`a mail to ${email}`, () => smtp.mailsTo(email.toLowerCase())[before]);
    }

    /** The link's path and query on the test node (the mail points at PUBLIC_URL). */
    const onNode = (link: string) => {
      const url = new URL(link);
      assert.equal(url.origin, PUBLIC_URL, 'the link points at PUBLIC_URL, never at a host a request named');
      return `${url.pathname}${url.search}`;
    };

    const refusal = (location: string | null) => {
      const url = new URL(location ?? '', PUBLIC_URL);
      return { path: url.pathname, error: url.searchParams.get('error'), reason: url.searchParams.get('reason') };
    };

    test('the link signs in the browser that asked, once, and leads where it was asked from', async () => {
      const browser = new WebClient(suite.node.baseUrl);
      const email = freshAddress();
      const mail = await askForLink(browser, email, '/articles/some-story');
      assert.deepEqual(mail.to, [email.toLowerCase()]);
      assert.equal(mail.from, 'comments@news.test');
      assert.ok(mail.link, `a link in the mail:\n${mail.text}`);
      assert.match(mail.text, /15 minutes/);

      const followed = await browser.get(onNode(mail.link));
      assert.equal(followed.status, 303);
      assert.equal(followed.headers.get('location'), '/articles/some-story');
      const session = await browser.get('/api/auth/session');
      const account = (session.body as { account: { displayName: string; role: string } | null }).account;
      assert.ok(account, 'signed in');
      assert.equal(account.role, 'commenter');
      const identities = await suite.node.store.accounts.listIdentities((session.body as { account: { id: string } }).account.id);
      assert.deepEqual(identities.map((i) => [i.method, i.provider, i.subject]), [['email', 'email', email.toLowerCase()]]);

      // Used: the same link again, in the same browser, signs nobody in.
      const again = await new WebClient(suite.node.baseUrl, Object.fromEntries([...browser.jar].filter(([name]) => name.endsWith('tl_link')))).get(onNode(mail.link));
      assert.deepEqual(refusal(again.headers.get('location')), { path: '/signin', error: 'sign_in_link_invalid', reason: 'used' });
      assert.ok(!again.setCookies.some((c) => /tl_session=[^;]+/.test(c)), 'no session cookie');
    });

    test('another browser following the link is refused and does not use it up', async () => {
      const asker = new WebClient(suite.node.baseUrl);
      const email = freshAddress();
      const mail = await askForLink(asker, email);
      const other = new WebClient(suite.node.baseUrl);
      const refused = await other.get(onNode(mail.link!));
      assert.deepEqual(refusal(refused.headers.get('location')), { path: '/signin', error: 'sign_in_link_invalid', reason: 'other_browser' });
      assert.equal(other.sessionToken, undefined);
      // The JSON route says the same, with the reason in fields.link.
      const verify = await other.post('/api/auth/email-link/verify', { token: new URL(mail.link!).searchParams.get('token') });
      assert.deepEqual(expectError(verify, 400, 'sign_in_link_invalid').fields, { link: ['other_browser'] });
      // The browser that asked still can.
      const followed = await asker.get(onNode(mail.link!));
      assert.equal(followed.headers.get('location'), '/');
      assert.ok(asker.sessionToken);
    });

    test('a link past its 15 minutes is refused as expired', async () => {
      const browser = new WebClient(suite.node.baseUrl);
      const mail = await askForLink(browser, freshAddress());
      clockOffsetMs = LINK_TTL_MS + 1;
      try {
        const late = await browser.get(onNode(mail.link!));
        assert.deepEqual(refusal(late.headers.get('location')), { path: '/signin', error: 'sign_in_link_invalid', reason: 'expired' });
        assert.equal(browser.sessionToken, undefined);
      } finally {
        clockOffsetMs = 0;
      }
    });

    test('malformed and unknown tokens: a clear reason, never a 500, nobody signed in', async () => {
      const browser = new WebClient(suite.node.baseUrl);
      for (const [query, reason] of [
        ['', 'malformed'],
        ['?token=', 'malformed'],
        ['?token=%E0%A4%A', 'malformed'],
        ['?token=short', 'malformed'],
        [`?token=${'A'.repeat(43)}`, 'unknown'],
        [`?token=${'A'.repeat(43)}&token=x`, 'unknown'],
      ] as const) {
        const res = await browser.get(`/signin/link${query}`);
        assert.equal(res.status, 303, query);
        assert.deepEqual(refusal(res.headers.get('location')), { path: '/signin', error: 'sign_in_link_invalid', reason }, query);
      }
      const verify = await browser.post('/api/auth/email-link/verify', { token: 42 });
      expectError(verify, 400, 'invalid_request');
      assert.equal(browser.sessionToken, undefined);
    });

    test('the answer is the same whether an account has the address or not; a bad address is named', async () => {
      const email = freshAddress();
      const first = await askForLink(new WebClient(suite.node.baseUrl), email);
      await new WebClient(suite.node.baseUrl).get(onNode(first.link!)); // another browser: no account made
      const browser = new WebClient(suite.node.baseUrl);
      await browser.get(onNode((await askForLink(browser, email)).link!)); // now the account exists
      const known = await new WebClient(suite.node.baseUrl).post('/api/auth/email-link', { email });
      const unknown = await new WebClient(suite.node.baseUrl).post('/api/auth/email-link', { email: freshAddress() });
      assert.deepEqual([known.status, known.body], [unknown.status, unknown.body]);
      const bad = await new WebClient(suite.node.baseUrl).post('/api/auth/email-link', { email: 'not an address' });
      assert.ok(expectError(bad, 400, 'invalid_request').fields?.email);
    });

    test('at most 3 mails per address in 15 minutes: the 4th is refused, and no mail goes', async () => {
      const email = freshAddress();
      const browser = new WebClient(suite.node.baseUrl);
      for (let i = 0; i < 3; i++) await askForLink(browser, email);
      const fourth = await browser.post('/api/auth/email-link', { email });
      assert.ok(expectError(fourth, 429, 'rate_limited').retryAfter);
      assert.equal(smtp.mailsTo(email.toLowerCase()).length, 3);
    });

    test('the form without JavaScript asks for a link and comes back to the page; its link works', async () => {
      const browser = new WebClient(suite.node.baseUrl);
      const email = freshAddress();
      const res = await browser.request('POST', '/signin/email', { raw: new URLSearchParams({ email, next: '/articles/x' }).toString(), contentType: 'application/x-www-form-urlencoded' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/signin?sent=1&next=%2Farticles%2Fx');
      const mail = await waitFor('the mail', () => smtp.mailsTo(email.toLowerCase())[0]);
      assert.equal((await browser.get(onNode(mail.link!))).headers.get('location'), '/articles/x');
      const bad = await browser.request('POST', '/signin/email', { raw: 'email=nope', contentType: 'application/x-www-form-urlencoded' });
      assert.equal(bad.headers.get('location'), '/signin?error=invalid_request');
    });

    test('a frame code hands the sign-in to another cookie jar, once, for a minute', async () => {
      const browser = new WebClient(suite.node.baseUrl);
      await browser.get(onNode((await askForLink(browser, freshAddress())).link!));
      const anonymous = await new WebClient(suite.node.baseUrl).post('/api/auth/frame-code');
      expectError(anonymous, 401, 'sign_in_required');
      const minted = await browser.post('/api/auth/frame-code');
      assert.equal(minted.status, 200, JSON.stringify(minted.body));
      const { code } = minted.body as { code: string };
      const frame = new WebClient(suite.node.baseUrl);
      const swapped = await frame.post('/api/auth/frame-session', { code });
      assert.equal(swapped.status, 200, JSON.stringify(swapped.body));
      const mine = (await browser.get('/api/auth/session')).body as { account: { id: string } };
      const framed = (await frame.get('/api/auth/session')).body as { account: { id: string } };
      assert.equal(framed.account.id, mine.account.id);
      expectError(await new WebClient(suite.node.baseUrl).post('/api/auth/frame-session', { code }), 400, 'sign_in_code_invalid');
      const late = (await browser.post('/api/auth/frame-code')).body as { code: string };
      clockOffsetMs = FRAME_CODE_TTL_MS + 1;
      try {
        expectError(await new WebClient(suite.node.baseUrl).post('/api/auth/frame-session', { code: late.code }), 400, 'sign_in_code_invalid');
      } finally {
        clockOffsetMs = 0;
      }
      expectError(await new WebClient(suite.node.baseUrl).post('/api/auth/frame-session', { code: 'x' }), 400, 'sign_in_code_invalid');
    });

    test("a commenter signs out with POST /api/auth/logout: the session is gone on the server too", async () => {
      const browser = new WebClient(suite.node.baseUrl);
      await browser.get(onNode((await askForLink(browser, freshAddress())).link!));
      const token = browser.sessionToken;
      assert.ok(token);
      assert.equal((await browser.logout()).status, 200);
      assert.equal(((await browser.get('/api/auth/session')).body as { account: unknown }).account, null);
      const replayed = new WebClient(suite.node.baseUrl, { tl_session: token });
      assert.equal(((await replayed.get('/api/auth/session')).body as { account: unknown }).account, null);
    });

    test('no link token or frame code is ever written to the log', async () => {
      const tokens = smtp.mails.map((m) => new URL(m.link!).searchParams.get('token')!);
      assert.ok(tokens.length > 5);
      const text = captured.text();
      assert.match(text, /\/signin\/link/, 'the link requests are logged');
      for (const token of tokens) assert.ok(!text.includes(token), 'a token in the log');
    });
  });
}

describe('email sign-in without SMTP_URL', () => {
  const suite = useNode('sqlite', { pageHandler: (_req, res) => void res.end('page') });

  test('the method says it is off, on the API and the form; the session read says so too', async () => {
    const browser = new WebClient(suite.node.baseUrl);
    expectError(await browser.post('/api/auth/email-link', { email: 'a@example.test' }), 404, 'sign_in_method_off');
    const form = await browser.request('POST', '/signin/email', { raw: 'email=a%40example.test', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.headers.get('location'), '/signin?error=sign_in_method_off');
    const link = await browser.get(`/signin/link?token=${'A'.repeat(43)}`);
    assert.equal(link.headers.get('location'), '/signin?error=sign_in_method_off');
    const session = (await browser.get('/api/auth/session')).body as { account: unknown; methods: { email: boolean } };
    assert.equal(session.account, null);
    assert.equal(session.methods.email, false);
  });
});
