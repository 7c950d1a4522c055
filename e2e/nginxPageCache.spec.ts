import type { Browser, Response } from '@playwright/test';
import { startNginx, type NginxProcess } from '../server/testing/nginx';
import { expect, postComment, postOverApi, test } from './fixtures';
import { staffContext } from './pages/staff';
import { createThread, createUser, startServer, type ServerProcess } from './serverProcess';

const SECRET = 'e2e-page-cache-secret-e2e-page-cache!';
const MODERATOR = { username: 'cachemoderator', password: 'a-long-moderator-password-1' };
/** What nginx says of an answer it took from its cache (the template's `X-Cache-Status`). */
const FROM_CACHE = ['HIT', 'STALE', 'UPDATING'];

/**
 * A node behind nginx with its page cache on (deploy/nginx.conf.template, proxy_cache): the reader
 * pages are kept by nginx and given to everyone, so nothing of one reader may be in them, and a
 * reader handed an old version must still end up with the thread exactly as it is.
 */
test.describe('reader pages from nginx’s cache', () => {
  let node: ServerProcess;
  let proxy: NginxProcess | undefined;

  test.beforeAll(async () => {
    node = await startServer({ env: { SESSION_SECRET: SECRET, TRUST_PROXY: '1' } });
    createUser(node, { ...MODERATOR, role: 'moderator' });
    proxy = await startNginx({ nodes: [node.baseUrl] });
  });

  test.afterAll(async () => {
    await proxy?.stop();
    await node?.stop();
  });

  /** A navigation in a fresh context (no cookies): what an anonymous reader gets, raw. */
  async function anonymousView(browser: Browser, url: string): Promise<{ response: Response; html: string; close: () => Promise<void> }> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const response = (await (await context.newPage()).goto(url))!;
    return { response, html: await response.text(), close: () => context.close() };
  }

  test('no personal data ends up in the shared cache: a moderator and a guest with a held comment read, then an anonymous reader reads from the cache', async ({ browser }) => {
    const site = proxy!.url;
    const slug = await createThread(node, 'Cached for everyone');
    const url = `${site}/articles/${slug}`;

    // The moderator signs in through nginx, turns pre-moderation on, and reads the page: theirs, never cached.
    const staff = await staffContext(browser, { ...node, baseUrl: site }, { account: MODERATOR });
    const moderator = await staff.newPage();
    const moderatorsView = (await moderator.goto(url))!;
    expect(moderatorsView.headers()['x-cache-status']).toBe('BYPASS');
    // What is theirs comes by their own read, through nginx too, and no cache keeps it (the test can see personal data).
    const theirs = await moderator.context().request.get(`${site}/api/threads/${slug}/viewer`);
    expect(await theirs.text(), "the moderator’s own read names them").toContain(MODERATOR.username);
    expect(theirs.headers()["cache-control"]).toBe("private, no-store");
    await expect(moderator.locator('.connection')).toHaveText(/Live/);
    await moderator.getByLabel('Pre-moderation').click();
    await expect(moderator.getByLabel('Pre-moderation')).toBeChecked();

    // A guest posts a comment, which is held for review: shown to its author alone.
    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    await guest.goto(url);
    await expect(guest.locator('.connection')).toHaveText(/Live/);
    const held = { name: 'Quillon Heldauthor', body: 'A held comment for my eyes only' };
    await postComment(guest, held);
    await expect(guest.locator('.comment-status-pending')).toContainText('Awaiting moderation');
    const guestCookie = (await guestContext.cookies()).find((c) => /^(__Host-)?tl_guest$/.test(c.name));
    expect(guestCookie).toBeDefined();
    const guestId = guestCookie!.value.split('.')[0]!;
    // Both read the page of this version first, under addresses of their own (a tracking parameter: nginx's key
    // has it, the node's does not), so that their requests are the ones that miss both caches.
    const own = await guest.goto(`${url}?ref=guest`);
    expect(own!.headers()['x-cache-status']).toBe('MISS');
    expect((await moderator.goto(`${url}?ref=moderator`))!.headers()['x-cache-status']).toBe('BYPASS');

    const read = await anonymousView(browser, url);
    const again = await anonymousView(browser, url);
    await Promise.all([read.close(), again.close()]);
    expect(FROM_CACHE).toContain(again.response.headers()['x-cache-status']);
    for (const view of [read, again]) {
      expect(view.response.status()).toBe(200);
      expect(view.response.headers()['set-cookie']).toBeUndefined();
      expect(view.response.headers()['cache-control']).toMatch(/^public, /);
      for (const personal of [MODERATOR.username, 'Sign out', held.body, held.name, guestId, 'tl_guest', 'tl_session']) {
        expect(view.html, `the shared page holds ${personal}`).not.toContain(personal);
      }
    }
    await Promise.all([staff.close(), guestContext.close()]);
    expect(proxy!.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
  });

  test('two tabs of one guest on the same cached page each post their own comment (each view its own idempotency keys)', async ({ browser }) => {
    const slug = await createThread(node, 'Two tabs');
    const url = `${proxy!.url}/articles/${slug}`;
    const context = await browser.newContext();
    try {
      // The guest is known (a cookie) before the tabs open: both tabs' posts are this one guest's.
      const first = await context.request.post(`${proxy!.url}/api/threads/${slug}/comments`, { headers: { origin: proxy!.url }, data: { body: 'Before the tabs', authorName: 'Tabby', parentId: null } });
      expect(first.status()).toBe(201);
      const tabs = [await context.newPage(), await context.newPage()];
      for (const tab of tabs) {
        await tab.goto(url);
        await expect(tab.locator('.connection')).toHaveText(/Live/);
      }
      await postComment(tabs[0]!, { name: 'Tabby', body: 'From the first tab' });
      await postComment(tabs[1]!, { name: 'Tabby', body: 'From the second tab' });
      const stored = (await (await fetch(`${node.baseUrl}/api/threads/${slug}`)).json()) as { comments: { body: string }[] };
      expect(stored.comments.map((c) => c.body).sort()).toEqual(['Before the tabs', 'From the first tab', 'From the second tab']);
    } finally {
      await context.close();
    }
  });

  test('a reader given an older version of the page by nginx gets what it lacks live, and converges on the thread exactly', async ({ browser, openReader }) => {
    const site = proxy!.url;
    const slug = await createThread(node, 'Stale but live');
    const url = `${site}/articles/${slug}`;
    await postOverApi(node.baseUrl, slug, { body: 'Before the page was cached' });
    // nginx keeps the page ...
    await expect.poll(async () => (await anonymousView(browser, url).then(async (v) => (await v.close(), v.response.headers()['x-cache-status'])))).toBe('HIT');
    // ... and a comment is posted on the node behind its back.
    await postOverApi(node.baseUrl, slug, { body: 'After the page was cached' });
    const current = async () => (await (await fetch(`${node.baseUrl}/api/threads/${slug}`)).json()) as { thread: { seq: number }; comments: { id: string }[] };

    const reader = await openReader(url);
    const islandSeq = await reader.evaluate(() => (JSON.parse(document.getElementById('threadline-island')!.textContent!) as { thread: { seq: number } }).thread.seq);
    const stale = islandSeq < (await current()).thread.seq;
    // When the machine is slow nginx may have fetched the new version already; the convergence below holds either way.
    test.info().annotations.push({ type: 'page version', description: stale ? `stale (seq ${islandSeq})` : 'already current' });

    await postOverApi(node.baseUrl, slug, { body: 'While the reader is live' });
    const arrivals = reader.getByRole('button', { name: /new comments?$/ });
    await expect(arrivals).toBeVisible();
    await arrivals.click();
    const expected = (await current()).comments.map((c) => c.id);
    await expect.poll(() => reader.locator('article.comment').evaluateAll((all) => all.map((a) => a.getAttribute('data-comment-id')))).toEqual(expected);
    expect(expected).toHaveLength(3);
    expect(stale, 'the page came from an older version in nginx’s cache').toBe(true);
  });
});
