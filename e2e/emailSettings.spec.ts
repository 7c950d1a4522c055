import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../server/testing/smtpServer';
import { createThread, startMailingServer, type ServerProcess } from './serverProcess';

/**
 * Email for notices in Chromium WITHOUT JavaScript (docs/email.md), against a real SMTP server
 * started here: signed in by an email link, the account page's email section shows the proven
 * address; a choice is saved by its plain form; a new address is confirmed by the link mailed to
 * it; a notice's mail arrives there, and its unsubscribe link, opened in the browser, asks to
 * confirm with one button and sets that kind to never.
 */

let smtp: TestSmtpServer;
let threadline: ServerProcess;
let n = 0;
const freshAddress = () => `settings-${Date.now().toString(36)}-${++n}@example.test`;


test.use({ javaScriptEnabled: false });

test.beforeAll(async () => {
  smtp = await startSmtpServer();
  threadline = await startMailingServer(smtp.url, { SITE_NAME: 'The E2E Times', SITE_ADDRESS: 'E2E Times Ltd, 1 Press Lane, 12345 Testtown', MAIL_BATCH_SECONDS: '10' });
});

test.afterAll(async () => {
  await threadline?.stop();
  await smtp?.close();
});

async function mailTo(address: string, index = 0): Promise<ReceivedMail> {
  await expect.poll(() => smtp.mailsTo(address).length, { message: `a mail to ${address}`, timeout: 20_000 }).toBeGreaterThan(index);
  return smtp.mailsTo(address)[index]!;
}

/** The database of the server under test (its clock is not ours to move: a notice is written as made a minute ago). */
function withDatabase<T>(use: (db: Database.Database) => T): T {
  const db = new Database(path.join(threadline.dataDir, 'threadline.sqlite'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

test('the account page’s email section without JavaScript: a choice saved, a new address confirmed, a mail’s unsubscribe page', async ({ page }) => {
  const first = freshAddress();
  await page.goto(`${threadline.baseUrl}/signin?next=%2Faccount`);
  await page.getByRole('textbox', { name: 'Email address' }).fill(first);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByTestId('signin-sent')).toBeVisible();
  await page.goto((await mailTo(first)).link!);
  await expect(page).toHaveURL(/\/account$/);

  const section = page.locator('#email');
  await expect(section.getByRole('heading', { name: 'Email' })).toBeVisible();
  await expect(section).toContainText(`Notices are mailed to ${first}.`);

  // A choice, by its plain form.
  const replies = section.getByRole('group', { name: 'Replies to your comments' });
  await replies.getByRole('radio', { name: 'In the daily digest' }).check();
  await section.getByRole('button', { name: 'Save choices' }).click();
  await expect(section.getByRole('status')).toHaveText('Your choices are saved.');
  await expect(section.getByRole('group', { name: 'Replies to your comments' }).getByRole('radio', { name: 'In the daily digest' })).toBeChecked();
  // A followed thread comes as a digest only: no "at once" to choose.
  await expect(section.getByRole('group', { name: 'New comments in threads you follow' }).getByRole('radio')).toHaveCount(2);

  // A new address: the old one stays until the link mailed to the new one is followed.
  const second = freshAddress();
  await section.getByRole('textbox', { name: 'Address to mail' }).fill(second);
  await section.getByRole('button', { name: 'Send a confirmation link' }).click();
  await expect(section.getByRole('status')).toHaveText(`A confirmation link is on its way to ${second}.`);
  await expect(section).toContainText(`Waiting for you to follow the link sent to ${second}.`);
  await expect(section).toContainText(`Notices are mailed to ${first}.`);
  const confirmation = await mailTo(second);
  expect(confirmation.text).toContain('E2E Times Ltd, 1 Press Lane, 12345 Testtown');
  await page.goto(/https?:\/\/\S+\/api\/email\/verify\?t=[A-Za-z0-9_-]+/.exec(confirmation.text)![0]);
  await expect(section.getByRole('status')).toHaveText('Your address is confirmed.');
  await expect(section).toContainText(`Notices are mailed to ${second}.`);

  // A mention's notice, as the bell's listener writes it, is mailed within the batch window.
  const slug = await createThread(threadline, 'Email settings e2e');
  const posted = await fetch(`${threadline.baseUrl}/api/threads/${slug}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'Look at this, friend', authorName: 'Mentioner' }),
  });
  expect(posted.status).toBe(201);
  const comment = ((await posted.json()) as { comment: { id: string } }).comment;
  withDatabase((db) => {
    const { id: userId } = db.prepare('select id from users where email = ?').get(second) as { id: string };
    const { id: threadId } = db.prepare('select id from threads where slug = ?').get(slug) as { id: string };
    db.prepare(
      "insert into notifications (id, recipient_id, kind, thread_id, comment_id, actor_id, actor_name, decision, reason, created_at, read_at, mailed_at) values (?, ?, 'mention', ?, ?, null, 'Mentioner', '', null, ?, null, null)",
    ).run(`e2e${Date.now().toString(36)}`, userId, threadId, comment.id, new Date(Date.now() - 60_000).toISOString());
  });
  const notice = await mailTo(second, 1);
  expect(notice.subject).toBe('Mentioner mentioned you (The E2E Times)');
  expect(notice.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  expect(notice.html).toContain('E2E Times Ltd');

  // Its unsubscribe link, opened in the browser: a page that asks, then one button.
  await page.goto(/^<(.+)>$/.exec(notice.headers['list-unsubscribe']!)![1]!);
  await expect(page.getByRole('heading', { name: 'Unsubscribe' })).toBeVisible();
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('status')).toHaveText('Done: no more emails about Mentions of your name.');
  await page.getByRole('link', { name: 'Your email settings' }).click();
  await expect(section.getByRole('group', { name: 'Mentions of your name' }).getByRole('radio', { name: 'Never' })).toBeChecked();
  await expect(section.getByRole('group', { name: 'Replies to your comments' }).getByRole('radio', { name: 'In the daily digest' })).toBeChecked();
});
