import type { Browser, Locator, Page } from '@playwright/test';
import { expect, newArticle, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { staffContext } from './pages/staff';
import type { ServerProcess } from './serverProcess';

/**
 * The comment box never loses what someone typed (issue 13, points 1–3 and
 * 15): a post leaves the box only once the server has it; a refusal is said
 * next to the Post button in words that fit its cause; a post made offline is
 * sent, once, when the connection returns.
 */

/** The page's main comment box and its parts, as a reader finds them. */
function commentBox(page: Page) {
  const form = page.locator('form#comment-form');
  return {
    form,
    name: form.getByLabel('Your name'),
    body: form.getByLabel('Your comment'),
    post: form.getByRole('button', { name: 'Post comment' }),
    alert: form.getByRole('alert'),
  };
}

/** A note is next to the button when it starts within a couple of lines of it, in the same form. */
async function expectNextTo(note: Locator, button: Locator): Promise<void> {
  const [n, b] = [await note.boundingBox(), await button.boundingBox()];
  expect(n, 'the note is on screen').not.toBeNull();
  expect(b, 'the button is on screen').not.toBeNull();
  expect(Math.abs(n!.y - b!.y)).toBeLessThan(3 * b!.height);
}

async function moderatorOn(browser: Browser, server: ServerProcess, url: string): Promise<Page> {
  const page = await (await staffContext(browser, server)).newPage();
  await page.goto(url);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  return page;
}

/** The seconds a note says are left ("… in 287 s"). */
async function secondsIn(note: Locator): Promise<number> {
  const match = /(\d+) s\b/.exec((await note.textContent()) ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

test.describe('the comment box keeps what was typed', () => {
  test('13.1 a post made offline stays in the box, says so next to the button, and is sent once when the connection returns', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Posting from a train');
    const ann = await openReader(url);
    const bob = await openReader(url);
    const box = commentBox(ann);

    await ann.context().setOffline(true);
    await expect(ann.locator('.connection')).toHaveText(/Offline|Reconnecting/);
    await box.name.fill('Ann');
    await box.body.fill('Written in a tunnel');
    await box.post.click();

    await expect(box.alert).toHaveText(/offline.*sent when you.re back/i);
    await expectNextTo(box.alert, box.post);
    await expect(box.body).toHaveValue('Written in a tunnel');
    // Nothing unsendable is left at the bottom of the thread: the box holds the text.
    await expect(ann.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(ann.getByText(/Not sent/)).toHaveCount(0);

    await ann.context().setOffline(false);
    const mine = new ArticlePage(ann).comment('Written in a tunnel');
    await expect(mine).toHaveCount(1);
    await expect(mine).not.toHaveClass(/comment-sending/);
    await expect(box.body).toHaveValue('');
    await expect(box.alert).toHaveCount(0);

    // Exactly one copy: on Bob's page live, and on both after a reload (the saved draft is gone too).
    await bob.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(bob).comment('Written in a tunnel')).toHaveCount(1);
    await ann.context().setOffline(true);
    await ann.context().setOffline(false);
    await expect(ann.locator('.connection')).toHaveText(/Live/);
    for (const page of [ann, bob]) {
      await page.reload();
      await expect(page.locator('.connection')).toHaveText(/Live/);
      await expect(new ArticlePage(page).comments).toHaveCount(1);
    }
    await expect(commentBox(ann).body).toHaveValue('');
  });

  test('13.1 a post refused by slow mode just switched on keeps the text, across a reload too, and says next to the button how long to wait', async ({ browser, openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Slow mode starts mid-conversation');
    const cy = await openReader(url);
    await postComment(cy, { name: 'Cy', body: 'Before slow mode' });
    const moderator = await moderatorOn(browser, seeded, url);
    await moderator.getByRole('combobox', { name: 'Slow mode' }).selectOption('300');
    await expect(cy.locator('.banner-slow')).toBeVisible();

    const box = commentBox(cy);
    await box.body.fill('A second thought, too soon');
    await box.post.click();
    // Said once (an alert), with the seconds left beside it, counting down (no live region: it ticks).
    await expect(box.alert).toHaveText(/not posted.*slow mode/i);
    const wait = box.form.getByText(/post again in \d+ s/);
    await expectNextTo(box.alert, box.post);
    await expectNextTo(wait, box.post);
    await expect(box.post).toHaveAccessibleDescription(/slow mode.*post again in \d+ s/i);
    await expect(box.body).toHaveValue('A second thought, too soon');
    await expect(box.post).toBeDisabled();
    await expect(new ArticlePage(cy).comment('A second thought')).toHaveCount(0);
    await expect(cy.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    const first = await secondsIn(wait);
    expect(first).toBeGreaterThan(250);
    await expect.poll(() => secondsIn(wait)).toBeLessThan(first);

    // The saved draft still holds it; posting again from the reloaded page is refused the same way.
    await cy.reload();
    await expect(cy.locator('.connection')).toHaveText(/Live/);
    await expect(box.body).toHaveValue('A second thought, too soon');
    await box.post.click();
    await expect(box.alert).toHaveText(/not posted.*slow mode/i);
    await expect(wait).toBeVisible();
    await expect(box.body).toHaveValue('A second thought, too soon');
    await expect(new ArticlePage(cy).comments).toHaveCount(1);
  });

  test('13.2 a comment over the limit cannot be posted, the limit is named, and nothing typed is lost', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'A very long comment');
    const page = await openReader(url);
    const box = commentBox(page);
    const long = 'x'.repeat(10_000);
    await box.name.fill('Lena');
    await box.body.fill(long);

    await expect(box.form.locator('.form-count')).toHaveText('-5,000 characters left');
    await expect(box.post).toBeDisabled();
    const why = box.form.getByText(/at most 5,000 characters/);
    await expect(why).toBeVisible();
    await expectNextTo(why, box.post);
    await expect(box.post).toHaveAccessibleDescription(/at most 5,000 characters/);
    // The keyboard shortcut does not get round it either.
    await box.body.press('Control+Enter');
    await expect(box.body).toHaveValue(long);
    await expect(new ArticlePage(page).comments).toHaveCount(0);

    await page.reload();
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(box.body).toHaveValue(long);
    await expect(box.post).toBeDisabled();

    await box.body.fill('x'.repeat(5_000));
    await expect(box.post).toBeEnabled();
    await expect(why).toHaveCount(0);
    await box.post.click();
    await expect(new ArticlePage(page).comments).toHaveCount(1);
    await expect(box.body).toHaveValue('');
  });

  test('13.3 turning slow mode off releases a commenter who is waiting at once', async ({ browser, openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Slow mode, then not');
    const moderator = await moderatorOn(browser, seeded, url);
    await moderator.getByRole('combobox', { name: 'Slow mode' }).selectOption('300');
    const dee = await openReader(url);
    await expect(dee.locator('.banner-slow')).toBeVisible();
    await postComment(dee, { name: 'Dee', body: 'Posted under slow mode' });

    const box = commentBox(dee);
    const wait = box.form.getByText(/post again in \d+ s/);
    await expect(wait).toBeVisible();
    expect(await secondsIn(wait)).toBeGreaterThan(250);
    await expect(box.post).toBeDisabled();
    await box.body.fill('Waiting to say more');

    // Shortened: the wait shrinks with it.
    await moderator.getByRole('combobox', { name: 'Slow mode' }).selectOption('10');
    await expect.poll(() => secondsIn(wait)).toBeLessThanOrEqual(10);

    await moderator.getByRole('combobox', { name: 'Slow mode' }).selectOption('0');
    await expect(dee.locator('.banner-slow')).toHaveCount(0);
    await expect(box.post).toBeEnabled({ timeout: 3_000 });
    await expect(wait).toHaveCount(0);
    await box.post.click();
    await expect(new ArticlePage(dee).comment('Waiting to say more')).not.toHaveClass(/comment-sending/);
    await expect(box.body).toHaveValue('');
    await expect(moderator.getByRole('button', { name: '2 new comments' })).toBeVisible();
  });

  test('13.15 Ctrl+Enter and Cmd+Enter post; a comment of only spaces says why it cannot be posted', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Posting from the keyboard');
    const page = await openReader(url);
    const article = new ArticlePage(page);
    const box = commentBox(page);
    await box.name.fill('Kim');
    await box.body.fill('Sent with Ctrl+Enter');
    await box.body.press('Control+Enter');
    await expect(article.comment('Sent with Ctrl+Enter')).not.toHaveClass(/comment-sending/);
    await expect(box.body).toHaveValue('');

    const target = article.comment('Sent with Ctrl+Enter');
    await target.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    const reply = target.locator(':scope > details > form').getByLabel('Your reply');
    await reply.fill('Sent with Cmd+Enter');
    await reply.press('Meta+Enter');
    await expect(article.comment('Sent with Cmd+Enter')).toHaveAttribute('data-depth', '2');

    await box.body.fill('  \n\t  ');
    await box.body.press('Control+Enter');
    await expect(box.alert).toHaveText(/nothing to post/i);
    await expectNextTo(box.alert, box.post);
    await expect(box.body).toBeFocused();
    await box.post.click();
    await expect(box.alert).toHaveText(/nothing to post/i);
    await expect(box.body).toHaveValue('  \n\t  ');
    await expect(article.comments).toHaveCount(2);
    // Writing something clears the complaint.
    await box.body.pressSequentially('ok');
    await expect(box.alert).toHaveCount(0);
  });
});
