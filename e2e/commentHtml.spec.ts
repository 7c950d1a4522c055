import type { Page } from '@playwright/test';
import { expect, holdScript, postOverApi, test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

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

test('comment bodies read the same before and after the page goes live, and the JSON does not carry them again', async ({ browser }) => {
  const slug = createThread(server, 'Bodies sent once');
  const top = await postOverApi(server.baseUrl, slug, { body: BODIES[0]! });
  await postOverApi(server.baseUrl, slug, { body: BODIES[1]!, parentId: top });
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const release = await holdScript(page);
  await page.goto(`${server.baseUrl}/articles/${slug}`, { waitUntil: 'commit' });
  await expect(page.locator('article.comment')).toHaveCount(2);

  const json = await page.locator('#threadline-island').textContent();
  expect(json).not.toContain('not bold');
  expect(json).not.toContain('a block');
  const before = await bodies(page);
  expect(before.map(([, , text]) => text)).toEqual([
    // Markdown reads an entity outside code as the character it names.
    'Typed as text: <b>not bold</b>, an & entity, a lone & and "quotes" that are \'quoted\'.',
    expect.stringMatching(/^A quote with a link\n\nSome x < y && y > z code, bold and emphasis\.\n\n<i>a block<\/i> & &lt;more&gt;\s*$/),
  ]);
  await expect(page.getByRole('link', { name: 'a link' })).toHaveAttribute('href', 'https://example.com/?a=1&b=2');

  release();
  await expect(page.locator('.connection')).toHaveText(/Live/);
  // Report buttons show on live pages only: each comment has rendered with the live view, from the data the page read back.
  await expect(page.locator('article.comment').getByRole('button', { name: 'Report' })).toHaveCount(2);
  expect(await bodies(page)).toEqual(before);
  await expect(page.locator('strong', { hasText: 'bold' })).toHaveCount(1);
  await expect(page.locator('b')).toHaveCount(0);
  expect(problems).toEqual([]);
  await context.close();
});
