import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import path from 'node:path';
import { ArticlePage } from './pages/ArticlePage';
import { staffContext, type StaffAccount } from './pages/staff';
import { createThread, startServer, type ServerProcess } from './serverProcess';

export const SEED_SLUG = 'jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent';
/** The pages' own scripts: Next.js's chunks, and the reader pages' island scripts (server/build/islands.js). */
export const PAGE_SCRIPTS = /\/(?:_next\/static|_islands)\/[^?]+\.js(?:\?|$)/;

export const SEED_TITLE = 'Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent';

interface Servers {
  /** A fresh start on the embedded defaults with the real seed folder. */
  seeded: ServerProcess;
  /** A fresh start seeded with e2e/fixtures/seeds (a thread nested deeper than a page shows). */
  deep: ServerProcess;
  /**
   * A fresh start like `seeded`, for moderators signing in as several accounts (moderation.spec.ts):
   * their sign-ins count against this server's limit (5 a minute from one address), not `seeded`'s.
   */
  moderated: ServerProcess;
}

interface Readers {
  /**
   * Opens `url` in a browser context of its own (own cookies and storage: a
   * guest of its own) and, with JavaScript on, waits until the page is live.
   * Every context it opened is closed after the test.
   */
  openReader: (url: string, options?: { javaScriptEnabled?: boolean }) => Promise<Page>;
  /**
   * Opens `url` on `server` signed in as `account` (the first admin by default), in a browser
   * context of its own with `options` (a locale, a colour scheme), closed after the test. Signs in
   * through the form once per server and account (e2e/pages/staff.ts): sign-in is rate limited.
   */
  openStaff: (server: ServerProcess, url: string, options?: { account?: StaffAccount } & Parameters<Browser['newContext']>[0]) => Promise<Page>;
}

/** A server per worker, started when a test first asks for it and stopped with the worker. */
function workerServer(options?: Parameters<typeof startServer>[0]): [({}, use: (server: ServerProcess) => Promise<void>) => Promise<void>, { scope: 'worker' }] {
  return [
    async ({}, use) => {
      const server = await startServer(options);
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ];
}

/** Servers are per worker and start only when a test asks for one. */
export const test = base.extend<Readers, Servers>({
  openReader: async ({ browser }, use) => {
    const opened: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (url, options = {}) => {
      const context = await browser.newContext(options);
      opened.push(context);
      const page = await context.newPage();
      await page.goto(url);
      if (options.javaScriptEnabled !== false) await expect(page.locator('.connection')).toHaveText(/Live/);
      return page;
    });
    await Promise.all(opened.map((c) => c.close()));
  },
  openStaff: async ({ browser }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (server, url, options = {}) => {
      const context = await staffContext(browser, server, options);
      opened.push(context);
      const page = await context.newPage();
      await page.goto(url);
      return page;
    });
    await Promise.all(opened.map((c) => c.close()));
  },
  seeded: workerServer(),
  deep: workerServer({ seedsDir: path.join(__dirname, 'fixtures', 'seeds') }),
  moderated: workerServer(),
});

export { expect };

/** A new open thread on `server` and the address of its article page there. */
export async function newArticle(server: ServerProcess, title: string): Promise<{ slug: string; url: string }> {
  const slug = await createThread(server, title);
  return { slug, url: `${server.baseUrl}/articles/${slug}` };
}

/**
 * Posts through the page's form, as a reader would: a top-level comment, or a
 * reply through the Reply link of the comment whose body is `replyTo`. With
 * JavaScript on it returns once the comment is no longer "sending".
 */
export async function postComment(page: Page, options: { name: string; body: string; replyTo?: string }): Promise<void> {
  let form = page.locator('form#comment-form');
  if (options.replyTo) {
    const target = new ArticlePage(page).comment(options.replyTo);
    await target.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    form = target.locator(':scope > details > form.comment-form');
  }
  await form.getByLabel('Your name').fill(options.name);
  await form.getByLabel(options.replyTo ? 'Your reply' : 'Your comment').fill(options.body);
  await form.getByRole('button', { name: /Post/ }).click();
  await expect(new ArticlePage(page).comment(options.body)).not.toHaveClass(/comment-sending/);
}

/** The shared Redis under this run's prefix (set by `npm test`), for servers joined by the Redis adapter. */
export function redisEnv(prefixSuffix: string): { REDIS_URL: string; REDIS_PREFIX: string } {
  const url = process.env.TEST_REDIS_URL;
  const prefix = process.env.TEST_REDIS_PREFIX;
  if (!url || !prefix) throw new Error('TEST_REDIS_URL and TEST_REDIS_PREFIX are not set: run the e2e suite with `npm test`, which needs Redis on 127.0.0.1:6379.');
  return { REDIS_URL: url, REDIS_PREFIX: `${prefix}-${prefixSuffix}` };
}

/** A comment posted over the API by another reader (a new guest each time), as the site's pages send it; returns its id. */
export async function postOverApi(baseUrl: string, slug: string, comment: { body: string; authorName?: string; parentId?: string | null }): Promise<string> {
  const res = await fetch(`${baseUrl}/api/threads/${slug}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ body: comment.body, authorName: comment.authorName ?? 'Wire', parentId: comment.parentId ?? null }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

/** Holds the page's script until `release` is called: the server's HTML is on screen, nothing of the page runs yet. */
export async function holdScript(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(PAGE_SCRIPTS, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}
