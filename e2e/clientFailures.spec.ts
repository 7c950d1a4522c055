import type { Page } from '@playwright/test';
import { expect, PAGE_SCRIPTS, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createSyntheticThread, createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * The page's reads of the thread failing half-way (issue 12): a "More comments"
 * answer that does not parse, and a catch-up reload cut off. Either must leave
 * the page usable and throw nothing the page does not handle (`pageerror`
 * reports uncaught errors and unhandled rejections alike).
 */
test.describe('when the server’s answer fails half-way', () => {
  let server: ServerProcess;
  test.beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  function uncaught(page: Page): string[] {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    return errors;
  }

  test('More comments whose answer does not parse comes back as a button, says so, and works once the server answers', async ({ page }) => {
    const slug = createSyntheticThread(server, { comments: 600, depth: 6, seed: 5 });
    const errors = uncaught(page);
    const nextPage = (url: URL) => url.pathname === `/api/threads/${slug}` && url.searchParams.has('after');
    await page.route(nextPage, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"thread": {"slug": "' }));

    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const shown = await article.topLevelComments().count();
    const more = page.locator('.more-comments button');
    await more.click();
    await expect(page.locator('.more-comments [role="alert"]')).toContainText('Could not load more comments.');
    await expect(more).toHaveText('More comments');
    await expect(more).toBeEnabled();
    expect(errors).toEqual([]);

    await page.unroute(nextPage);
    await more.click();
    await expect(async () => expect(await article.topLevelComments().count()).toBeGreaterThan(shown)).toPass();
    await expect(page.locator('.more-comments [role="alert"]')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('a catch-up whose reload is cut off (offline) is no unhandled rejection; the next catch-up brings the page up to date', async ({ page }) => {
    const slug = await createThread(server, 'A page that fell far behind');
    const errors = uncaught(page);
    const reload = (u: URL) => u.pathname === `/api/threads/${slug}` && !u.searchParams.has('after');
    let cutOff = 0;
    await page.route(reload, (route) => {
      cutOff += 1;
      return route.abort('internetdisconnected');
    });
    // The page is rendered now, but its scripts wait: by the time it goes live, more has changed than one
    // catch-up replays (CATCH_UP_LIMIT, 500), so it is told to reload the thread instead.
    let startScripts!: () => void;
    const scriptsMayLoad = new Promise<void>((resolve) => (startScripts = resolve));
    await page.route(PAGE_SCRIPTS, async (route) => {
      await scriptsMayLoad;
      await route.continue();
    });
    await page.goto(`${server.baseUrl}/articles/${slug}`, { waitUntil: 'commit' });
    await expect(page.locator('#comments-heading')).toHaveText('0 comments');
    const posts = Array.from({ length: 501 }, (_, i) => i);
    for (let i = 0; i < posts.length; i += 20) {
      await Promise.all(
        posts.slice(i, i + 20).map(async (n) => {
          const res = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ body: `comment ${n}`, authorName: 'Busy' }),
          });
          expect(res.status).toBe(201);
        }),
      );
    }
    startScripts();

    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect.poll(() => cutOff).toBeGreaterThan(0);
    await expect(page.locator('#comments-heading')).toHaveText('0 comments');

    // Back online: the browser says so, the page catches up again, and this time the reload answers.
    await page.unroute(reload);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.locator('#comments-heading')).toHaveText('501 comments');
    expect(errors).toEqual([]);
  });
});
