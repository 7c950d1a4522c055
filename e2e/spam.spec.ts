import type { Page } from '@playwright/test';
import { GUARANTEED_SPAM_AUTHOR, startAkismetTestServer } from '../lib/services/spam/akismetTestServer';
import { expect, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 14, point 5, in a browser: a server of this file's own asks an Akismet-compatible service
 * of the test's own. Spam is held, its author sees it waiting as any held comment (and is not told
 * why), and the moderator's desk names each reason in words, in English and German, and lists the
 * comments the service could not check.
 */
const KEY = 'e2e-spam-key';

let service: Awaited<ReturnType<typeof startAkismetTestServer>>;
let server: ServerProcess;

test.beforeAll(async () => {
  service = await startAkismetTestServer({ key: KEY });
  server = await startServer({ env: { SPAM_CHECK_URL: service.url, SPAM_CHECK_KEY: KEY, SPAM_CHECK_TIMEOUT_MS: '500' } });
});
test.afterAll(async () => {
  await server?.stop();
  await service?.close();
});

async function heldForAuthor(page: Page, body: string): Promise<void> {
  const mine = new ArticlePage(page).comment(body);
  await expect(mine.locator('.comment-status-pending')).toContainText('Awaiting moderation');
  // Waiting, like any held comment: which signal caught it is the moderators' to know.
  await expect(mine).not.toContainText(/first comment|spam service|Held/i);
}

test('the desk shows why a comment is held, in words, and which were not checked', async ({ openReader, openStaff }) => {
  const slug = await createThread(server, 'Spam at the desk');
  const url = `${server.baseUrl}/articles/${slug}`;

  // A new reader's first comment with a link; another the spam service says is spam.
  const linker = await openReader(url);
  await postComment(linker, { name: 'Linda', body: 'Cheap tickets at cheap-tickets.com/today' });
  await heldForAuthor(linker, 'Cheap tickets at cheap-tickets.com/today');
  const spammer = await openReader(url);
  await postComment(spammer, { name: GUARANTEED_SPAM_AUTHOR, body: 'Win a prize, just write to me' });
  await heldForAuthor(spammer, 'Win a prize, just write to me');

  // The service fails: the next comment is out at once for everyone, and marked for the moderators only.
  service.answer('fail');
  const reader = await openReader(url);
  await postComment(reader, { name: 'Otto', body: 'Posted while the spam service was down' });
  const elsewhere = await openReader(url);
  await expect(new ArticlePage(elsewhere).comment('Posted while the spam service was down')).toBeVisible();
  await expect(elsewhere.locator('body')).not.toContainText('Not checked');

  const desk = await openStaff(server, `${server.baseUrl}/moderate`);
  await expect(desk.locator('.desk-item', { hasText: 'cheap-tickets.com/today' })).toContainText('Held: a link in a first comment');
  await expect(desk.locator('.desk-item', { hasText: 'Win a prize' })).toContainText('Held: the spam service says it is spam');
  const panel = desk.getByRole('region', { name: 'Not checked for spam' });
  const unchecked = panel.locator('.desk-item', { hasText: 'Posted while the spam service was down' });
  await expect(unchecked).toContainText('Not checked for spam: the spam service answered with an error.');
  await unchecked.getByRole('button', { name: 'Keep' }).click();
  await expect(unchecked).toHaveCount(0);
  await expect(panel).toContainText('Every comment has been checked.');

  // The same desk in German.
  const deutsch = await openStaff(server, `${server.baseUrl}/moderate`, { locale: 'de-DE' });
  await expect(deutsch.locator('.desk-item', { hasText: 'cheap-tickets.com/today' })).toContainText('Zurückgehalten: Link in einem ersten Kommentar');
  await expect(deutsch.locator('.desk-item', { hasText: 'Win a prize' })).toContainText('Zurückgehalten: laut Spam-Dienst Spam');
  service.answer('ham');
});
