import { randomBytes } from 'node:crypto';
import { createServices, type Services } from '../lib/services';
import { openStore, type Store } from '../lib/store';
import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { expect, postOverApi, redisEnv, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { staffContext } from './pages/staff';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Questions, answered live (issue 19.2) across two nodes on one PostgreSQL joined by Redis: a
 * moderator switches the thread to Q&A on node A; an expert answers over node A; a reader on node B
 * sees the question marked answered and rise in the answered-first view, its answer highlighted;
 * without JavaScript the answered and unanswered views are the server's own pages.
 */
test.describe('Q&A across two nodes', () => {
  let db: TestDatabase;
  let store: Store;
  let services: Services;
  const nodes: ServerProcess[] = [];
  const run = randomBytes(3).toString('hex');
  const moderator = { username: `qa-mod-${run}`, password: `pw-${randomBytes(9).toString('hex')}` };
  let expertToken = '';

  test.beforeAll(async () => {
    // Two nodes start here; the first start after a change to the pages builds them (minutes).
    test.setTimeout(300_000);
    db = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    services = createServices({ store, sessionSecret: `e2e-qa-spec-secret-not-the-servers-${run}` });
    await services.auth.upsertUser({ ...moderator, role: 'moderator' });
    // Made before the nodes start: each node reads the badged accounts as it starts (lib/services/badgeDirectory.ts).
    const identity = { method: 'sso' as const, provider: 'sso', subject: `qa-expert-${run}`, email: null, emailVerified: false, name: `Dr Vera ${run}`, badges: ['expert' as const] };
    expertToken = (await services.auth.signInWith({ identity })).token;
    const env = { DATABASE_URL: db.databaseUrl!, SESSION_SECRET: 'e2e-qa-secret-e2e-qa-secret-e2e-qa-secret', ...redisEnv('e2e-qa') };
    nodes.push(await startServer({ env }), await startServer({ env }));
  });

  test.afterAll(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await services?.close();
    await store?.close();
    await db?.cleanup();
  });

  test('19.2 a moderator on node A opens Q&A; an expert answers; a reader on node B sees the question answered and rise live, the answer highlighted; the views work without JavaScript', async ({ browser, openReader }) => {
    // Three browsers (a moderator, a reader, a reader without JavaScript) and two nodes on two shared cores.
    test.setTimeout(150_000);
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const slug = await createThread({ dataDir: a.dataDir, databaseUrl: db.databaseUrl }, `Ask the expert ${run}`);
    await postOverApi(a.baseUrl, slug, { body: 'First question: when does it open?', authorName: 'Ann' });
    const laterId = await postOverApi(a.baseUrl, slug, { body: 'Second question: who pays for it?', authorName: 'Bob' });

    const reader = await openReader(`${b.baseUrl}/articles/${slug}?sort=answered-first`);
    const thread = new ArticlePage(reader);
    await expect(reader.locator('.qa-views')).toHaveCount(0);

    // The moderator's switch, on node A, through the page's own control.
    const context = await staffContext(browser, a, { account: moderator });
    try {
      const mod = await context.newPage();
      await mod.goto(`${a.baseUrl}/articles/${slug}`);
      // The box follows the thread's state: it shows checked once the change's event is back.
      await mod.getByRole('checkbox', { name: 'Q&A' }).click();
      await expect(mod.getByRole('checkbox', { name: 'Q&A' })).toBeChecked();
    } finally {
      await context.close();
    }

    // Node B's reader: the thread is a Q&A now, live; both questions open, oldest first.
    await expect(reader.locator('.banner-qa')).toBeVisible();
    await expect(reader.getByRole('navigation', { name: 'Show questions' })).toBeVisible();
    await expect(thread.comment('First question').locator('.badge-question')).toHaveText('Question');
    await expect(thread.topLevelComments().first()).toContainText('First question');

    // The expert answers the later question over node A.
    const res = await fetch(`${a.baseUrl}/api/threads/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.baseUrl, cookie: `tl_session=${expertToken}` },
      body: JSON.stringify({ body: 'It is paid for by the city.', parentId: laterId }),
    });
    expect(res.status).toBe(201);

    const later = thread.comment('Second question');
    await expect(later.locator('.badge-answered')).toHaveText('Answered');
    await expect(thread.topLevelComments().first(), 'the answered question rose to the top').toContainText('Second question');
    const answer = thread.comment('It is paid for by the city.');
    await expect(answer).toHaveClass(/comment-answer/);
    await expect(answer.locator('.badge-answer')).toHaveText('Answer');
    await expect(thread.comment('First question').locator('.badge-question')).toHaveText('Question');

    // Without JavaScript: the views are links to the server's pages.
    const plain = await openReader(`${b.baseUrl}/articles/${slug}`, { javaScriptEnabled: false });
    await plain.getByRole('navigation', { name: 'Show questions' }).getByRole('link', { name: 'Unanswered' }).click();
    await expect(plain).toHaveURL(/sort=unanswered/);
    const open = new ArticlePage(plain);
    await expect(open.topLevelComments()).toHaveCount(1);
    await expect(open.topLevelComments().first()).toContainText('First question');
    await plain.getByRole('navigation', { name: 'Show questions' }).getByRole('link', { name: 'Answered', exact: true }).click();
    await expect(open.topLevelComments()).toHaveCount(1);
    await expect(open.topLevelComments().first()).toContainText('Second question');
    await expect(open.comment('It is paid for by the city.')).toHaveClass(/comment-answer/);
  });
});
