import type { Page } from '@playwright/test';
import { createThread, startServer, type ServerProcess } from './serverProcess';
import { expect, holdScript, postOverApi, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

/**
 * Issue 15: a reader page that is loading, and the live updates that arrive meanwhile, move nothing
 * on the reader's screen. The page's script is held back (as a slow network would) while comments,
 * replies and likes arrive; then it runs, hydrates, goes live and catches up. The browser's
 * Layout Instability API reports every shift of what was on screen; there must be none.
 */

let server: ServerProcess;

test.beforeAll(async () => {
  // Posts over the API from the test, as many writers would: not this one address's limit.
  server = await startServer({ env: { RATE_LIMITS: 'off' } });
});

test.afterAll(async () => {
  await server?.stop();
});

const post = (slug: string, body: string, parentId: string | null = null) => postOverApi(server.baseUrl, slug, { body, parentId });

async function like(commentId: string): Promise<void> {
  const res = await fetch(`${server.baseUrl}/api/comments/${commentId}/like`, { method: 'PUT', headers: { origin: server.baseUrl } });
  expect(res.ok).toBe(true);
}

/** Records every layout shift of the page from its first paint, as `window.shifts`. */
async function recordShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shifts: { value: number; sources: string[] }[] = [];
    (window as unknown as { shifts: typeof shifts }).shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources: { node: Node | null }[] }[]) {
        if (!entry.hadRecentInput) shifts.push({ value: entry.value, sources: entry.sources.map((s) => (s.node instanceof Element ? `${s.node.tagName}.${s.node.className}` : `${String(s.node?.nodeName)} ${JSON.stringify(s.node?.textContent?.slice(0, 40))}`)) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

for (const kind of ['article', 'embed'] as const) {
  test(`the ${kind} page does not move while it loads and goes live, whatever arrives meanwhile`, async ({ browser }) => {
    const slug = await createThread(server, `Nothing moves (${kind})`);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push(await post(slug, `Comment ${i}\n\nwith a second paragraph, so that it takes some room.`));
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await recordShifts(page);
    const release = await holdScript(page);
    // At the discussion, so that what changes in it would be on screen.
    await page.goto(`${server.baseUrl}/${kind === 'article' ? 'articles' : 'embed'}/${slug}#comments`, { waitUntil: 'commit' });
    await expect(page.locator('article.comment')).toHaveCount(4);

    // While the page loads: a reply to a comment on screen, a new comment, a reply to that, a like.
    await post(slug, 'A reply that came while the page loaded', ids[0]);
    const top = await post(slug, 'A comment that came while the page loaded');
    await post(slug, 'A reply to it', top);
    await like(ids[1]!);
    release();

    await expect(page.locator('.connection')).toHaveText(/Live/);
    await expect(page.locator('.reading-now')).toBeVisible();
    // What arrived waits behind the pill, which floats over the comments.
    await expect(page.getByRole('button', { name: '3 new comments' })).toBeVisible();
    await expect(new ArticlePage(page).comment('Comment 2').locator(':scope > details > .comment-actions .like-button')).toHaveAttribute('data-likes', '1');
    // Two animation frames: any shift of the last change has been reported.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => (window as unknown as { shifts: unknown[] }).shifts)).toEqual([]);

    // The reader asks for them: they show in place (a click may move the page; it is the reader's).
    await page.getByRole('button', { name: '3 new comments' }).click();
    await expect(page.locator('article.comment')).toHaveCount(7);
    await context.close();
  });
}
