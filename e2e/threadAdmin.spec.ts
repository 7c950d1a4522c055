import type { Page } from '@playwright/test';
import { audit } from './axe';
import { expect, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { staffContext } from './pages/staff';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Threads nobody wanted (issue 14.3) in a real browser: an admin hides or
 * deletes a thread from the desk while a reader has it open, and the home page
 * pages without JavaScript. A server of this file's own: the home page's list
 * is what it tests, and the threads it makes would crowd another spec's.
 */
let server: ServerProcess;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server.stop();
});

/** The admin's desk, and the row of one thread in its list of discussions. */
async function desk(page: Page, slug: string) {
  await page.goto(`${server.baseUrl}/moderate`);
  const row = page.locator(`.thread-admin-item[data-slug="${slug}"]`);
  await expect(row).toBeVisible();
  return row;
}

test('14.3 an admin hides a thread while a reader has it open: the reader’s page shows it removed at once, with no comment box; staff still read it; shown again, it is back', async ({ openReader, openStaff }) => {
  const slug = await createThread(server, 'A thread nobody wanted');
  const url = `${server.baseUrl}/articles/${slug}`;
  const reader = await openReader(url);
  await postComment(reader, { name: 'Rita', body: 'Posted before it was hidden' });
  const commentId = await new ArticlePage(reader).comment('Posted before it was hidden').getAttribute('data-comment-id');
  await reader.locator('form#comment-form').getByLabel('Your comment').fill('A draft the reader is still writing');

  const admin = await openStaff(server, `${server.baseUrl}/moderate`);
  const row = await desk(admin, slug);
  await row.getByRole('button', { name: 'Hide' }).click();
  await expect(row.locator('.badge-hidden')).toHaveText('Hidden');
  await expect(admin.getByRole('status').filter({ hasText: 'only staff can see it now' })).toBeVisible();

  // The reader's page, without a reload.
  await expect(reader.getByRole('heading', { name: 'This discussion has been removed' })).toBeVisible();
  await expect(reader.locator('form#comment-form')).toHaveCount(0);
  await expect(new ArticlePage(reader).comments).toHaveCount(0);
  await audit(reader);
  // Reloaded, or from anywhere else, it does not exist.
  expect((await reader.goto(url))?.status()).toBe(404);
  expect((await reader.goto(`${url}/comments/${commentId}`))?.status()).toBe(404);
  const home = await openReader(`${server.baseUrl}/`, { javaScriptEnabled: false });
  await expect(home.getByRole('link', { name: 'A thread nobody wanted' })).toHaveCount(0);

  // Staff read it, marked, and nobody can post to it.
  const staffView = await openStaff(server, url);
  await expect(staffView.locator('.banner-hidden')).toContainText('Hidden from readers.');
  await expect(new ArticlePage(staffView).comment('Posted before it was hidden')).toBeVisible();
  await expect(staffView.locator('form#comment-form')).toHaveCount(0);
  await audit(staffView);

  await row.getByRole('button', { name: 'Show again' }).click();
  await expect(row.locator('.badge-hidden')).toHaveCount(0);
  await reader.goto(url);
  await expect(new ArticlePage(reader).comment('Posted before it was hidden')).toBeVisible();
  await expect(reader.locator('form#comment-form')).toBeVisible();
});

test('14.3 an admin deletes a thread at the desk, after confirming: the reader’s open page is told at once, and the audit log keeps what it was', async ({ openReader, openStaff }) => {
  const slug = await createThread(server, 'Spam run number seven');
  const url = `${server.baseUrl}/articles/${slug}`;
  const reader = await openReader(url);
  await postComment(reader, { name: 'Spammer', body: 'Buy cheap things' });

  const admin = await openStaff(server, `${server.baseUrl}/moderate`);
  const row = await desk(admin, slug);
  const open = row.getByRole('button', { name: 'Delete…' });
  await open.click();
  const dialog = admin.getByRole('dialog', { name: 'Delete “Spam run number seven”?' });
  await expect(dialog).toContainText('its 1 comment are deleted for good');
  await audit(admin);
  // Cancelled: nothing happens, focus goes back.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();
  await expect(row).toBeVisible();
  await expect(new ArticlePage(reader).comment('Buy cheap things')).toBeVisible();

  await open.click();
  await dialog.getByLabel('Reason (kept in the audit log; optional)').fill('a spam run');
  await dialog.getByRole('button', { name: 'Delete for good' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0);
  await expect(admin.getByRole('status').filter({ hasText: 'Deleted “Spam run number seven” and its 1 comment.' })).toBeVisible();
  await expect(admin.locator('#thread-admin-heading')).toBeFocused();

  await expect(reader.getByRole('heading', { name: 'This discussion has been removed' })).toBeVisible();
  await expect(reader.locator('form#comment-form')).toHaveCount(0);
  expect((await reader.goto(url))?.status()).toBe(404);

  await admin.goto(`${server.baseUrl}/moderate/audit`);
  const entry = admin.locator('.audit-table tr', { hasText: 'thread.delete' }).filter({ hasText: slug });
  await expect(entry).toContainText('“Spam run number seven”, 1 comment');
  await expect(entry).toContainText('a spam run');
});

test('14.3 the home page shows one page of discussions, newest first, and pages without JavaScript; a cursor it did not give shows the first page', async ({ browser, openReader }) => {
  // Sixty discussions opened through the API, as an admin's script would.
  const context = await staffContext(browser, server);
  const titles: string[] = [];
  for (let i = 0; i < 60; i++) {
    const title = `Paged discussion ${String(i).padStart(2, '0')}`;
    const res = await context.request.post(`${server.baseUrl}/api/threads`, { data: { title } });
    expect(res.status()).toBe(201);
    titles.push(title);
  }
  await context.close();

  const home = await openReader(`${server.baseUrl}/`, { javaScriptEnabled: false });
  const items = home.locator('.article-list-item');
  await expect(items).toHaveCount(50);
  await expect(home.getByRole('link', { name: '← Newest discussions' })).toHaveCount(0);
  const firstPage = await items.locator('.article-list-title').allTextContents();
  // Newest first (two opened in the same millisecond may come either way: by id).
  expect(firstPage.slice(0, 3)).toEqual(expect.arrayContaining(['Paged discussion 59']));
  expect(firstPage).not.toContain('Paged discussion 00');

  await home.getByRole('link', { name: 'Older discussions →' }).click();
  await expect(home).toHaveURL(/\/\?after=[A-Za-z0-9_-]+$/);
  const secondPage = await home.locator('.article-list-item .article-list-title').allTextContents();
  expect(secondPage).toContain('Paged discussion 00');
  expect(secondPage.filter((title) => firstPage.includes(title))).toEqual([]);
  // Every discussion opened here is on one of the pages, once.
  for (const title of titles) expect([...firstPage, ...secondPage].filter((t) => t === title)).toHaveLength(1);
  await home.getByRole('link', { name: '← Newest discussions' }).click();
  await expect(home).toHaveURL(`${server.baseUrl}/`);
  await expect(items.first()).toHaveText(new RegExp(firstPage[0]!));

  const bad = await home.goto(`${server.baseUrl}/?after=not-a-cursor-we-gave`);
  expect(bad?.status()).toBe(200);
  await expect(items.first()).toHaveText(new RegExp(firstPage[0]!));
});
