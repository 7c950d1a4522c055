import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread, createUser } from './serverProcess';

// Moderators sign in on a server of this file's own (`moderated`): two accounts, once each (e2e/pages/staff.ts).

async function post(page: Page, name: string, body: string): Promise<void> {
  const form = page.locator('form#comment-form');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

test.describe('moderation acts on every open page at once', () => {
  test('a lock disables a reader’s open reply box, keeps the draft and says why; unlocking brings it back', async ({ openReader, openStaff, moderated: server }) => {
    const slug = await createThread(server, 'Lock while typing');
    const url = `${server.baseUrl}/articles/${slug}`;
    const reader = await openReader(url);
    await post(reader, 'Rita', 'Opening thoughts');
    const target = new ArticlePage(reader).comment('Opening thoughts');
    await expect(target).not.toHaveClass(/comment-sending/);
    await target.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    const box = target.locator(':scope > details > form').getByLabel('Your reply');
    await box.fill('A reply I am still writing');

    const moderator = await openStaff(server, url);
    await expect(moderator.locator('.connection')).toHaveText(/Live/);
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

  test('pre-moderation end to end: held for the author only, approved at the desk, then public', async ({ openReader, openStaff, moderated: server }) => {
    const slug = await createThread(server, 'Held for review');
    const url = `${server.baseUrl}/articles/${slug}`;
    const moderator = await openStaff(server, url);
    await expect(moderator.locator('.connection')).toHaveText(/Live/);
    // The box follows the thread's state, so it ticks once the change comes back as an event.
    await moderator.getByLabel('Pre-moderation').click();
    await expect(moderator.getByLabel('Pre-moderation')).toBeChecked();

    const author = await openReader(url);
    await expect(author.locator('form#comment-form')).toContainText('reviewed by a moderator');
    const other = await openReader(url);
    const othersView = new ArticlePage(other);

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

  test('two moderators at the desk see each other’s decisions at once', async ({ openReader, openStaff, moderated: server }) => {
    const slug = await createThread(server, 'Reported at the desk');
    createUser(server, { username: 'mo', password: 'correct horse battery', role: 'moderator' });
    const reader = await openReader(`${server.baseUrl}/articles/${slug}`);
    await post(reader, 'Troll', 'Something rude');
    await expect(new ArticlePage(reader).comment('Something rude')).not.toHaveClass(/comment-sending/);

    const first = await openStaff(server, `${server.baseUrl}/moderate`);
    const second = await openStaff(server, `${server.baseUrl}/moderate`, { account: { username: 'mo', password: 'correct horse battery' } });
    await expect(first.locator('.desk-status .connection')).toHaveText('Live');
    await expect(second.locator('.desk-status .connection')).toHaveText('Live');

    // A reader reports it; both desks show it live.
    const reporter = await openReader(`${server.baseUrl}/articles/${slug}`);
    const page = new ArticlePage(reporter);
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
