import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServices, type Services } from '../../lib/services';
import { importSeedDirectory } from '../../lib/seed/importSeeds';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import type { OidcProviderSettings } from '../../lib/services/oidc/oidcProviders';
import { createApp, type App } from '../app';
import { captureLog } from '../testing/logCapture';
import { startTestOidcProvider, type TestOidcProvider } from '../testing/oidcProvider';
import { RedirectBrowser } from '../testing/redirectBrowser';
import { DATABASE_KINDS } from '../testing/suites';
import { SocketPool } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { waitForStaffSocket } from '../testing/staff';
import type { TestNode } from '../testing/nodes';
import { SEEDS_DIR, TEST_SESSION_SECRET } from '../testing/testApp';
import { TEST_PASSWORD_COST } from '../testing/nodes';

interface OidcApp {
  app: App;
  services: Services;
  baseUrl: string;
  log: ReturnType<typeof captureLog>;
  close(): Promise<void>;
}

async function startApp(store: Store, providers: OidcProviderSettings[]): Promise<OidcApp> {
  const log = captureLog({ level: 'info' });
  const services = createServices({ store, sessionSecret: TEST_SESSION_SECRET, oidcProviders: providers, rateLimits: false, passwordCost: TEST_PASSWORD_COST });
  const app = createApp({ services, log: log.log });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, services, baseUrl: `http://127.0.0.1:${port}`, log, close: () => app.close().then(() => undefined) };
}

/** A port nobody listens on: taken from 0, then closed. */
async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const kind of DATABASE_KINDS) {
  describe(`OpenID Connect sign-in against a real provider (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    let provider: TestOidcProvider;
    let threadline: OidcApp;

    const settings = (): OidcProviderSettings => ({
      id: 'test',
      label: 'Test ID',
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      scopes: ['openid', 'email', 'profile'],
    });
    const onThreadline = (url: URL) => url.origin === threadline.baseUrl && !url.pathname.startsWith('/api/auth/oidc/');

    /** Starts at Threadline, signs in at the provider as `sub` (or cancels there), and stops where Threadline sends the browser last. */
    async function signIn(browser: RedirectBrowser, sub: string | 'cancel', start = '/api/auth/oidc/test/start?next=/articles/x'): Promise<{ landed: URL; callback: string }> {
      const toProvider = await browser.follow(`${threadline.baseUrl}${start}`);
      assert.equal(toProvider.response.status, 200, `the provider's sign-in page (got ${toProvider.url})`);
      const uid = /\/interaction\/([^/?]+)/.exec(toProvider.url)?.[1];
      assert.ok(uid, `an interaction at the provider, got ${toProvider.url}`);
      await toProvider.response.text();
      const action = sub === 'cancel' ? `/interaction/${uid}/abort` : `/interaction/${uid}/login`;
      const back = await browser.follow(`${provider.issuer}${action}`, { form: sub === 'cancel' ? {} : { login: sub } }, (url) => url.pathname === '/api/auth/oidc/test/callback');
      assert.match(back.url, /\/api\/auth\/oidc\/test\/callback\?/);
      const landed = await browser.follow(back.url, {}, onThreadline);
      return { landed: new URL(landed.url), callback: back.url };
    }

    async function personOf(browser: RedirectBrowser) {
      const token = browser.jar.get('tl_session');
      return token ? threadline.services.auth.person(token) : null;
    }

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      await importSeedDirectory({ store, dir: SEEDS_DIR });
      provider = await startTestOidcProvider();
      threadline = await startApp(store, [settings()]);
      provider.open([`${threadline.baseUrl}/api/auth/oidc/test/callback`]);
      provider.addAccount({ sub: 'ada-1', name: 'Ada Reader', email: 'ada@example.org', emailVerified: true });
      provider.addAccount({ sub: 'mo-1', name: 'Mo Derator', email: 'mo@example.org', emailVerified: true });
    });

    after(async () => {
      await threadline?.close();
      await provider?.close();
      await store?.close();
      await db?.cleanup();
    });

    test('a reader signs in at the provider, comes back to `next` signed in, and comments under their provider name', async () => {
      const { slug } = await threadline.services.threads.createThread({ title: 'Signing in with a provider' });
      const browser = new RedirectBrowser();
      const { landed } = await signIn(browser, 'ada-1', `/api/auth/oidc/test/start?next=${encodeURIComponent(`/articles/${slug}`)}`);
      assert.equal(landed.pathname, `/articles/${slug}`);
      const session = await personOf(browser);
      assert.ok(session, 'signed in');
      assert.equal(session.user.displayName, 'Ada Reader');
      assert.equal(session.user.role, 'commenter');
      assert.equal(session.user.email, 'ada@example.org');
      assert.ok(session.user.emailVerifiedAt);
      const identities = await store.accounts.listIdentities(session.user.id);
      assert.deepEqual(identities.map((i) => [i.method, i.provider, i.subject]), [['oidc', 'oidc:test', 'ada-1']]);
      assert.ok(!browser.jar.has('tl_oidc'), 'the flow cookie is gone once used');

      const posted = await browser.send(`${threadline.baseUrl}/api/threads/${slug}/comments`, { json: { body: 'Signed in through OpenID Connect.' } });
      assert.equal(posted.status, 201, await posted.clone().text());
      const { comment } = (await posted.json()) as { comment: { author: { name: string | null } } };
      assert.equal(comment.author.name, 'Ada Reader');

      // A second sign-in finds the same account.
      const again = new RedirectBrowser();
      await signIn(again, 'ada-1');
      assert.equal((await personOf(again))?.user.id, session.user.id);
      // Signing in again in the same browser replaces its session: the old one ends. (Still signed in at
      // the provider, the browser goes there and straight back.)
      const oldToken = browser.jar.get('tl_session')!;
      const back = await browser.follow(`${threadline.baseUrl}/api/auth/oidc/test/start?next=/articles/x`, {}, onThreadline);
      assert.equal(new URL(back.url).pathname, '/articles/x');
      assert.notEqual(browser.jar.get('tl_session'), oldToken);
      assert.equal(await threadline.services.auth.person(oldToken), null);
      assert.ok(await personOf(browser));
    });

    test('an admin makes an OIDC account a moderator: its next request opens the desk; never on oneself, never by a moderator', async () => {
      const browser = new RedirectBrowser();
      await signIn(browser, 'mo-1');
      const person = (await personOf(browser))!.user;
      assert.equal((await browser.send(`${threadline.baseUrl}/api/auth/me`)).status, 401, 'a commenter has no desk');

      await threadline.services.auth.upsertUser({ username: 'chief', password: 'chief-password-123', role: 'admin' });
      const admin = new RedirectBrowser();
      assert.equal((await admin.send(`${threadline.baseUrl}/api/auth/login`, { json: { username: 'chief', password: 'chief-password-123' } })).status, 200);
      const made = await admin.send(`${threadline.baseUrl}/api/people/${person.id}/role`, { method: 'PUT', json: { role: 'moderator' } });
      assert.equal(made.status, 200, await made.clone().text());
      assert.deepEqual(await made.json(), { person: { id: person.id, displayName: 'Mo Derator', role: 'moderator' } });

      const me = await browser.send(`${threadline.baseUrl}/api/auth/me`);
      assert.equal(me.status, 200, 'the same session now opens the desk');
      // A moderator cannot make moderators; an admin cannot change their own role; an unknown id is not found; a bad role is refused.
      assert.equal((await browser.send(`${threadline.baseUrl}/api/people/${person.id}/role`, { method: 'PUT', json: { role: 'admin' } })).status, 403);
      const chief = (await store.accounts.findUserByUsername('chief'))!;
      assert.equal((await admin.send(`${threadline.baseUrl}/api/people/${chief.id}/role`, { method: 'PUT', json: { role: 'commenter' } })).status, 403);
      assert.equal((await admin.send(`${threadline.baseUrl}/api/people/nobody00000/role`, { method: 'PUT', json: { role: 'moderator' } })).status, 404);
      const bad = await admin.send(`${threadline.baseUrl}/api/people/${person.id}/role`, { method: 'PUT', json: { role: 'owner' } });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_request');
      const audit = await store.moderation.listAudit({ limit: 20 });
      assert.ok(audit.some((a) => a.action === 'user.role' && a.target === person.id && a.actorName === 'chief'));

      // Made a commenter again, the moderator's open desk socket is cut at once (it would reconnect without the desk).
      const sockets = new SocketPool();
      try {
        const desk = await sockets.connect(threadline.baseUrl, { cookie: browser.cookie });
        await waitForStaffSocket({ app: threadline.app, baseUrl: threadline.baseUrl } as TestNode, desk, browser.jar.get('tl_session')!);
        assert.equal((await admin.send(`${threadline.baseUrl}/api/people/${person.id}/role`, { method: 'PUT', json: { role: 'commenter' } })).status, 200);
        await waitFor('the desk socket to be cut', () => desk.disconnected);
        assert.equal((await browser.send(`${threadline.baseUrl}/api/auth/me`)).status, 401, 'no desk any more');
      } finally {
        sockets.closeAll();
      }
    });

    test('a callback whose state is not the one this browser started with is refused (state_mismatch), and signs nobody in', async () => {
      const browser = new RedirectBrowser();
      const start = await browser.follow(`${threadline.baseUrl}/api/auth/oidc/test/start`, {}, (url) => url.origin === provider.issuer);
      const authorize = new URL(start.url);
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authorize.searchParams.get('code_challenge') && authorize.searchParams.get('nonce') && authorize.searchParams.get('state'));
      const forged = await browser.follow(`${threadline.baseUrl}/api/auth/oidc/test/callback?code=abc&state=forged-state`, {}, onThreadline);
      const landed = new URL(forged.url);
      assert.equal(landed.pathname, '/signin/done');
      assert.equal(landed.searchParams.get('error'), 'oidc_failed');
      assert.equal(landed.searchParams.get('reason'), 'state_mismatch');
      assert.equal(await personOf(browser), null);
    });

    test('a callback in a browser that never started (a link forced on someone) is state_missing; a replayed one is refused', async () => {
      const browser = new RedirectBrowser();
      const flowCookie = { value: '' };
      const toProvider = await browser.follow(`${threadline.baseUrl}/api/auth/oidc/test/start`);
      flowCookie.value = browser.jar.get('tl_oidc') ?? '';
      assert.ok(flowCookie.value, 'the flow cookie is set');
      const uid = /\/interaction\/([^/?]+)/.exec(toProvider.url)![1]!;
      await toProvider.response.text();
      const back = await browser.follow(`${provider.issuer}/interaction/${uid}/login`, { form: { login: 'ada-1' } }, (url) => url.pathname === '/api/auth/oidc/test/callback');

      const stranger = new RedirectBrowser();
      const forcedOn = new URL((await stranger.follow(back.url, {}, onThreadline)).url);
      assert.equal(forcedOn.searchParams.get('reason'), 'state_missing');
      assert.ok(!stranger.jar.has('tl_session'));

      assert.equal(new URL((await browser.follow(back.url, {}, onThreadline)).url).pathname, '/moderate', 'the real browser signs in');
      const replay = new URL((await browser.follow(back.url, {}, onThreadline)).url);
      assert.equal(replay.searchParams.get('reason'), 'state_missing', 'the flow was used up');
      // Even with the flow cookie copied back, the provider refuses a code it has already exchanged.
      const thief = new RedirectBrowser();
      thief.jar.set('tl_oidc', flowCookie.value);
      const replayed = new URL((await thief.follow(back.url, {}, onThreadline)).url);
      assert.equal(replayed.searchParams.get('error'), 'oidc_failed');
      assert.equal(replayed.searchParams.get('reason'), 'code_rejected');
      assert.ok(!thief.jar.has('tl_session'));
    });

    test('a person who cancels at the provider comes back to access_denied', async () => {
      const browser = new RedirectBrowser();
      const { landed } = await signIn(browser, 'cancel');
      assert.equal(landed.pathname, '/signin/done');
      assert.equal(landed.searchParams.get('error'), 'oidc_failed');
      assert.equal(landed.searchParams.get('reason'), 'access_denied');
      assert.ok(!browser.jar.has('tl_session'));
    });

    test('a popup ends at /signin/done?popup=1 with `next` (the page tells its opener); unknown providers and unsafe `next` are refused', async () => {
      const browser = new RedirectBrowser();
      const { landed } = await signIn(browser, 'ada-1', '/api/auth/oidc/test/start?popup=1&next=//evil.example/x');
      assert.equal(landed.pathname, '/signin/done');
      assert.equal(landed.searchParams.get('popup'), '1');
      assert.equal(landed.searchParams.get('error'), null);
      assert.equal(landed.searchParams.get('next'), '/moderate', 'another origin is never a next path');
      assert.ok(await personOf(browser));

      for (const path of ['/api/auth/oidc/nope/start', '/api/auth/oidc/nope/callback?code=x&state=y', '/api/auth/oidc/%E0%A4%A/start']) {
        const response = await new RedirectBrowser().send(`${threadline.baseUrl}${path}`);
        assert.ok(response.status === 303 || response.status === 400, `${path}: ${response.status}`);
        if (response.status === 303) assert.equal(new URL(response.headers.get('location')!, threadline.baseUrl).searchParams.get('reason'), 'unknown_provider');
      }
    });

    test('neither codes nor states reach the log', async () => {
      const text = threadline.log.text();
      assert.ok(text.includes('/api/auth/oidc/test/callback'), 'the callbacks were logged');
      assert.ok(!/[?&](code|state)=/.test(text), 'no query of a callback in the log');
    });

    test('a provider that cannot be reached answers oidc_unavailable (the app itself runs on); without providers the method is off', async () => {
      const down = await startApp(store, [{ ...settings(), id: 'down', issuer: `http://127.0.0.1:${await deadPort()}` }]);
      const off = await startApp(store, []);
      try {
        const refused = await new RedirectBrowser().send(`${down.baseUrl}/api/auth/oidc/down/start`);
        assert.equal(refused.status, 303);
        const location = new URL(refused.headers.get('location')!, down.baseUrl);
        assert.equal(location.pathname, '/signin/done');
        assert.equal(location.searchParams.get('error'), 'oidc_unavailable');
        assert.equal((await fetch(`${down.baseUrl}/api/health`)).status, 200);
        const disabled = await new RedirectBrowser().send(`${off.baseUrl}/api/auth/oidc/test/start`);
        assert.equal(new URL(disabled.headers.get('location')!, off.baseUrl).searchParams.get('error'), 'sign_in_method_off');
      } finally {
        await down.close();
        await off.close();
      }
    });

    test('the provider going down between start and callback is oidc_unavailable, not a 500', async () => {
      const other = await startTestOidcProvider({ clientId: 'second' });
      const app = await startApp(store, [{ ...settings(), id: 'second', issuer: other.issuer, clientId: 'second', clientSecret: other.clientSecret }]);
      other.open([`${app.baseUrl}/api/auth/oidc/second/callback`]);
      other.addAccount({ sub: 'x-1', name: 'Xavier' });
      try {
        const browser = new RedirectBrowser();
        const toProvider = await browser.follow(`${app.baseUrl}/api/auth/oidc/second/start`);
        const uid = /\/interaction\/([^/?]+)/.exec(toProvider.url)![1]!;
        await toProvider.response.text();
        const back = await browser.follow(`${other.issuer}/interaction/${uid}/login`, { form: { login: 'x-1' } }, (url) => url.pathname === '/api/auth/oidc/second/callback');
        await other.close();
        const landed = new URL((await browser.follow(back.url, {}, (url) => url.origin === app.baseUrl && !url.pathname.startsWith('/api/auth/oidc/'))).url);
        assert.equal(landed.searchParams.get('error'), 'oidc_unavailable');
        assert.ok(!browser.jar.has('tl_session'));
        assert.ok(!/[?&]code=/.test(app.log.text()), 'the failure is logged without the code');
      } finally {
        await app.close();
        await other.close();
      }
    });
  });
}

