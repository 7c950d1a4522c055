import type { Locator, Page } from '@playwright/test';
import { ThreadResponseSchema, type ThreadResponse } from '../lib/contract';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createSyntheticThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 13, points 5 and 13: a reader deep in a long thread (the issue's
 * 1,962 comments) presses "More comments" and keeps their place — focus, what
 * is on screen, where `j` goes next, and after a reload — and is told how much
 * of the thread is shown.
 */
test.describe('More comments on a long thread keeps the reader’s place', () => {
  let server: ServerProcess;
  let slug: string;
  let pages: ThreadResponse[];
  /** A shorter thread, for walking to its last page. */
  let short: { slug: string; pages: ThreadResponse[] };

  /** Every page of the thread as the API gives it, following the cursors. */
  async function readPages(thread: string): Promise<ThreadResponse[]> {
    const all: ThreadResponse[] = [];
    for (let cursor: string | null = null; all.length === 0 || cursor !== null; ) {
      const res: Response = await fetch(`${server.baseUrl}/api/threads/${thread}${cursor ? `?after=${cursor}` : ''}`);
      const page = ThreadResponseSchema.parse(await res.json());
      all.push(page);
      cursor = page.nextCursor;
    }
    return all;
  }

  test.beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    slug = createSyntheticThread(server, { comments: 1962, depth: 6, seed: 13 });
    pages = await readPages(slug);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const shortSlug = createSyntheticThread(server, { comments: 500, depth: 6, seed: 13 });
    short = { slug: shortSlug, pages: await readPages(shortSlug) };
    expect(short.pages.length).toBeGreaterThanOrEqual(3);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  const topLevel = (page: Page) => page.locator('ol.thread > li > article.comment');
  const topIds = (p: ThreadResponse) => p.comments.filter((c) => c.parentId === null).map((c) => c.id);
  const byId = (page: Page, id: string) => page.locator(`article.comment[data-comment-id="${id}"]`);
  /** Visible comments on the first `n` pages: what the page shows once they are loaded. */
  const shownAfter = (n: number) => pages.slice(0, n).reduce((sum, p) => sum + p.comments.filter((c) => c.status === 'visible').length, 0);
  const total = () => pages[0]!.thread.commentCount;
  const more = (page: Page) => page.getByRole('button', { name: 'More comments' });
  const scrollY = (page: Page) => page.evaluate(() => Math.round(window.scrollY));
  /** The id of the comment after `el` in reading order (document order, replies included). */
  const nextCommentId = (el: Locator) =>
    el.evaluate((me) => {
      const all = Array.from(document.querySelectorAll('article.comment[data-comment-id]'));
      return all[all.indexOf(me) + 1]!.getAttribute('data-comment-id')!;
    });

  async function openLive(page: Page): Promise<ArticlePage> {
    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(topLevel(page)).toHaveCount(topIds(pages[0]!).length);
    return article;
  }

  /** The reader clicks the last comment of the first page and tabs on to "More comments", as a keyboard reader would. */
  async function tabToMore(page: Page): Promise<Locator> {
    const last = byId(page, (await page.locator('article.comment[data-comment-id]').last().getAttribute('data-comment-id'))!);
    await last.locator(':scope > details > .comment-body').first().click();
    await expect(last).toBeFocused();
    for (let i = 0; i < 30 && !(await more(page).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(more(page)).toBeFocused();
    return last;
  }

  /**
   * After More comments: the second page is in, focus is on its first comment (where the button was, not
   * tens of thousands of pixels up), the page did not move, and `j` reads on, bringing the next one into view.
   */
  async function expectPlaceKept(page: Page, scrolledTo: number): Promise<Locator> {
    await expect(topLevel(page)).toHaveCount(topIds(pages[0]!).length + topIds(pages[1]!).length);
    const firstNew = byId(page, topIds(pages[1]!)[0]!);
    await expect(firstNew).toBeFocused();
    await expect(firstNew).toBeInViewport();
    expect(Math.abs((await scrollY(page)) - scrolledTo)).toBeLessThanOrEqual(2);
    const second = byId(page, await nextCommentId(firstNew));
    await page.keyboard.press('j');
    await expect(second).toBeFocused();
    await expect(second).toBeInViewport();
    return second;
  }

  test('5 Enter on More comments keeps the keyboard place: focus on the first comment it brought, nothing jumps, j and k go on from there', async ({ page }) => {
    await openLive(page);
    const lastRead = await tabToMore(page);
    const before = await scrollY(page);

    await page.keyboard.press('Enter');
    await expectPlaceKept(page, before);
    // And k back up to where the reader was before.
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await expect(lastRead).toBeFocused();
    await expect(lastRead).toBeInViewport();
    await expect(byId(page, topIds(pages[0]!)[0]!)).not.toBeInViewport();
  });

  test('5 clicking More comments keeps the place too: the page stays still and j reads on from the first comment it brought', async ({ page }) => {
    await openLive(page);
    // A reader who went down with j to the end of the first page, then reached for the mouse.
    const lastRead = page.locator('article.comment[data-comment-id]').last();
    await lastRead.locator(':scope > details > .comment-body').first().click();
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await expect(lastRead).toBeFocused();
    await more(page).scrollIntoViewIfNeeded();
    const before = await scrollY(page);

    await more(page).click();
    await expectPlaceKept(page, before);
  });

  test('5 j from outside any comment starts where the reader is, not at comment #1 far above', async ({ page }) => {
    await openLive(page);
    await more(page).click();
    await expect(topLevel(page)).toHaveCount(topIds(pages[0]!).length + topIds(pages[1]!).length);
    // The reader clicks empty space beside the thread: focus leaves the comments, the page stays where it is.
    await page.mouse.click(5, 300);
    await expect(page.locator('article.comment:focus')).toHaveCount(0);
    await page.keyboard.press('j');
    const focused = page.locator('article.comment:focus');
    await expect(focused).toHaveCount(1);
    await expect(focused).toBeInViewport();
    await expect(byId(page, topIds(pages[0]!)[0]!)).not.toBeInViewport();
  });

  test('5 a reload keeps the comments already loaded, and the place in them', async ({ page }) => {
    await openLive(page);
    await tabToMore(page);
    const before = await scrollY(page);
    await page.keyboard.press('Enter');
    const reading = await expectPlaceKept(page, before);
    const readingId = (await reading.getAttribute('data-comment-id'))!;

    await page.reload();
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(topLevel(page)).toHaveCount(topIds(pages[0]!).length + topIds(pages[1]!).length);
    await expect(byId(page, readingId)).toBeInViewport();
    await expect(page.locator('.more-comments')).toContainText(`${shownAfter(2).toLocaleString('en')} of ${total().toLocaleString('en')} shown`);
    // And More comments goes on from there.
    await more(page).click();
    await expect(topLevel(page)).toHaveCount(topIds(pages[0]!).length + topIds(pages[1]!).length + topIds(pages[2]!).length);
  });

  test('5 the last page keeps the place as well, and a reload after it brings back the whole thread', async ({ page }) => {
    const branches = (n: number) => short.pages.slice(0, n).reduce((sum, p) => sum + topIds(p).length, 0);
    await page.goto(`${server.baseUrl}/articles/${short.slug}`);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    for (let loaded = 1; loaded < short.pages.length; loaded++) {
      await more(page).click();
      await expect(topLevel(page)).toHaveCount(branches(loaded + 1));
    }
    // The button is gone with the last page; focus did not fall to the top of the page with it.
    await expect(more(page)).toHaveCount(0);
    const firstOfLast = byId(page, topIds(short.pages.at(-1)!)[0]!);
    await expect(firstOfLast).toBeFocused();
    await expect(firstOfLast).toBeInViewport();
    await expect(page).toHaveURL(/until=end/);

    await page.reload();
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(topLevel(page)).toHaveCount(branches(short.pages.length));
    await expect(page.locator('.more-comments')).toHaveCount(0);
    await expect(firstOfLast).toBeInViewport();
  });

  test('13 More comments says how many of the thread’s comments are shown, in the reader’s language, with and without JavaScript', async ({ page, browser }) => {
    // The thread's visible comments (the issue's 1,962, some since deleted or removed): grouped by locale.
    expect(total()).toBeGreaterThan(1000);
    const [en, de] = [total().toLocaleString('en'), total().toLocaleString('de')];
    await openLive(page);
    await expect(page.locator('.more-comments')).toContainText(`${shownAfter(1).toLocaleString('en')} of ${en} shown`);
    await expect(more(page)).toHaveAccessibleDescription(`${shownAfter(1).toLocaleString('en')} of ${en} shown`);
    await more(page).click();
    await expect(page.locator('.more-comments')).toContainText(`${shownAfter(2).toLocaleString('en')} of ${en} shown`);

    const german = await browser.newContext({ locale: 'de-DE' });
    const dePage = await german.newPage();
    await dePage.goto(`${server.baseUrl}/articles/${slug}`);
    await expect(dePage.locator('.connection')).toHaveText(/Live/);
    await expect(dePage.getByRole('button', { name: 'Weitere Kommentare' })).toHaveAccessibleDescription(`${shownAfter(1).toLocaleString('de')} von ${de} angezeigt`);
    await german.close();

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${server.baseUrl}/articles/${slug}`);
    await expect(plain.getByRole('link', { name: 'More comments' })).toBeVisible();
    await expect(plain.locator('.more-comments')).toContainText(`${shownAfter(1).toLocaleString('en')} of ${en} shown`);
    await noScript.close();
  });
});
