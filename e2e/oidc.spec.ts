import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startTestOidcProvider, type TestOidcProvider } from '../server/testing/oidcProvider';
import { expect, newArticle, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { ROOT, startServer, type ServerProcess } from './serverProcess';

// Signing in with OpenID Connect in Chromium, against a real provider (oidc-provider) started here,
// with its own sign-in page: the reader types their subject there, as they would sign in at Google.

let provider: TestOidcProvider;
let server: ServerProcess;
/**
 * Another origin, whose article pages frame the embed: the same site (127.0.0.1, another port), since over
 * plain HTTP a cross-site frame cannot keep a cookie at all (docs/embed.md: over HTTPS it is Partitioned).
 */
let host: { url: string; close(): Promise<void> };

async function startHost(): Promise<typeof host> {
  const hostServer = http.createServer((req, res) => {
    const slug = new URL(req.url ?? '/', 'http://host.invalid').searchParams.get('slug') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>A newspaper</title><h1>An article</h1><iframe src="${server.baseUrl}/embed/${encodeURIComponent(slug)}" width="600" height="800"></iframe>`);
  });
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(hostServer.address() as AddressInfo).port}`, close: () => new Promise((resolve) => hostServer.close(() => resolve())) };
}

test.beforeAll(async () => {
  provider = await startTestOidcProvider();
  host = await startHost();
  const providers = [{ id: 'test', label: 'Test ID', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret }];
  server = await startServer({ env: { OIDC_PROVIDERS: JSON.stringify(providers), EMBED_ORIGINS: host.url } });
  provider.open([`${server.baseUrl}/api/auth/oidc/test/callback`]);
  provider.addAccount({ sub: 'ada-1', name: 'Ada Reader', email: 'ada@example.org', emailVerified: true });
  provider.addAccount({ sub: 'mo-1', name: 'Mo Derator', email: 'mo@example.org', emailVerified: true });
});

test.afterAll(async () => {
  await server?.stop();
  await provider?.close();
  await host?.close();
});

async function signInAtProvider(page: Page, subject: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in at the test provider' })).toBeVisible();
  await page.getByLabel('Subject').fill(subject);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a reader signs in with the provider, comes back to the article signed in, and comments under their provider name', async ({ browser }) => {
  const { slug, url } = await newArticle(server, 'Signing in with a provider');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(`/articles/${slug}`)}`);
  await page.getByRole('link', { name: 'Sign in with Test ID' }).click();
  await signInAtProvider(page, 'ada-1');
  await page.waitForURL(url);
  await expect(page.locator('.connection')).toHaveText(/Live/);

  const form = page.locator('form#comment-form');
  // A signed-in person's comments carry their account's name, whatever a guest's name field says.
  const name = form.getByLabel('Your name');
  if (await name.isVisible()) await name.fill('Somebody Else');
  await form.getByLabel('Your comment').fill('Hello from a provider account.');
  await form.getByRole('button', { name: /Post/ }).click();
  const comment = new ArticlePage(page).comment('Hello from a provider account.');
  await expect(comment).not.toHaveClass(/comment-sending/);
  await page.reload();
  await expect(new ArticlePage(page).comment('Hello from a provider account.')).toContainText('Ada Reader');
  await context.close();
});

test('a moderator signs in through the provider and gets the desk once an admin gave the account the role', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login?next=/moderate`);
  await page.getByRole('link', { name: 'Sign in with Test ID' }).click();
  await signInAtProvider(page, 'mo-1');
  // Signed in, but a commenter: the desk sends them back to the staff sign-in.
  await page.waitForURL(/\/login\?next=%2Fmoderate/);

  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'userRole.ts'), 'Mo Derator', 'moderator'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('is now moderator');

  await page.goto(`${server.baseUrl}/moderate`);
  await expect(page.getByRole('heading', { name: 'Moderation desk' })).toBeVisible();
  await context.close();
});

test('in a popup opened by the embed on another origin, the sign-in ends by handing the frame a session and closing', async ({ browser }) => {
  const { slug } = await newArticle(server, 'Signing in from the embed');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${host.url}/?slug=${slug}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.connection')).toHaveText(/Live/);
  const box = frame.locator('form#comment-form');
  // A provider's page cannot be framed: the frame's "Sign in" opens the sign-in page in a popup.
  const opened = page.waitForEvent('popup');
  await box.getByRole('link', { name: 'Sign in' }).click();
  const popup = await opened;
  await popup.getByRole('link', { name: /Test ID/ }).click();
  const swapped = page.waitForResponse((r) => r.url().endsWith('/api/auth/frame-session') && r.request().method() === 'POST');
  const closed = popup.waitForEvent('close');
  await signInAtProvider(popup, 'ada-1');
  await closed;
  expect((await swapped).status()).toBe(200);
  await expect(box.getByText(/^Commenting as .+\./)).toBeVisible();
  await context.close();
});

test('cancelling at the provider, or a callback this browser did not start, ends on a page that says why', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByRole('link', { name: 'Sign in with Test ID' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in at the test provider' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(/\/signin\/done\?/);
  await expect(page.locator('p[data-error-code]')).toContainText('The sign-in was cancelled at the provider.');
  await expect(page.getByRole('heading', { name: 'Sign-in did not work' })).toBeVisible();

  await page.goto(`${server.baseUrl}/api/auth/oidc/test/callback?code=stolen&state=forged`);
  await expect(page.locator('p[data-error-code]')).toContainText('started in another browser');
  await context.close();
});
