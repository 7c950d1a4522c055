import type { APIRequestContext } from '@playwright/test';
import { expect, postOverApi, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { forgetStaffSession } from './pages/staff';
import { createThread } from './serverProcess';

/**
 * Issue 15, target 3: a reader page is the same bytes for everyone, so a shared cache can serve it;
 * what is the reader's own (their held comment, their likes, their staff session) arrives after load.
 * Each test reads the page's HTML with the reader's cookies and without any, and finds them the same
 * (the CSP nonce aside, which is per response until the page cache replaces it).
 */

/** The page's HTML as a client with these cookies gets it, its per-response nonce blanked. */
async function pageHtml(request: APIRequestContext | null, url: string): Promise<string> {
  const text = request ? await (await request.get(url)).text() : await (await fetch(url)).text();
  // A moderator's request passes the caches (a hidden thread is theirs alone) and is rendered for them with a nonce
  // of its own; the page everyone gets from the cache has none (docs/security.md, the nonce): that attribute aside, the same.
  return text.replace(/ nonce="[^"]*"/g, '');
}

test('a guest’s held comment and like show as theirs after a reload, from the page everyone gets', async ({ openReader, openStaff, moderated: server }) => {
  const slug = await createThread(server, 'Mine after a reload');
  const url = `${server.baseUrl}/articles/${slug}`;
  await postOverApi(server.baseUrl, slug, { body: 'Someone else’s words' });
  const moderator = await openStaff(server, url);
  await expect(moderator.locator('.connection')).toHaveText(/Live/);
  await moderator.getByLabel('Pre-moderation').click();
  await expect(moderator.getByLabel('Pre-moderation')).toBeChecked();

  const guest = await openReader(url);
  const article = new ArticlePage(guest);
  await article.comment('Someone else’s words').locator('.like-button').click();
  await expect(article.comment('Someone else’s words').locator('.like-button')).toHaveAttribute('aria-pressed', 'true');
  const form = guest.locator('form#comment-form');
  await form.getByLabel('Your name').fill('Hana');
  await form.getByLabel('Your comment').fill('Held, and mine to see');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await expect(article.comment('Held, and mine to see').locator('.comment-status-pending')).toContainText('Awaiting moderation');

  await guest.reload();
  await expect(guest.locator('.connection')).toHaveText(/Live/);
  const held = article.comment('Held, and mine to see');
  await expect(held.locator('.comment-status-pending')).toContainText('Awaiting moderation');
  await expect(held.locator('.badge-mine')).toHaveText('you');
  await expect(article.comment('Someone else’s words').locator('.like-button')).toHaveAttribute('aria-pressed', 'true');

  // What the guest's browser was sent is what anyone is sent: none of it is theirs.
  const theirs = await pageHtml(guest.context().request, url);
  expect(theirs).toBe(await pageHtml(null, url));
  expect(theirs).not.toContain('Held, and mine to see');
  expect(theirs).not.toContain('Hana');
  // The page a no-JavaScript flow sends one reader back to is theirs alone: no shared cache keeps it.
  expect((await fetch(`${url}?replyTo=x`)).headers.get('cache-control')).toMatch(/^private/);

  // Without JavaScript the held post lands too; the page everyone gets cannot show it, so the form says it arrived.
  const plain = await openReader(url, { javaScriptEnabled: false });
  const plainForm = plain.locator('form#comment-form');
  await plainForm.getByLabel('Your name').fill('Nils');
  await plainForm.getByLabel('Your comment').fill('Held, without JavaScript');
  await plainForm.getByRole('button', { name: 'Post comment' }).click();
  await expect(plain).toHaveURL(/\?held=[a-z0-9]+#comment-form$/);
  await expect(plain.locator('form#comment-form .form-held')).toContainText('appears here once a moderator approves it');
  await moderator.goto(`${server.baseUrl}/moderate`);
  await expect(moderator.locator('.desk-item', { hasText: 'Held, without JavaScript' })).toBeVisible();
});

test('a moderator gets their controls and the header’s links after load, from the page everyone gets', async ({ openStaff, moderated: server }) => {
  const slug = await createThread(server, 'Staff after load');
  const url = `${server.baseUrl}/articles/${slug}`;
  await postOverApi(server.baseUrl, slug, { body: 'A comment to moderate' });
  const moderator = await openStaff(server, url);
  await expect(moderator.locator('.connection')).toHaveText(/Live/);
  const nav = moderator.getByRole('navigation', { name: 'Moderation' });
  await expect(nav.getByRole('link', { name: 'Moderate' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(new ArticlePage(moderator).comment('A comment to moderate').getByRole('button', { name: 'Remove' })).toBeVisible();
  await expect(moderator.getByRole('button', { name: 'Lock thread' })).toBeVisible();

  const theirs = await pageHtml(moderator.context().request, url);
  expect(theirs).toBe(await pageHtml(null, url));
  expect(theirs).not.toContain('Sign out');

  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(moderator).toHaveURL(`${server.baseUrl}/`);
  // That was the worker's shared session on this server: later files sign in anew.
  forgetStaffSession(server);
});
