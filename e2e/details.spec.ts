import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, newArticle, postComment, postOverApi, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createSyntheticThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 13, the comment itself: what a reader sees of one comment (its
 * date, its author slot, its controls on a phone, how it is reported), a
 * reply nested past the page's depth, and a moderator's Remove.
 */

/** A comment posted by someone else (a guest of its own), over the API; returns its id. */
async function postAs(server: ServerProcess, slug: string, comment: { name: string; body: string; parentId?: string | null }): Promise<string> {
  return postOverApi(server.baseUrl, slug, { authorName: comment.name, body: comment.body, parentId: comment.parentId ?? null });
}

/** A report on the comment from a reader of its own (a new guest), over the API. */
async function reportAs(server: ServerProcess, commentId: string, report: { category: string; reason?: string }): Promise<void> {
  const res = await fetch(`${server.baseUrl}/api/comments/${commentId}/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) });
  expect(res.status).toBe(201);
}

// A server of this file's own: its moderators (signed in once, e2e/pages/staff.ts) do not count against the
// shared server's sign-in limit (5 a minute from one address), which the other files' moderators need.
let server: ServerProcess;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

// Every page leaves when its test ends: readers left on a shared server change what other tests see ("N reading now").
const opened: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

/** A page in a browser context of its own (a guest of its own) with `options`: a time zone, a phone, a language. */
async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  opened.push(context);
  return context.newPage();
}

/** {@link newPage}, opened on `url` and live. */
async function openWith(browser: Browser, url: string, options: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto(url);
  await expect(page.locator('.connection')).toHaveText(/Live|Verbunden/);
  return page;
}

const actionsOf = (comment: ReturnType<ArticlePage['comment']>) => comment.locator(':scope > details > .comment-actions');

test('13.4 a reply deeper than the page nests stays in view for its author, where they wrote it', async ({ openReader }) => {
  const { slug, url } = await newArticle(server, 'Nested past the page');
  let parentId: string | null = null;
  for (const level of ['one', 'two', 'three', 'four', 'five', 'six']) parentId = await postAs(server, slug, { name: 'Chain', body: `Chain level ${level}`, parentId });

  const author = await openReader(url);
  const article = new ArticlePage(author);
  const six = article.comment('Chain level six');
  await actionsOf(six).getByRole('link', { name: 'Reply' }).click();
  const form = six.locator(':scope > details > form.comment-form');
  await form.getByLabel('Your name').fill('Dana');
  await form.getByLabel('Your reply').fill('My answer, seven deep');
  await form.getByRole('button', { name: /Post/ }).click();

  // Under the comment it answers, as a reply, not behind "Continue this thread".
  const mine = article.replies(six).filter({ hasText: 'My answer, seven deep' });
  await expect(mine).toBeVisible();
  await expect(mine).not.toHaveClass(/comment-sending/);
  await expect(six.getByRole('link', { name: /Continue this thread/ })).toHaveCount(0);

  // Someone else answers the same comment: theirs waits behind the link, the author's own stays in place.
  await postAs(server, slug, { name: 'Eve', body: 'Another answer, seven deep', parentId });
  await expect(six.getByRole('link', { name: 'Continue this thread (1 more reply) →' })).toBeVisible();
  await expect(article.comment('Another answer, seven deep')).toHaveCount(0);
  await expect(mine).toBeVisible();

  // A reload keeps it there; another reader finds both behind the link.
  await author.reload();
  await expect(author.locator('.connection')).toHaveText(/Live/);
  await expect(article.replies(six).filter({ hasText: 'My answer, seven deep' })).toBeVisible();
  const other = new ArticlePage(await openReader(url));
  await expect(other.comment('Chain level six').getByRole('link', { name: 'Continue this thread (2 replies) →' })).toBeVisible();
  await expect(other.comment('My answer, seven deep')).toHaveCount(0);
});

test('13.12 Report asks for a reason from a short, translated list in a dialog; the moderators see the reason', async ({ browser, openReader, openStaff }) => {
  const { slug, url } = await newArticle(server, 'Reported with a reason');
  // No link: a new guest's first comment with one would wait for a moderator (docs/security.md, "Spam").
  await postAs(server, slug, { name: 'Seller', body: 'Buy cheap watches from me, cheaper than anywhere' });

  const reader = await openReader(url);
  const target = new ArticlePage(reader).comment('Buy cheap watches');
  const report = actionsOf(target).getByRole('button', { name: 'Report' });
  await report.click();
  const dialog = reader.getByRole('dialog', { name: 'Report this comment' });
  await expect(dialog).toBeVisible();
  const reasons = dialog.getByRole('group', { name: 'Why should a moderator look at it?' });
  await expect(reasons.getByRole('radio')).toHaveCount(4);
  for (const name of ['Spam or advertising', 'Abuse or harassment', 'Off-topic', 'Something else']) await expect(reasons.getByRole('radio', { name })).toBeVisible();
  const axe = await new AxeBuilder({ page: reader }).include('dialog[open]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // "Something else" needs words; the dialog says so where the reader is looking, and nothing is sent.
  await reasons.getByRole('radio', { name: 'Something else' }).check();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Say what is wrong with this comment.');
  const details = dialog.getByRole('textbox', { name: /What is wrong/ });
  await expect(details).toBeFocused();
  await details.fill('Links to a scam shop');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog).toBeHidden();
  await expect(target).toContainText('Reported. Thank you');
  await expect(report).toBeFocused();

  // A second reader thinks better of it (Escape), then reports it as spam with no words.
  const second = await openReader(url);
  const secondTarget = new ArticlePage(second).comment('Buy cheap watches');
  const secondReport = actionsOf(secondTarget).getByRole('button', { name: 'Report' });
  await secondReport.click();
  const secondDialog = second.getByRole('dialog', { name: 'Report this comment' });
  await secondDialog.getByRole('radio', { name: 'Spam or advertising' }).check();
  await second.keyboard.press('Escape');
  await expect(secondDialog).toBeHidden();
  await expect(secondReport).toBeFocused();
  await secondReport.click();
  await secondDialog.getByRole('radio', { name: 'Spam or advertising' }).check();
  await secondDialog.getByRole('button', { name: 'Send report' }).click();
  await expect(secondTarget).toContainText('Reported. Thank you');

  // The desk names each reason in the moderator's language, with the reader's words.
  const moderator = await openStaff(server, `${server.baseUrl}/moderate`);
  const item = moderator.locator('.desk-item', { hasText: 'Buy cheap watches' });
  await expect(item).toContainText('Reported ×2');
  await expect(item.locator('.desk-reports li')).toHaveText(['Something else: “Links to a scam shop”', 'Spam or advertising']);

  // A German reader gets the same choice in German.
  const german = await openWith(browser, url, { locale: 'de-DE' });
  await actionsOf(new ArticlePage(german).comment('Buy cheap watches')).getByRole('button', { name: 'Melden' }).click();
  const deDialog = german.getByRole('dialog', { name: 'Diesen Kommentar melden' });
  await expect(deDialog.getByRole('radio', { name: 'Spam oder Werbung' })).toBeVisible();
  await deDialog.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(deDialog).toBeHidden();
});

test('13.14 a date older than a week is shown in the reader’s own time zone', async ({ browser }) => {
  // A generated discussion from late November 2026 (lib/seed/synthetic.ts): the seed's own comments have no dates.
  const slug = createSyntheticThread(server, { comments: 3, depth: 1, seed: 14 });
  const page = await openWith(browser, `${server.baseUrl}/articles/${slug}`, { timezoneId: 'Pacific/Auckland' });
  const time = page.locator('.comment-time').first();
  const iso = (await time.getAttribute('datetime'))!;
  expect(Date.now() - Date.parse(iso)).toBeGreaterThan(7 * 86_400_000);
  // What this browser itself calls that moment in Auckland, in the page's language.
  const local = await page.evaluate((at) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Pacific/Auckland' }).format(new Date(at)), iso);
  await expect(time).toHaveText(local);
  // The full date, with the zone it is in, on hover.
  await expect(time).toHaveAttribute('title', /GMT\+1[23]/);
});

test('13.16a a deleted comment’s author slot says "Deleted", not "Hidden"', async ({ openReader }) => {
  const { slug, url } = await newArticle(server, 'Deleted but answered');
  const author = await openReader(url);
  await postComment(author, { name: 'Dora', body: 'I will think better of this' });
  const mine = new ArticlePage(author).comment('I will think better of this');
  await postAs(server, slug, { name: 'Finn', body: 'An answer that stays', parentId: await mine.getAttribute('data-comment-id') });
  const reader = await openReader(url);

  author.once('dialog', (d) => void d.accept());
  await actionsOf(mine).getByRole('button', { name: 'Delete' }).click();
  for (const page of [author, reader]) {
    const header = page.locator('article.comment-deleted > details > summary');
    await expect(header.locator('.comment-author')).toHaveText('Deleted');
    await expect(header).not.toContainText('Hidden');
    await expect(new ArticlePage(page).comment('An answer that stays')).toBeVisible();
  }
});

test('13.16b on a phone, Like, Reply, Report and the other comment actions are at least 44 px tall and wide', async ({ browser }) => {
  const { slug, url } = await newArticle(server, 'Read on a phone');
  await postAs(server, slug, { name: 'Gus', body: 'Someone else’s comment' });
  const phone = await openWith(browser, url, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await postComment(phone, { name: 'Pia', body: 'My own comment' });

  // Every control shown (the report dialog's, closed, are not).
  const targets = await phone.locator('.comment-actions a, .comment-actions button').evaluateAll((els) =>
    els
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const box = el.getBoundingClientRect();
        return { name: el.getAttribute('aria-label') ?? el.textContent!.trim(), width: Math.round(box.width), height: Math.round(box.height) };
      }),
  );
  const names = targets.map((t) => t.name);
  for (const name of [/^Like/, /^Reply$/, /^Report$/, /^Edit$/, /^Delete$/, /^Link to this comment$/]) expect(names.some((n) => name.test(n)), `${name} among ${names.join(', ')}`).toBe(true);
  expect(targets.filter((t) => t.width < 44 || t.height < 44)).toEqual([]);
});

test('13.16c a moderator’s Remove can be undone for a few seconds, then Restore stays', async ({ openReader, openStaff }) => {
  const { slug, url } = await newArticle(server, 'Removed by mistake');
  const id = await postAs(server, slug, { name: 'Hal', body: 'A perfectly fine comment' });
  const moderator = await openStaff(server, url);
  await expect(moderator.locator('.connection')).toHaveText(/Live/);
  const reader = await openReader(url);
  const onDesk = moderator.locator(`#c-${id}`);
  const onReader = reader.locator(`#c-${id}`);

  await onDesk.getByRole('button', { name: 'Remove' }).click();
  await expect(onDesk.getByRole('status')).toContainText('Comment removed.');
  const undo = onDesk.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeFocused();
  await expect(onReader).toContainText('removed by a moderator');

  await undo.click();
  await expect(onReader).toContainText('A perfectly fine comment');
  await expect(onDesk).toContainText('A perfectly fine comment');
  await expect(undo).toHaveCount(0);
  await expect(onDesk).toBeFocused();

  // Left alone, the offer goes after a few seconds; Restore is the lasting way back.
  await onDesk.getByRole('button', { name: 'Remove' }).click();
  await expect(undo).toBeVisible();
  await expect(undo).toHaveCount(0, { timeout: 20_000 });
  await expect(onReader).toContainText('removed by a moderator');
  await expect(onDesk.getByRole('button', { name: 'Restore' })).toBeVisible();
});

test('13.16c at the desk, Remove (x) offers Undo, by keyboard too: the comment comes back with its reports, on every desk and page', async ({ openReader, openStaff }) => {
  const { slug, url } = await newArticle(server, 'Removed at the desk in haste');
  const id = await postAs(server, slug, { name: 'Ivy', body: 'A sharp but fair comment' });
  await reportAs(server, id, { category: 'abuse', reason: 'Too sharp' });
  const otherId = await postAs(server, slug, { name: 'Jon', body: 'Another reported comment' });
  await reportAs(server, otherId, { category: 'spam' });
  const reader = await openReader(url);
  const deskUrl = `${server.baseUrl}/moderate`;
  const desk = await openStaff(server, deskUrl);
  const colleague = await openStaff(server, deskUrl);
  for (const page of [desk, colleague]) await expect(page.locator('.desk-status .connection')).toHaveText('Live');
  const item = desk.locator(`.desk-item[data-comment-id="${id}"]`);
  const theirs = colleague.locator(`.desk-item[data-comment-id="${id}"]`);
  const onPage = reader.locator(`#c-${id}`);
  await expect(item).toContainText('Abuse or harassment: “Too sharp”');

  await item.click();
  await desk.keyboard.press('x');
  await expect(item).toHaveCount(0);
  await expect(theirs).toHaveCount(0);
  await expect(onPage).toContainText('removed by a moderator');
  const offer = desk.getByRole('status').filter({ hasText: 'Comment removed.' });
  const undo = offer.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeFocused();

  // Undo with Enter: back in both queues with its report, selected and focused, and back on the page.
  await desk.keyboard.press('Enter');
  for (const back of [item, theirs]) {
    await expect(back).toContainText('Reported ×1');
    await expect(back).toContainText('Abuse or harassment: “Too sharp”');
  }
  await expect(onPage).toContainText('A sharp but fair comment');
  await expect(undo).toHaveCount(0);
  await expect(item).toHaveAttribute('aria-current', 'true');
  await expect(item).toBeFocused();

  // u undoes as well, wherever focus is.
  await desk.keyboard.press('x');
  await expect(item).toHaveCount(0);
  await expect(undo).toBeFocused();
  await desk.locator('h1').click();
  await desk.keyboard.press('u');
  await expect(item).toContainText('Abuse or harassment: “Too sharp”');
  await expect(onPage).toContainText('A sharp but fair comment');

  // Left alone, the offer goes after a few seconds and focus goes back to the queue's selected comment.
  await item.click();
  await desk.keyboard.press('x');
  await expect(undo).toBeFocused();
  await expect(undo).toHaveCount(0, { timeout: 20_000 });
  await expect(item).toHaveCount(0);
  await expect(desk.locator('.desk-item[aria-current="true"]')).toBeFocused();
  await expect(onPage).toContainText('removed by a moderator');
});

test('13.16c Undo on the article page puts the comment’s reports back on the desk; a later Restore does not', async ({ openStaff }) => {
  const { slug, url } = await newArticle(server, 'Reported, removed, undone');
  const id = await postAs(server, slug, { name: 'Kim', body: 'Reported, then removed in haste' });
  await reportAs(server, id, { category: 'spam' });
  const desk = await openStaff(server, `${server.baseUrl}/moderate`);
  const item = desk.locator(`.desk-item[data-comment-id="${id}"]`);
  await expect(item).toContainText('Spam or advertising');
  const page = await openStaff(server, url);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  const comment = page.locator(`#c-${id}`);

  await comment.getByRole('button', { name: 'Remove' }).click();
  await expect(item).toHaveCount(0);
  await comment.getByRole('button', { name: 'Undo' }).click();
  await expect(comment).toContainText('Reported, then removed in haste');
  await expect(item).toContainText('Reported ×1');
  await expect(item).toContainText('Spam or advertising');

  // Removed again, and later restored (not undone): the moderator restoring has judged it, its reports stay closed.
  await comment.getByRole('button', { name: 'Remove' }).click();
  await expect(item).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.connection')).toHaveText(/Live/);
  await comment.getByRole('button', { name: 'Restore' }).click();
  await expect(comment).toContainText('Reported, then removed in haste');
  await reportAs(server, id, { category: 'off_topic' });
  await expect(item).toContainText('Reported ×1');
  await expect(item.locator('.desk-reports li')).toHaveText(['Off-topic']);
});

test('13.16c the desk’s Ban asks in a dialog for a reason and how long; Escape cancels and focus comes back', async ({ openReader, openStaff }) => {
  const { url } = await newArticle(server, 'Banned from the desk');
  const troll = await openReader(url);
  await postComment(troll, { name: 'Troll', body: 'Cheap watches, cheap watches' });
  const id = (await new ArticlePage(troll).comment('Cheap watches, cheap watches').getAttribute('data-comment-id'))!;
  await reportAs(server, id, { category: 'spam' });
  const desk = await openStaff(server, `${server.baseUrl}/moderate`);
  const item = desk.locator(`.desk-item[data-comment-id="${id}"]`);
  const ban = item.getByRole('button', { name: 'Ban author' });

  await ban.click();
  const dialog = desk.getByRole('dialog', { name: 'Ban Troll' });
  await expect(dialog).toBeVisible();
  const reason = dialog.getByRole('textbox', { name: /Reason/ });
  await expect(reason).toBeFocused();
  const lengths = dialog.getByRole('group', { name: 'For how long?' });
  await expect(lengths.getByRole('radio')).toHaveCount(4);
  await expect(lengths.getByRole('radio', { name: '7 days' })).toBeChecked();
  const axe = await new AxeBuilder({ page: desk }).include('dialog[open]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Escape cancels: nothing is sent, focus is back on Ban author, what was typed is kept.
  await reason.fill('Selling watches');
  await desk.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(ban).toBeFocused();
  await expect(desk.locator('.desk .banner')).toHaveCount(0);

  // b opens it for the selected comment; a ban needs a reason.
  await item.click();
  await desk.keyboard.press('b');
  await expect(dialog).toBeVisible();
  await expect(reason).toHaveValue('Selling watches');
  await reason.fill('');
  await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Say why this guest is banned.');
  await expect(reason).toBeFocused();
  await reason.fill('Selling watches, again');
  await lengths.getByRole('radio', { name: '1 day' }).check();
  await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(desk.locator('.desk .banner')).toContainText('Banned Troll until');
  await expect(item).toBeFocused();

  // The guest's next comment is refused.
  const form = troll.locator('form#comment-form');
  await form.getByLabel('Your comment').fill('And more watches');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await expect(troll.getByText(/You have been banned/).first()).toBeVisible();

  // A German moderator gets it in German.
  const german = await openStaff(server, `${server.baseUrl}/moderate`, { locale: 'de-DE' });
  await german.locator(`.desk-item[data-comment-id="${id}"]`).getByRole('button', { name: 'Verfasser sperren' }).click();
  const deDialog = german.getByRole('dialog', { name: 'Troll sperren' });
  await expect(deDialog.getByRole('group', { name: 'Wie lange?' }).getByRole('radio', { name: 'Dauerhaft' })).toBeVisible();
  await deDialog.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(deDialog).toBeHidden();
});
