import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { staffContext, type StaffAccount } from './pages/staff';
import { createThread, createUser, startServer, type ServerProcess } from './serverProcess';

// A server of this file's own: its moderators' sign-ins (two accounts) count against that server's limit
// (5 a minute from one address), not against the shared server the other files sign in to.
let server: ServerProcess;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

// Every page leaves when its test ends.
const opened: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  return context.newPage();
}

/** A moderator's page (the first admin by default) at the desk, live. */
async function moderatorPage(browser: Browser, account?: StaffAccount): Promise<Page> {
  const context = await staffContext(browser, server, { account });
  opened.push(context);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/moderate`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation desk');
  return page;
}

async function openLive(page: Page, url: string): Promise<ArticlePage> {
  await page.goto(url);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  return new ArticlePage(page);
}

async function post(page: Page, name: string, body: string): Promise<void> {
  const form = page.locator('form#comment-form');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

test.describe('moderation acts on every open page at once', () => {
  test('a lock disables a reader’s open reply box, keeps the draft and says why; unlocking brings it back', async ({ browser }) => {
    const slug = createThread(server, 'Lock while typing');
    const url = `${server.baseUrl}/articles/${slug}`;
    const reader = await newPage(browser);
    await openLive(reader, url);
    await post(reader, 'Rita', 'Opening thoughts');
    const target = new ArticlePage(reader).comment('Opening thoughts');
    await expect(target).not.toHaveClass(/comment-sending/);
    await target.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    const box = target.locator(':scope > details > form').getByLabel('Your reply');
    await box.fill('A reply I am still writing');

    const moderator = await moderatorPage(browser);
    await openLive(moderator, url);
    await moderator.getByRole('button', { name: 'Lock thread' }).click();

    await expect(box).toBeDisabled();
    await expect(box).toHaveValue('A reply I am still writing');
    await expect(target.locator(':scope > details > form .form-locked')).toContainText('locked by a moderator');
    await expect(reader.locator('.banner-locked')).toBeVisible();
    await expect(reader.locator('form#comment-form').getByLabel('Your comment')).toBeDisabled();

    await moderator.getByRole('button', { name: 'Unlock thread' }).click();
    await expect(box).toBeEnabled();
    await expect(box).toHaveValue('A reply I am still writing');
    await expect(reader.locator('.banner-locked')).toHaveCount(0);
    await target.locator(':scope > details > form').getByLabel('Your name').fill('Rita');
    await target.locator(':scope > details > form').getByRole('button', { name: 'Post reply' }).click();
    await expect(new ArticlePage(moderator).comment('A reply I am still writing')).toBeVisible();
  });

  test('pre-moderation end to end: held for the author only, approved at the desk, then public', async ({ browser }) => {
    const slug = createThread(server, 'Held for review');
    const url = `${server.baseUrl}/articles/${slug}`;
    const moderator = await moderatorPage(browser);
    await openLive(moderator, url);
    // The box follows the thread's state, so it ticks once the change comes back as an event.
    await moderator.getByLabel('Pre-moderation').click();
    await expect(moderator.getByLabel('Pre-moderation')).toBeChecked();

    const author = await newPage(browser);
    await openLive(author, url);
    await expect(author.locator('form#comment-form')).toContainText('reviewed by a moderator');
    const other = await newPage(browser);
    const othersView = await openLive(other, url);

    await post(author, 'Hana', 'Please approve me');
    const mine = new ArticlePage(author).comment('Please approve me');
    await expect(mine.locator('.comment-status-pending')).toContainText('Awaiting moderation');
    await expect(othersView.comments).toHaveCount(0);
    await expect(other.getByRole('button', { name: /new comment/ })).toHaveCount(0);

    await moderator.goto(`${server.baseUrl}/moderate`);
    const item = moderator.locator('.desk-item', { hasText: 'Please approve me' });
    await expect(item).toContainText('Held: pre-moderation');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect(item).toHaveCount(0);

    await expect(othersView.comment('Please approve me')).toBeVisible();
    await expect(mine.locator('.comment-status-pending')).toHaveCount(0);
  });

  test('two moderators at the desk see each other’s decisions at once', async ({ browser }) => {
    const slug = createThread(server, 'Reported at the desk');
    createUser(server, { username: 'mo', password: 'correct horse battery', role: 'moderator' });
    const reader = await newPage(browser);
    await openLive(reader, `${server.baseUrl}/articles/${slug}`);
    await post(reader, 'Troll', 'Something rude');
    await expect(new ArticlePage(reader).comment('Something rude')).not.toHaveClass(/comment-sending/);

    const first = await moderatorPage(browser);
    const second = await moderatorPage(browser, { username: 'mo', password: 'correct horse battery' });
    await expect(first.locator('.desk-status .connection')).toHaveText('Live');
    await expect(second.locator('.desk-status .connection')).toHaveText('Live');

    // A reader reports it; both desks show it live.
    const reporter = await newPage(browser);
    const page = await openLive(reporter, `${server.baseUrl}/articles/${slug}`);
    await page.comment('Something rude').locator(':scope > details > .comment-actions').getByRole('button', { name: 'Report' }).click();
    const dialog = reporter.getByRole('dialog', { name: 'Report this comment' });
    await dialog.getByRole('radio', { name: 'Abuse or harassment' }).check();
    await dialog.getByLabel(/What is wrong/).fill('Insulting');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await expect(page.comment('Something rude')).toContainText('Reported. Thank you');
    for (const desk of [first, second]) await expect(desk.locator('.desk-item', { hasText: 'Something rude' })).toContainText('Abuse or harassment: “Insulting”');

    // The first moderator removes it with the keyboard; it leaves both desks and every reader's page.
    await first.locator('.desk-item', { hasText: 'Something rude' }).click();
    await first.keyboard.press('x');
    for (const desk of [first, second]) await expect(desk.locator('.desk-item', { hasText: 'Something rude' })).toHaveCount(0);
    await expect(page.comment('Something rude')).toHaveCount(0);
    await expect(reporter.locator('article.comment-removed')).toContainText('removed by a moderator');
  });
});
