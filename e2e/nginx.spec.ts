import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { startNginx, type NginxProcess } from '../server/testing/nginx';
import { record, subscribe, createViaSocket, type ClientSocket } from '../server/testing/sockets';
import { addressesByNode, connectThrough } from '../server/testing/stickyRouting';
import { ArticlePage } from './pages/ArticlePage';
import { expect, postComment, redisEnv, test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

const METRICS_TOKEN = 'e2e-nginx-metrics-token';

/**
 * Production's shape in a browser: two real server nodes (pages, API and
 * Socket.IO; PostgreSQL and Redis; TRUST_PROXY=1) behind a real nginx running
 * deploy/nginx.conf.template. The reader only ever talks to nginx.
 */
test.describe('two nodes behind nginx', () => {
  let db: TestDatabase;
  let proxy: NginxProcess | undefined;
  const nodes: ServerProcess[] = [];
  const sockets: ClientSocket[] = [];

  test.beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const env = { DATABASE_URL: db.databaseUrl!, SESSION_SECRET: 'e2e-nginx-secret-e2e-nginx-secret!', TRUST_PROXY: '1', METRICS_TOKEN, ...redisEnv('e2e-nginx') };
    nodes.push(await startServer({ env }));
    nodes.push(await startServer({ env }));
    proxy = await startNginx({ nodes: nodes.map((n) => n.baseUrl) });
  });

  test.afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await proxy?.stop();
    for (const node of nodes.splice(0)) await node.stop();
    await db?.cleanup();
  });

  test('a reader through nginx goes live, sees a comment posted on the other node, and its own post reaches that node', async ({ openReader }) => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const site = proxy!.url;
    const slug = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, 'Behind nginx');
    // The browser connects from 127.0.0.1; find an address that nginx sends to the other node.
    const route = await addressesByNode({ proxyUrl: site, nodes: [a.baseUrl, b.baseUrl], token: METRICS_TOKEN });
    const otherNode = [...route].find(([, from]) => from !== '127.0.0.1');
    expect(otherNode, 'an address routed to the node the browser is not on').toBeDefined();

    const page = await openReader(`${site}/articles/${slug}`);

    // A Socket.IO client on the other node (long-polling, then the upgrade, all through nginx).
    const socket = await connectThrough(site, { from: otherNode![1] });
    sockets.push(socket);
    const heard = record(socket, 'thread:event');
    await subscribe(socket, slug);
    await expect(page.locator('.reading-now')).toHaveText('2 reading now');

    const ack = await createViaSocket(socket, { slug, body: 'From a socket on the other node', authorName: 'Sam' });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    await expect(page.getByRole('button', { name: '1 new comment' })).toBeVisible();
    await page.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(page).comment('From a socket on the other node')).toBeVisible();

    await postComment(page, { name: 'Reader', body: 'Posted in the browser, through nginx' });
    const event = await heard.find('the browser’s comment at the socket client', (e) => e.type === 'comment.created' && e.comment.body === 'Posted in the browser, through nginx');
    expect(event.type === 'comment.created' && event.comment.author.name).toBe('Reader');
    expect(proxy!.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
  });
});
