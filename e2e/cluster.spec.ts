import { expect, test, type Browser, type Page } from '@playwright/test';
import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { ArticlePage } from './pages/ArticlePage';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Two real server nodes on one PostgreSQL, joined by a real Redis: what a
 * reader on one node sees of a conversation held on the other.
 */
function redisEnv(): { REDIS_URL: string; REDIS_PREFIX: string } {
  const url = process.env.TEST_REDIS_URL;
  const prefix = process.env.TEST_REDIS_PREFIX;
  if (!url || !prefix) throw new Error('TEST_REDIS_URL and TEST_REDIS_PREFIX are not set: run the e2e suite with `npm test`, which needs Redis on 127.0.0.1:6379.');
  return { REDIS_URL: url, REDIS_PREFIX: `${prefix}-e2e` };
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  return page;
}

async function postComment(page: Page, name: string, body: string): Promise<void> {
  const form = page.locator('form#comment-form');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await expect(new ArticlePage(page).comment(body)).not.toHaveClass(/comment-sending/);
}

test.describe('two nodes behind Redis', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const nodes: ServerProcess[] = [];

  test.beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.databaseUrl!, SESSION_SECRET: 'e2e-cluster-secret-e2e-cluster-secret', ...redisEnv() };
  });

  test.afterAll(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await db.cleanup();
  });

  test('a comment posted on node A reaches a reader on node B, and a reader whose node was killed catches up', async ({ browser }) => {
    const a = await startServer({ env });
    nodes.push(a);
    const b = await startServer({ env });
    nodes.push(b);
    const slug = createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Across two nodes');

    const ann = await openPage(browser, `${a.baseUrl}/articles/${slug}`);
    const bob = await openPage(browser, `${b.baseUrl}/articles/${slug}`);
    await expect(ann.locator('.reading-now')).toHaveText('2 reading now');

    await postComment(ann, 'Ann', 'Hello from node A');
    await expect(bob.getByRole('button', { name: '1 new comment' })).toBeVisible();
    await bob.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(bob).comment('Hello from node A')).toBeVisible();

    // Node B dies without a goodbye while Bob reads; the conversation goes on on node A.
    const port = Number(new URL(b.baseUrl).port);
    await b.kill();
    await expect(bob.locator('.connection')).toHaveText(/Reconnecting|Offline/);
    await postComment(ann, 'Ann', 'Posted while node B was down');
    await postComment(ann, 'Ann', 'And another');

    // Node B comes back on the same address; Bob's page reconnects and gets exactly what it missed.
    nodes.push(await startServer({ env, port, dataDir: b.dataDir }));
    await expect(bob.locator('.connection')).toHaveText(/Live/, { timeout: 20_000 });
    await expect(bob.getByRole('button', { name: '2 new comments' })).toBeVisible();
    await bob.getByRole('button', { name: '2 new comments' }).click();
    await expect(new ArticlePage(bob).comments).toHaveCount(3);
    await expect(bob.locator('#comments-heading')).toHaveText('3 comments');
  });
});
