import type { Browser } from '@playwright/test';
import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { expect, postOverApi, redisEnv, test } from './fixtures';
import { startFrontPage, type FrontPageHost } from './frontPageHost';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * count.js on a newsroom's front page, a site of its own (docs/embed.md, "Comment counts"): the page
 * loads the script from node B; comments are posted on node A; the counts on the page follow, live.
 * The same page on an origin not in EMBED_ORIGINS is refused and keeps the CMS's own text.
 */
/** The front page opened in a context of its own, its console errors collected, and its count links by slug. */
async function openFrontPage(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  await page.goto(url);
  const link = (slug: string) => page.locator(`a[data-threadline-count="${slug}"]`);
  return { context, page, errors, link };
}

test.describe('comment counts on a front page of another origin', () => {
  let db: TestDatabase;
  let front: FrontPageHost;
  const nodes: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;

  test.beforeAll(async () => {
    db = await createTestDatabase('postgres');
    front = await startFrontPage(() => b.baseUrl);
    const env = {
      DATABASE_URL: db.databaseUrl!,
      SESSION_SECRET: 'e2e-counts-secret-e2e-counts-secret-e2e',
      EMBED_ORIGINS: `http://127.0.0.1:${front.port}`,
      ...redisEnv('counts'),
    };
    a = await startServer({ env });
    nodes.push(a);
    b = await startServer({ env });
    nodes.push(b);
  });

  test.afterAll(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await front?.close();
    await db?.cleanup();
  });

  test('every link shows its count, and a comment posted on node A updates it on the page served by node B', async ({ browser }) => {
    const busy = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Counted on the front page');
    const quiet = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Quiet on the front page');
    await postOverApi(a.baseUrl, busy, { body: 'Already here before the page opened' });
    front.articles = [
      { slug: busy, ownText: '1 comment (from the CMS)' },
      { slug: quiet, ownText: 'Comments', format: 'number' },
      { slug: 'no-such-thread-here', ownText: 'Join the discussion' },
    ];

    const { context, errors, link } = await openFrontPage(browser, `http://127.0.0.1:${front.port}/`);
    await expect(link(busy)).toHaveText('1 comment');
    await expect(link(quiet)).toHaveText('0');
    await expect(link('no-such-thread-here')).toHaveText('Join the discussion');

    // Posted through the other node: the page's one stream, on node B, hears of it within an interval.
    await postOverApi(a.baseUrl, busy, { body: 'Posted on node A' });
    await postOverApi(a.baseUrl, busy, { body: 'And another on node A' });
    await expect(link(busy)).toHaveText('3 comments');
    await postOverApi(a.baseUrl, quiet, { body: 'The quiet one speaks' });
    await expect(link(quiet)).toHaveText('1');
    await expect(link('no-such-thread-here')).toHaveText('Join the discussion');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('on an origin not in EMBED_ORIGINS the counts are refused, said in the console, and the links keep their own text', async ({ browser }) => {
    const slug = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Not for strangers');
    await postOverApi(a.baseUrl, slug, { body: 'A comment a stranger may not count' });
    front.articles = [{ slug, ownText: 'Read the comments' }];

    // The same page, but at localhost: another origin than the one EMBED_ORIGINS lists.
    const { context, page, errors } = await openFrontPage(browser, `http://localhost:${front.port}/`);
    await expect.poll(() => errors.find((text) => /Threadline count\.js: .*origin_not_allowed/.test(text))).toBeTruthy();
    await expect(page.locator(`a[data-threadline-count="${slug}"]`)).toHaveText('Read the comments');
    await context.close();
  });

  test('a link the page adds later ("more stories") is counted too, and follows live with the others', async ({ browser }) => {
    const first = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'On the first screen');
    const more = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Below the fold');
    await postOverApi(a.baseUrl, more, { body: 'A comment below the fold' });
    front.articles = [{ slug: first, ownText: 'Comments' }];

    const { context, page, errors, link } = await openFrontPage(browser, `http://127.0.0.1:${front.port}/`);
    await expect(link(first)).toHaveText('0 comments');

    // The front page's "more stories": a list item added by its own script after count.js ran.
    await page.evaluate((slug) => {
      const item = document.createElement('li');
      item.innerHTML = `<h2>Story ${slug}</h2><a href="/story/${slug}#comments" data-threadline-count="${slug}">Join in</a>`;
      document.querySelector('ul')!.append(item);
    }, more);
    await expect(link(more)).toHaveText('1 comment');

    // Both stay live (one stream for all the links again).
    await postOverApi(a.baseUrl, more, { body: 'Another one below the fold' });
    await postOverApi(a.baseUrl, first, { body: 'The first screen speaks' });
    await expect(link(more)).toHaveText('2 comments');
    await expect(link(first)).toHaveText('1 comment');
    expect(errors).toEqual([]);
    await context.close();
  });
});
