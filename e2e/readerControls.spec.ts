import type { Browser, BrowserContext } from '@playwright/test';
import { ArticlePage } from './pages/ArticlePage';
import { expect, postComment, postOverApi, test } from './fixtures';
import { serverWithItsStore } from './ownServer';
import { createThread } from './serverProcess';

/**
 * Readers' own controls (issue 19, docs/api.md "Readers' mutes"): a signed-in reader's mute is the
 * account's and follows them to another browser; a guest's browser mutes join the account on sign-in;
 * "Pause live" holds new comments, counts them, and shows them on resume. The arrivals pill does not
 * count a muted person's comments.
 */
const own = serverWithItsStore('reader-controls');

/** A new session for an account (a new one of this name unless `id` is given), in a browser context of its own. */
async function signedIn(browser: Browser, name: string, context?: BrowserContext): Promise<{ context: BrowserContext; id: string; name: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.test`;
  const { token, user } = await own.services.auth.signInWith({ identity: { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name, badges: null }, userAgent: 'e2e' });
  const ctx = context ?? (await browser.newContext());
  await ctx.addCookies([{ name: 'tl_session', value: token, url: own.server.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return { context: ctx, id: user.id, name: user.displayName };
}

const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 7)}`;

test('19 a signed-in reader’s mute follows them to another browser; a guest’s browser mutes join the account on sign-in', async ({ browser }) => {
  const slug = await createThread(own.server, 'Mutes that follow');
  const annName = unique('Ann');
  await postOverApi(own.server.baseUrl, slug, { body: 'Ben writes', authorName: 'Ben' });
  await postOverApi(own.server.baseUrl, slug, { body: 'Cleo writes', authorName: 'Cleo' });
  const laptop = await signedIn(browser, annName);
  const phone = await signedIn(browser, annName);
  const guest = await browser.newContext();
  try {
    const url = `${own.server.baseUrl}/articles/${slug}`;
    const page = await laptop.context.newPage();
    await page.goto(url);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await new ArticlePage(page).comment('Ben writes').getByRole('button', { name: 'Mute Ben' }).click();
    await expect(page.getByTestId('muted-fold')).toHaveText(/1 comment from a muted person/);
    await expect.poll(async () => (await own.services.notifications.mutes(laptop.id)).length).toBe(1);

    // Another browser, the same account: folded from the account's list.
    const other = await phone.context.newPage();
    await other.goto(url);
    await expect(other.getByTestId('muted-fold')).toHaveText(/1 comment from a muted person/);
    await expect(new ArticlePage(other).comment('Ben writes')).toHaveCount(0);
    await expect(new ArticlePage(other).comment('Cleo writes')).toBeVisible();

    // A guest mutes Cleo in their browser, then signs in as Ann: the browser's list joins the account's.
    const guestPage = await guest.newPage();
    await guestPage.goto(url);
    await expect(guestPage.locator('.connection')).toHaveText(/Live/);
    await new ArticlePage(guestPage).comment('Cleo writes').getByRole('button', { name: 'Mute Cleo' }).click();
    await expect(guestPage.getByTestId('muted-fold')).toHaveCount(1);
    await signedIn(browser, annName, guest);
    await guestPage.reload();
    await expect(guestPage.getByTestId('muted-fold')).toHaveText(/2 comments from muted people/);
    await expect.poll(async () => (await own.services.notifications.mutes(laptop.id)).length).toBe(2);
    expect(await guestPage.evaluate(() => window.localStorage.getItem('threadline:mutes'))).toBeNull();

    // Unmuted from the account page: the other browser shows Ben again on its next load.
    await other.goto(`${own.server.baseUrl}/account#notices`);
    await other.locator('#notices').getByRole('button', { name: /^Unmute/ }).first().click();
    await expect.poll(async () => (await own.services.notifications.mutes(laptop.id)).length).toBe(1);
  } finally {
    await laptop.context.close();
    await phone.context.close();
    await guest.close();
  }
});

test('19 Pause live holds new comments and counts them; Resume shows them in place', async ({ openReader }) => {
  const slug = await createThread(own.server, 'A calm read');
  const first = await postOverApi(own.server.baseUrl, slug, { body: 'Already here', authorName: 'Ann' });
  const page = await openReader(`${own.server.baseUrl}/articles/${slug}`);
  const article = new ArticlePage(page);
  const pause = page.locator('.pause-live-button');
  await expect(pause).toHaveText('Pause live');
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await expect(pause).toHaveText('Paused — 0 new');

  await postOverApi(own.server.baseUrl, slug, { body: 'A reply while paused', authorName: 'Ben', parentId: first });
  await postOverApi(own.server.baseUrl, slug, { body: 'A new comment while paused', authorName: 'Cleo' });
  await expect(pause).toHaveText('Paused — 2 new');
  await expect(article.comments).toHaveCount(1);
  await expect(page.locator('#comments-heading')).toHaveText('1 comment');

  await pause.click();
  await expect(pause).toHaveText('Pause live');
  await expect(article.comment('A reply while paused')).toBeVisible();
  await expect(article.comment('A new comment while paused')).toBeVisible();
  await expect(page.locator('#comments-heading')).toHaveText('3 comments');
});

test('19 the arrivals pill does not count a muted person’s new comments; they show folded when it is next used', async ({ openReader }) => {
  const slug = await createThread(own.server, 'Quiet about the muted');
  const url = `${own.server.baseUrl}/articles/${slug}`;
  const ann = await postOverApi(own.server.baseUrl, slug, { body: 'Ann opens', authorName: 'Ann' });
  const ben = await openReader(url);
  await postComment(ben, { name: 'Ben', body: 'Ben speaks first' });
  const reader = await openReader(url);
  const article = new ArticlePage(reader);
  await article.comment('Ben speaks first').getByRole('button', { name: 'Mute Ben' }).click();
  await expect(reader.getByTestId('muted-fold')).toHaveText(/1 comment from a muted person/);

  // New top-level comments wait behind the pill: Ben's is not counted there, Cleo's is.
  await postComment(ben, { name: 'Ben', body: 'Ben again' });
  await postOverApi(own.server.baseUrl, slug, { body: 'Cleo arrives', authorName: 'Cleo' });
  // A reply shows in place at once: once it does, the page has applied the two before it.
  await postOverApi(own.server.baseUrl, slug, { body: 'Dan answers Ann', authorName: 'Dan', parentId: ann });
  await expect(article.comment('Dan answers Ann')).toBeVisible();
  const pill = reader.getByTestId('arrivals').locator('.new-comments');
  await expect(pill).toHaveText('1 new comment');

  await pill.click();
  await expect(article.comment('Cleo arrives')).toBeVisible();
  await expect(article.comment('Ben again')).toHaveCount(0);
  await expect(reader.getByTestId('muted-fold')).toHaveText(/2 comments from a muted person/);
});
