import { BRANCHES_PER_PAGE, CommentResponseSchema, ThreadResponseSchema, type ThreadResponse } from '../lib/contract';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createSyntheticThread, startServer, type ServerProcess } from './serverProcess';

/**
 * A long thread a page of branches at a time: the first page server-rendered,
 * "More comments" appending the next, live replies to branches not loaded yet
 * counted (and shown once their branch loads), and the plain link without JavaScript.
 */
test.describe('a long thread, a page of branches at a time', () => {
  let server: ServerProcess;
  let slug: string;
  let pages: ThreadResponse[];

  test.beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    slug = createSyntheticThread(server, { comments: 600, depth: 6, seed: 5 });
    pages = [];
    for (let cursor: string | null = null; pages.length === 0 || cursor !== null; ) {
      const res: Response = await fetch(`${server.baseUrl}/api/threads/${slug}${cursor ? `?after=${cursor}` : ''}`);
      const page = ThreadResponseSchema.parse(await res.json());
      pages.push(page);
      cursor = page.nextCursor;
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  const topLevel = (article: ArticlePage) => article.page.locator('ol.thread > li > article.comment');
  const topIds = (p: ThreadResponse) => p.comments.filter((c) => c.parentId === null).map((c) => c.id);

  test('the first page shows one page of branches and the whole thread’s count; More comments appends the next, in order', async ({ page }) => {
    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(article.commentsHeading).toHaveText(`${pages[0]!.thread.commentCount} comments`);
    // A page is at most BRANCHES_PER_PAGE top-level comments, fewer once they hold COMMENTS_PER_PAGE comments.
    expect(topIds(pages[0]!).length).toBeGreaterThan(0);
    expect(topIds(pages[0]!).length).toBeLessThanOrEqual(BRANCHES_PER_PAGE);
    expect(pages.length).toBeGreaterThan(1);
    await expect(topLevel(article)).toHaveCount(topIds(pages[0]!).length);

    await page.getByRole('button', { name: 'More comments' }).click();
    await expect(topLevel(article)).toHaveCount(topIds(pages[0]!).length + topIds(pages[1]!).length);
    const shown = await topLevel(article).evaluateAll((els) => els.map((el) => el.getAttribute('data-comment-id')));
    expect(shown).toEqual([...topIds(pages[0]!), ...topIds(pages[1]!)]);
    await expect(article.commentsHeading).toHaveText(`${pages[0]!.thread.commentCount} comments`);
  });

  test('a live reply in a branch not loaded yet raises the count and appears when its branch loads', async ({ page }) => {
    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const count = async () => Number((await article.commentsHeading.textContent())?.split(' ')[0]);
    const before = await count();

    const target = pages.at(-1)!.comments.find((c) => c.parentId === null && c.status === 'visible')!;
    const res = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parentId: target.id, body: 'a reply far down the thread', authorName: 'Late' }),
    });
    const reply = CommentResponseSchema.parse(await res.json()).comment;
    await expect(article.commentsHeading).toHaveText(`${before + 1} comments`);
    await expect(page.locator(`[data-comment-id="${reply.id}"]`)).toHaveCount(0);

    // Every page, each click waited on until its branches are in (or the button is gone): the loop
    // must not read a button that is between pages as "no more pages".
    const more = page.getByRole('button', { name: 'More comments' });
    while ((await more.count()) > 0) {
      const shown = await topLevel(article).count();
      await more.click();
      await expect(async () => {
        expect((await more.count()) === 0 || (await topLevel(article).count()) > shown).toBe(true);
      }).toPass();
    }
    await expect(page.locator(`[data-comment-id="${reply.id}"]`)).toHaveCount(1);
    await expect(article.comment('a reply far down the thread')).toBeVisible();
    await expect(article.commentsHeading).toHaveText(`${before + 1} comments`);
  });

  test('without JavaScript, More comments is a link to the next page, rendered by the server', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(topLevel(article)).toHaveCount(topIds(pages[0]!).length);
    await page.getByRole('link', { name: 'More comments' }).click();
    await expect(page).toHaveURL(new RegExp(`after=${pages[0]!.nextCursor}`));
    const shown = await topLevel(article).evaluateAll((els) => els.map((el) => el.getAttribute('data-comment-id')));
    expect(shown).toEqual(topIds(pages[1]!));
    await context.close();
  });
});
