import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { makeSsoToken } from '../scripts/ssoToken';
import { embedded } from './embedHost';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * The newsroom's own login in the embed (docs/embed.md, "Signing readers in with your site's
 * login"), in Chromium: a host page on another origin signs its user's token on its server and puts
 * it in `data-sso-token`; the reader comments under the host's name; the host's login changes
 * (`Threadline.setSsoToken` with another user's token) and the next comment is under the new name;
 * `setSsoToken(null)` signs the reader out.
 */

const SSO_SECRET = 'e2e-sso-secret-e2e-sso-secret-e2e-sso';

let threadline: ServerProcess;
let host: { port: number; close(): Promise<void> };

/** The host site: `/story/<slug>?sso=<token>` embeds the thread with the token its server signed. */
async function startSsoHost(): Promise<typeof host> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const slug = /^\/story\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
    if (!slug) return void res.writeHead(404).end();
    const token = url.searchParams.get('sso') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Signed-in story</title></head><body>
<h1>A story for subscribers</h1>
<script src="${threadline.baseUrl}/embed.js" data-thread="${slug}" data-sso-token="${token.replace(/[^\w.-]/g, '')}" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test.beforeAll(async () => {
  host = await startSsoHost();
  threadline = await startServer({ env: { EMBED_ORIGINS: `http://127.0.0.1:${host.port}`, SSO_SECRET } });
});

test.afterAll(async () => {
  await threadline?.stop();
  await host?.close();
});

const tokenFor = (sub: string, name: string) => makeSsoToken({ sub, name, email: `${sub}@host.example` }, { secret: SSO_SECRET });

async function postInFrame(frame: FrameLocator, body: string): Promise<void> {
  const form = frame.locator('form#comment-form');
  // A signed-in reader's box asks no name (their account's is theirs); a guest's does.
  const name = form.getByLabel('Your name');
  if (await name.isVisible()) await name.fill('Typed name');
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: /Post/ }).click();
  await expect(frame.locator('article.comment', { hasText: body })).not.toHaveClass(/comment-sending/);
}

const authorOf = (frame: FrameLocator, body: string) => frame.locator('article.comment', { hasText: body }).locator('.comment-author');

test('a host page on another origin signs its reader in with data-sso-token; Threadline.setSsoToken switches to another user, and null signs out', async ({ browser }) => {
  const slug = await createThread(threadline, 'Story for signed-in readers');
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto(`http://127.0.0.1:${host.port}/story/${slug}?sso=${await tokenFor('host-1', 'Ada Host')}`);
  const frame = embedded(page);
  await expect(frame.getByTestId('embed-account')).toHaveText('Commenting as Ada Host');
  await expect(frame.locator('.connection')).toHaveText(/Live/);
  await postInFrame(frame, 'First, as the host user');
  await expect(authorOf(frame, 'First, as the host user')).toHaveText('Ada Host');

  // The host's login changes: another user's token, handed over by the page's script.
  const second = await tokenFor('host-2', 'Bo Second');
  await page.evaluate((token) => (window as unknown as { Threadline: { setSsoToken(t: string | null): void } }).Threadline.setSsoToken(token), second);
  await expect(frame.getByTestId('embed-account')).toHaveText('Commenting as Bo Second');
  await expect(frame.locator('.connection')).toHaveText(/Live/);
  await postInFrame(frame, 'Second, after the switch');
  await expect(authorOf(frame, 'Second, after the switch')).toHaveText('Bo Second');
  await expect(authorOf(frame, 'First, as the host user')).toHaveText('Ada Host');

  // Signed out on the host: a guest again, posting under the name typed.
  await page.evaluate(() => (window as unknown as { Threadline: { setSsoToken(t: string | null): void } }).Threadline.setSsoToken(null));
  await expect(frame.getByTestId('embed-account')).toHaveCount(0);
  await expect(frame.locator('.connection')).toHaveText(/Live/);
  await postInFrame(frame, 'Third, signed out');
  await expect(authorOf(frame, 'Third, signed out')).toHaveText('Typed name');

  // A token whose signature was tampered with: refused (the frame tells the host's developers why), nobody signed in.
  const warnings: string[] = [];
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())));
  await page.goto(`http://127.0.0.1:${host.port}/story/${slug}?sso=${(await tokenFor('host-1', 'Ada Host')).slice(0, -4)}AAAA`);
  await expect.poll(() => warnings.join('\n')).toContain("the site's sign-in token was refused (bad_signature)");
  await expect(embedded(page).locator('.connection')).toHaveText(/Live/);
  await expect(embedded(page).getByTestId('embed-account')).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});
