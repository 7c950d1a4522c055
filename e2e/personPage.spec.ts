import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread } from './serverProcess';

async function post(page: Page, name: string, body: string): Promise<void> {
  const form = page.locator('form#comment-form');
  // A signed-in person's box asks no name (their account's is theirs), once their own state is read.
  await expect(form.getByLabel('Your comment')).toBeVisible();
  const field = form.getByLabel('Your name');
  if (await field.isVisible()) await field.fill(name);
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

test('a moderator opens an author from the desk, reads their comments, leaves a note and bans them; the reader is told why and until when', async ({
  openReader,
  openStaff,
  moderated: server,
}) => {
  // Three browser contexts and two pages rendered on demand: more than the default minute on a busy machine.
  test.setTimeout(150_000);
  const slug = await createThread(server, 'A person behind the comments');
  const url = `${server.baseUrl}/articles/${slug}`;
  const reader = await openReader(url);
  await post(reader, 'Pat Spammer', 'Cheap watches here');
  await expect(new ArticlePage(reader).comment('Cheap watches here')).not.toHaveClass(/comment-sending/);

  // Reported by another reader, so it reaches the desk.
  const reporter = await openReader(url);
  const reporterPage = new ArticlePage(reporter);
  await reporterPage.comment('Cheap watches here').locator(':scope > details > .comment-actions').getByRole('button', { name: 'Report' }).click();
  const reportDialog = reporter.getByRole('dialog', { name: 'Report this comment' });
  await reportDialog.getByRole('radio', { name: /Spam/ }).check();
  await reportDialog.getByRole('button', { name: 'Send report' }).click();
  await expect(reporterPage.comment('Cheap watches here')).toContainText('Reported. Thank you');

  const moderator = await openStaff(server, `${server.baseUrl}/moderate`);
  const item = moderator.locator('.desk-item', { hasText: 'Cheap watches here' });
  await item.getByRole('link', { name: 'Pat Spammer' }).click();
  await expect(moderator).toHaveURL(/\/moderate\/people\/[a-z0-9]+$/);
  await expect(moderator.getByRole('heading', { level: 1 })).toContainText('Pat Spammer');
  await expect(moderator.locator('.person-facts')).toContainText('Guest');
  await expect(moderator.locator('.person-comments')).toContainText('Cheap watches here');
  await expect(moderator.locator('.person-comments')).toContainText('A person behind the comments');

  await moderator.getByLabel(/A note for the other moderators/).fill('Same watches as last week.');
  await moderator.getByRole('button', { name: 'Add note' }).click();
  await expect(moderator.locator('.person-notes')).toContainText('Same watches as last week.');

  await moderator.getByRole('button', { name: 'Ban…' }).click();
  const banDialog = moderator.getByRole('dialog', { name: 'Ban Pat Spammer' });
  await banDialog.getByLabel(/^Reason/).fill('Advertising');
  await banDialog.getByRole('radio', { name: '1 day' }).check();
  await banDialog.getByLabel(/Also their network/).check();
  await banDialog.getByRole('button', { name: 'Ban' }).click();
  await expect(moderator.locator('.person-bans')).toContainText('In force');
  await expect(moderator.locator('.person-bans')).toContainText(/\/(24|64)/);

  // The banned reader tries again and reads why, and until when.
  const form = reader.locator('form#comment-form');
  await form.getByLabel('Your comment').fill('Even cheaper watches');
  await form.getByRole('button', { name: 'Post comment' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('You have been banned from commenting until');
  await expect(alert).toContainText('Reason: Advertising');
});

test('an admin gives a badge: it shows next to the author’s name on the reader’s page, kept page or not', async ({ openReader, openStaff, moderated: server }) => {
  test.setTimeout(150_000);
  const slug = await createThread(server, 'Badges on the page');
  const url = `${server.baseUrl}/articles/${slug}`;
  const admin = await openStaff(server, url);
  await expect(admin.locator('.connection')).toHaveText(/Live/);
  await post(admin, 'Ignored: an account posts under its own name', 'Notes from the newsroom');
  await expect(new ArticlePage(admin).comment('Notes from the newsroom')).not.toHaveClass(/comment-sending/);

  const reader = await openReader(url);
  const comment = new ArticlePage(reader).comment('Notes from the newsroom');
  await expect(comment).toBeVisible();
  await expect(comment.locator('[data-author-badge]')).toHaveCount(0);

  const viewer = (await (await admin.request.get(`${server.baseUrl}/api/threads/${slug}/viewer`)).json()) as { account: { id: string } };
  const set = await admin.request.put(`${server.baseUrl}/api/people/${viewer.account.id}/badges`, { data: { badges: ['journalist'] }, headers: { origin: server.baseUrl } });
  expect(set.status()).toBe(200);

  await reader.reload();
  await expect(new ArticlePage(reader).comment('Notes from the newsroom').locator(':scope > details > summary [data-author-badge="journalist"]')).toHaveText('Journalist');
});
