import type { Browser, Page } from '@playwright/test';
import { expect, holdScript, newArticle, postOverApi, test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';
import { featureComment } from './pages/picks';

/**
 * Issue 15: a comment's HTML travels once. The reader page's JSON leaves out the HTML its markup shows,
 * and the browser reads it back from the page before hydrating (app/islands/islandData.ts). Comments
 * whose markdown makes links, code, quotes, and text that looks like HTML or entities must read the
 * same before the page runs, once it is live (every comment re-rendered by then), with no error.
 */

let server: ServerProcess;

test.beforeAll(async () => {
  // A new guest's link is held for review by the spam checks: these comments are about their markup.
  server = await startServer({ env: { SPAM_CHECKS: 'off' } });
});

test.afterAll(async () => {
  await server?.stop();
});

const BODIES = [
  'Typed as text: <b>not bold</b>, an &amp; entity, a lone & and "quotes" that are \'quoted\'.',
  '> A quote with [a link](https://example.com/?a=1&b=2)\n\nSome `x < y && y > z` code, **bold** and _emphasis_.\n\n```\n<i>a block</i> & &lt;more&gt;\n```',
];

/** Each shown comment's body as the page holds it, by comment id. */
const bodies = (page: Page) => page.locator('[data-html-of]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-html-of'), el.innerHTML, (el as HTMLElement).innerText]));

/**
 * Opens `url` with its script held, reads the comment bodies the server rendered, lets the page go live and
 * checks they read the same, every comment rendered with the live view by then, with no error; returns them.
 */
async function bodiesBeforeAndLive(browser: Browser, url: string, comments: number): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const release = await holdScript(page);
  await page.goto(url, { waitUntil: 'commit' });
  await expect(page.locator('article.comment')).toHaveCount(comments);
  const json = await page.locator('#threadline-island').textContent();
  const before = await bodies(page);
  for (const [, , text] of before) expect(json, 'the JSON does not carry a body the page shows').not.toContain(text!.slice(0, 12));

  release();
  await expect(page.locator('.connection')).toHaveText(/Live/);
  // Report buttons show on live pages only: each comment has rendered with the live view, from the data the page read back.
  await expect(page.locator('article.comment').getByRole('button', { name: 'Report' })).toHaveCount(comments);
  expect(await bodies(page)).toEqual(before);
  expect(problems).toEqual([]);
  await context.close();
  return before.map(([, , text]) => text!);
}

test('comment bodies read the same before and after the page goes live, and the JSON does not carry them again', async ({ browser }) => {
  const slug = await createThread(server, 'Bodies sent once');
  const top = await postOverApi(server.baseUrl, slug, { body: BODIES[0]! });
  await postOverApi(server.baseUrl, slug, { body: BODIES[1]!, parentId: top });
  const texts = await bodiesBeforeAndLive(browser, `${server.baseUrl}/articles/${slug}`, 2);
  expect(texts).toEqual([
    // Markdown reads an entity outside code as the character it names.
    'Typed as text: <b>not bold</b>, an & entity, a lone & and "quotes" that are \'quoted\'.',
    expect.stringMatching(/^A quote with a link\n\nSome x < y && y > z code, bold and emphasis\.\n\n<i>a block<\/i> & &lt;more&gt;\s*$/),
  ]);
});

test('a featured comment\'s body, shown twice (above the thread and in its place), reads the same once live', async ({ browser, openStaff }) => {
  const { slug, url } = await newArticle(server, 'A featured body');
  await postOverApi(server.baseUrl, slug, { body: BODIES[0]! });
  const moderator = await openStaff(server, url);
  await featureComment(moderator, moderator.locator('article.comment'));
  await expect(moderator.locator('.featured-comment')).toHaveCount(1);
  const texts = await bodiesBeforeAndLive(browser, url, 1);
  expect(texts).toEqual([expect.stringContaining('<b>not bold</b>'), expect.stringContaining('<b>not bold</b>')]);
});
