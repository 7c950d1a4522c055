import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { ArticlePage } from './pages/ArticlePage';
import { expect, postComment, redisEnv, test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Two real server nodes on one PostgreSQL, joined by a real Redis: what a
 * reader on one node sees of a conversation held on the other.
 */
test.describe('two nodes behind Redis', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const nodes: ServerProcess[] = [];

  test.beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.databaseUrl!, SESSION_SECRET: 'e2e-cluster-secret-e2e-cluster-secret', ...redisEnv('e2e') };
  });

  test.afterAll(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await db.cleanup();
  });

  test('a comment posted on node A reaches a reader on node B, and a reader whose node was killed catches up', async ({ openReader }) => {
    const a = await startServer({ env });
    nodes.push(a);
    const b = await startServer({ env });
    nodes.push(b);
    const slug = createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Across two nodes');

    const ann = await openReader(`${a.baseUrl}/articles/${slug}`);
    const bob = await openReader(`${b.baseUrl}/articles/${slug}`);
    await expect(ann.locator('.reading-now')).toHaveText('2 reading now');

    await postComment(ann, { name: 'Ann', body: 'Hello from node A' });
    await expect(bob.getByRole('button', { name: '1 new comment' })).toBeVisible();
    await bob.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(bob).comment('Hello from node A')).toBeVisible();

    // Node B dies without a goodbye while Bob reads; the conversation goes on on node A.
    const port = Number(new URL(b.baseUrl).port);
    await b.kill();
    await expect(bob.locator('.connection')).toHaveText(/Reconnecting|Offline/);
    await postComment(ann, { name: 'Ann', body: 'Posted while node B was down' });
    await postComment(ann, { name: 'Ann', body: 'And another' });

    // Node B comes back on the same address; Bob's page reconnects and gets exactly what it missed.
    nodes.push(await startServer({ env, port, dataDir: b.dataDir }));
    await expect(bob.locator('.connection')).toHaveText(/Live/, { timeout: 20_000 });
    await expect(bob.getByRole('button', { name: '2 new comments' })).toBeVisible();
    await bob.getByRole('button', { name: '2 new comments' }).click();
    await expect(new ArticlePage(bob).comments).toHaveCount(3);
    await expect(bob.locator('#comments-heading')).toHaveText('3 comments');
  });
});
