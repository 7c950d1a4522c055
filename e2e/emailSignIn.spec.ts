import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../server/testing/smtpServer';
import { E2E_EMBED_SECRET, embedded, startHost, type Host } from './embedHost';
import { createThread, startMailingServer, startServer, type ServerProcess } from './serverProcess';

/**
 * Signing in by email link in Chromium, against a real SMTP server started here (smtp-server): the
 * mail is read from it and its link followed, in the browser that asked, in another one, twice and
 * too late; the comment box then posts under the account. Inside the embed on another origin the
 * same goes through the sign-in popup. And without SMTP_URL, the method says it is off.
 */

let smtp: TestSmtpServer;
let threadline: ServerProcess;
let host: Host;
let n = 0;
const freshAddress = () => `reader-${Date.now().toString(36)}-${++n}@example.test`;


test.beforeAll(async () => {
  smtp = await startSmtpServer();
  host = await startHost(() => threadline.baseUrl, { embedSecret: E2E_EMBED_SECRET });
  threadline = await startMailingServer(smtp.url, { EMBED_ORIGINS: `http://127.0.0.1:${host.port}`, EMBED_SECRET: E2E_EMBED_SECRET });
});

test.afterAll(async () => {
  await threadline?.stop();
  await host?.close();
  await smtp?.close();
});

async function mailTo(address: string, index = 0): Promise<ReceivedMail> {
  await expect.poll(() => smtp.mailsTo(address).length, { message: `a mail to ${address}` }).toBeGreaterThan(index);
  return smtp.mailsTo(address)[index]!;
}

/** Asks for a link on the sign-in page, as a person types it. */
async function askForLink(page: Page, address: string): Promise<ReceivedMail> {
  const before = smtp.mailsTo(address).length;
  await page.getByRole('textbox', { name: 'Email address' }).fill(address);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByTestId('signin-sent')).toBeVisible();
  return mailTo(address, before);
}

/** Pushes a link past its 15 minutes in the store itself (the server's clock is not ours to move). */
function expireLinks(): void {
  const db = new Database(path.join(threadline.dataDir, 'threadline.sqlite'));
  try {
    db.prepare("update sign_in_links set expires_at = '2000-01-01T00:00:00.000Z' where used_at is null").run();
  } finally {
    db.close();
  }
}

async function freshContext(page: Page): Promise<BrowserContext> {
  return page.context().browser()!.newContext();
}

test('an email link signs in the browser that asked, once; the comment box then posts under the account', async ({ page }) => {
  const slug = await createThread(threadline, `Email sign-in ${Date.now()}`);
  await page.goto(`${threadline.baseUrl}/articles/${slug}`);
  const box = page.locator('form#comment-form');
  await box.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/signin\\?next=%2Farticles%2F${slug}$`));

  const address = freshAddress();
  const mail = await askForLink(page, address);
  expect(mail.subject).toContain('sign-in link');
  expect(mail.link).toMatch(new RegExp(`^${threadline.baseUrl}/signin/link\\?token=`));

  // Another browser (no cookie of the one that asked) is refused, with words a person reads, and signs nobody in.
  const other = await freshContext(page);
  const stranger = await other.newPage();
  await stranger.goto(mail.link!);
  await expect(stranger).toHaveURL(/\/signin\?error=sign_in_link_invalid&reason=other_browser$/);
  await expect(stranger.getByTestId('signin-problem')).toContainText('asked for in another browser');
  expect((await other.cookies()).some((c) => c.name.endsWith('tl_session'))).toBe(false);

  // The browser that asked: signed in, and back at the article.
  await page.goto(mail.link!);
  await expect(page).toHaveURL(`${threadline.baseUrl}/articles/${slug}`);
  await expect(box.getByText(/^Commenting as .+\./)).toBeVisible();
  await expect(box.getByLabel('Your name')).toHaveCount(0);
  const name = (await box.locator('.commenting-as').textContent())!.replace(/^Commenting as (.+)\.\s*Sign out$/, '$1');
  await box.getByLabel('Your comment').fill('Posted while signed in by email.');
  await box.getByRole('button', { name: 'Post comment' }).click();
  const posted = page.locator('article.comment', { hasText: 'Posted while signed in by email.' });
  await expect(posted).toContainText(name);

  // Signing out from the comment box brings the name field back.
  await box.getByRole('button', { name: 'Sign out' }).click();
  await expect(box.getByLabel('Your name')).toBeVisible();
  await expect(box.getByRole('link', { name: 'Sign in' })).toBeVisible();

  // Used: the same link again is refused, even in the browser that asked, and signs nobody in.
  await page.goto(mail.link!);
  await expect(page.getByTestId('signin-problem')).toContainText('already been used');
  expect((await page.context().cookies()).some((c) => c.name.endsWith('tl_session'))).toBe(false);
  await other.close();
});

test('an expired link is refused and signs nobody in', async ({ page }) => {
  await page.goto(`${threadline.baseUrl}/signin`);
  const mail = await askForLink(page, freshAddress());
  expireLinks();
  await page.goto(mail.link!);
  await expect(page.getByTestId('signin-problem')).toContainText('expired');
  expect((await page.context().cookies()).some((c) => c.name.endsWith('tl_session'))).toBe(false);
});

test('inside the embed on another origin: the popup signs in, hands the frame a code, and closes', async ({ page }) => {
  const slug = `embedded-signin-${Date.now().toString(36)}`;
  await page.goto(`http://127.0.0.1:${host.port}/story/${slug}`);
  const frame = embedded(page);
  await expect(frame.locator('.connection')).toHaveText(/Live/);
  const box = frame.locator('form#comment-form');

  const popupOpened = page.context().waitForEvent('page');
  await box.getByRole('link', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await expect(popup).toHaveURL(/\/signin\?popup=1$/);
  const address = freshAddress();
  const mail = await askForLink(popup, address);
  await expect(popup.getByText('Keep this window open')).toBeVisible();

  // The person opens the mail's link: a new tab of the same browser, signed in first-party there.
  const swapped = page.waitForResponse((r) => r.url().endsWith('/api/auth/frame-session') && r.request().method() === 'POST');
  const popupClosed = popup.waitForEvent('close');
  const tab = await page.context().newPage();
  await tab.goto(mail.link!);
  await expect(tab.getByText(/You are signed in as/)).toBeVisible();
  // The popup noticed, handed the frame its one-time code, and closed; the frame swapped it for its own session.
  await popupClosed;
  expect((await swapped).status()).toBe(200);
  await expect(box.getByText(/^Commenting as .+\./)).toBeVisible();
  await expect(box.getByLabel('Your name')).toHaveCount(0);
  await box.getByLabel('Your comment').fill('Posted from the embed, signed in.');
  await box.getByRole('button', { name: 'Post comment' }).click();
  await expect(frame.locator('article.comment', { hasText: 'Posted from the embed, signed in.' })).toBeVisible();
});

test.describe('without SMTP_URL', () => {
  let plain: ServerProcess;
  test.beforeAll(async () => {
    plain = await startServer();
  });
  test.afterAll(async () => {
    await plain?.stop();
  });

  test('the app starts, /signin renders and says email sign-in is not available; the comment box offers no sign-in', async ({ page }) => {
    const response = await page.goto(`${plain.baseUrl}/signin`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { name: 'Sign in to comment' })).toBeVisible();
    await expect(page.getByTestId('signin-email-off')).toHaveText('Email sign-in is not available on this site.');
    await expect(page.getByRole('textbox', { name: 'Email address' })).toHaveCount(0);
    const slug = await createThread(plain, `No mail ${Date.now()}`);
    await page.goto(`${plain.baseUrl}/articles/${slug}`);
    const box = page.locator('form#comment-form');
    await expect(box.getByLabel('Your name')).toBeVisible();
    await expect(box.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
  });
});
