import fs from 'node:fs';
import type { Browser, BrowserContext } from '@playwright/test';
import { audit } from './axe';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread } from './serverProcess';
import { serverWithItsStore } from './ownServer';

/**
 * A person's own data (issue 16.4) in a real browser: a signed-in commenter's /account lists their
 * devices and signs the others out, renames them, downloads their data and deletes the account,
 * after which their comment is a deleted placeholder with its reply in place. The account and its
 * sessions are made here the way a sign-in method makes them (store and services on the server's
 * own database), so this spec needs no sign-in method configured.
 */
const own = serverWithItsStore('account');

const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';
const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Mobile Safari/537.36';

/** A browser signed in as the person with this address: a session made by the auth service, its cookie set as the server would. */
async function signedIn(browser: Browser, email: string, userAgent: string): Promise<BrowserContext> {
  const { token } = await own.services.auth.signInWith({
    identity: { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name: 'Dana Doe', badges: null },
    userAgent,
  });
  const context = await browser.newContext({ userAgent });
  await context.addCookies([{ name: 'tl_session', value: token, url: own.server.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

test('16.4 a signed-in person sees their two devices and signs out the other, renames, downloads their data, deletes the account: their comment is a deleted placeholder with its reply in place', async ({ browser, openReader }) => {
  const slug = await createThread(own.server, 'My own data');
  const email = `dana-${Date.now()}@example.test`;
  const laptop = await signedIn(browser, email, LAPTOP);
  const phone = await signedIn(browser, email, PHONE);
  const guest = await browser.newContext();
  try {
    const posted = await laptop.request.post(`${own.server.baseUrl}/api/threads/${slug}/comments`, { data: { body: 'Mine, for now' } });
    expect(posted.status()).toBe(201);
    const mine = ((await posted.json()) as { comment: { id: string; author: { name: string } } }).comment;
    expect(mine.author.name).toBe('Dana Doe');
    const replied = await guest.request.post(`${own.server.baseUrl}/api/threads/${slug}/comments`, { data: { body: 'A reply that stays', authorName: 'Rae', parentId: mine.id } });
    expect(replied.status()).toBe(201);

    const page = await laptop.newPage();
    await page.goto(`${own.server.baseUrl}/account`);
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await expect(page.getByText('Signed in on 2 devices.')).toBeVisible();
    await expect(page.locator('.account-session[data-current]')).toContainText('Firefox on Linux');
    await expect(page.locator('.account-session:not([data-current])')).toContainText('Chrome on Android');
    await audit(page);

    await page.getByRole('button', { name: 'Sign out the others' }).click();
    await expect(page.getByText('Signed in on 1 device.')).toBeVisible();
    expect((await phone.request.get(`${own.server.baseUrl}/api/me/account`)).status()).toBe(401);
    const phonePage = await phone.newPage();
    await phonePage.goto(`${own.server.baseUrl}/account`);
    await expect(phonePage.getByText('Sign in to see your account.')).toBeVisible();

    const newName = `Dana Renamed ${Date.now() % 100_000}`;
    await page.getByLabel('Display name', { exact: true }).fill(newName);
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect(page.getByRole('status').filter({ hasText: `You are now ${newName}.` })).toBeVisible();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download your data' }).click()]);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { account: { displayName: string; email: string }; comments: { id: string; body: string }[] };
    expect(exported.account).toMatchObject({ displayName: newName, email });
    expect(exported.comments.map((c) => [c.id, c.body])).toEqual([[mine.id, 'Mine, for now']]);

    await page.getByLabel(/Type your display name/).fill('not my name');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'That is not your display name as it is now.' })).toBeVisible();
    await page.getByLabel(/Type your display name/).fill(newName);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(`${own.server.baseUrl}/`);
    expect((await laptop.request.get(`${own.server.baseUrl}/api/me/account`)).status()).toBe(401);

    const reader = await openReader(`${own.server.baseUrl}/articles/${slug}`);
    const placeholder = reader.locator(`article.comment[data-comment-id="${mine.id}"]`);
    await expect(placeholder).toContainText('This comment was deleted.');
    await expect(placeholder).not.toContainText('Mine, for now');
    await expect(new ArticlePage(reader).replies(placeholder)).toContainText('A reply that stays');
  } finally {
    await Promise.all([laptop.close(), phone.close(), guest.close()]);
  }
});

test('16.4 after signing in, the browser that commented as a guest is offered its comments, and claims them under the account’s name', async ({ browser }) => {
  const slug = await createThread(own.server, 'Claimed by their author');
  const context = await browser.newContext({ userAgent: LAPTOP });
  try {
    // As a guest first: the post gives this browser its guest cookie.
    const posted = await context.request.post(`${own.server.baseUrl}/api/threads/${slug}/comments`, { data: { body: 'Written as a guest', authorName: 'Guest Me' } });
    expect(posted.status()).toBe(201);
    const id = ((await posted.json()) as { comment: { id: string } }).comment.id;
    const email = `claimer-${Date.now()}@example.test`;
    const { token, user } = await own.services.auth.signInWith({
      identity: { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name: 'Claire Claimer', badges: null },
      userAgent: LAPTOP,
    });
    await context.addCookies([{ name: 'tl_session', value: token, url: own.server.baseUrl, httpOnly: true, sameSite: 'Lax' }]);

    const page = await context.newPage();
    await page.goto(`${own.server.baseUrl}/account`);
    await expect(page.getByText('You wrote 1 comment as a guest in this browser: make it yours?')).toBeVisible();
    await page.getByRole('button', { name: 'Make them mine' }).click();
    await expect(page.getByRole('status').filter({ hasText: '1 comment is now yours.' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Make them mine' })).toHaveCount(0);

    const thread = (await (await context.request.get(`${own.server.baseUrl}/api/threads/${slug}`)).json()) as { comments: { id: string; author: { name: string } }[] };
    expect(thread.comments.find((c) => c.id === id)?.author.name).toBe(user.displayName);
    // Offered once: the guest cookie is gone.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'What you wrote as a guest' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
