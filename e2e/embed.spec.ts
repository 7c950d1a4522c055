import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { E2E_EMBED_SECRET, embedded, startHost, type Host } from './embedHost';
import { postOverApi } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * The embed on host pages served from other origins (e2e/embedHost.ts stands
 * in for a newsroom's site). Threadline listens on 127.0.0.1:<port>; the
 * host page is served on 127.0.0.1:<another port> (another origin, the same
 * site), on localhost:<that port> (another site: different host names), and by
 * a second server that is not in EMBED_ORIGINS. The allowed host signs each
 * page's token with EMBED_SECRET, which opens the thread on its first view.
 */

let threadline: ServerProcess;
let allowed: Host;
let foreign: Host;
let n = 0;
const freshSlug = () => `embedded-story-${++n}`;
const sameSiteUrl = (slug: string) => `http://127.0.0.1:${allowed.port}/story/${slug}`;
const crossSiteUrl = (slug: string) => `http://localhost:${allowed.port}/story/${slug}`;

test.beforeAll(async () => {
  allowed = await startHost(() => threadline.baseUrl, { embedSecret: E2E_EMBED_SECRET });
  // Another site: it does not have the secret, so its pages carry no token.
  foreign = await startHost(() => threadline.baseUrl);
  threadline = await startServer({ env: { EMBED_ORIGINS: `http://127.0.0.1:${allowed.port},http://localhost:${allowed.port}`, EMBED_SECRET: E2E_EMBED_SECRET } });
});

test.afterAll(async () => {
  await threadline?.stop();
  await allowed?.close();
  await foreign?.close();
});

async function frameHeight(page: Page): Promise<number> {
  return page.locator('iframe.threadline-frame').evaluate((el) => el.getBoundingClientRect().height);
}

/** Console errors and uncaught exceptions of each page, its frames included (a CSP violation or a hydration error shows here). */
const problems = new WeakMap<Page, string[]>();

async function openHost(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  page.on('pageerror', (err) => seen.push(err.message));
  await page.goto(url);
  await expect(embedded(page).locator('.connection')).toHaveText(/Live/);
  return page;
}

const post = (slug: string, body: string, parentId: string | null = null) => postOverApi(threadline.baseUrl, slug, { body, parentId });


async function threadStatus(slug: string): Promise<number> {
  return (await fetch(`${threadline.baseUrl}/api/threads/${slug}`)).status;
}

test.describe('the embed on another origin', () => {
  test("appears where the script is, opens its thread on the first view with the host's token, updates live and grows with its content", async ({ browser }) => {
    const slug = freshSlug();
    expect(await threadStatus(slug)).toBe(404);
    const page = await openHost(browser, sameSiteUrl(slug));
    const frame = embedded(page);
    await expect(frame.locator('#comments-heading')).toHaveText('0 comments');
    expect(await threadStatus(slug)).toBe(200);
    const thread = (await (await fetch(`${threadline.baseUrl}/api/threads/${slug}`)).json()) as { thread: { title: string } };
    expect(thread.thread.title).toBe(`Host story ${slug}`);
    // The frame comes right after the script tag and is as tall as the discussion.
    expect(await page.locator('script[data-thread] + iframe.threadline-frame').count()).toBe(1);
    await expect.poll(() => frameHeight(page)).not.toBe(300);
    const before = await frameHeight(page);

    // Comments posted elsewhere reach the frame live; it grows to show them.
    const first = await post(slug, 'Posted through the API while the host page was open.');
    await frame.getByRole('button', { name: '1 new comment' }).click();
    await expect(frame.locator(`#c-${first}`)).toContainText('Posted through the API');
    await post(slug, 'A reply, shown in place at once.', first);
    await expect(frame.locator('article.comment')).toHaveCount(2);
    await expect.poll(() => frameHeight(page)).toBeGreaterThan(before + 40);
    // No scrollbar inside: the frame holds all of its content.
    const inner = await frame.locator('html').evaluate((el) => el.getBoundingClientRect().height);
    await expect.poll(() => frameHeight(page)).toBe(Math.ceil(inner));
    expect(problems.get(page)).toEqual([]);
  });

  test('a reader posts from inside the frame and stays the same guest after a reload (another origin, same site)', async ({ browser }) => {
    const slug = freshSlug();
    const page = await openHost(browser, sameSiteUrl(slug));
    const frame = embedded(page);
    const form = frame.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Hana');
    await form.getByLabel('Your comment').fill('Written inside the embed.');
    await form.getByRole('button', { name: /Post/ }).click();
    const mine = frame.locator('article.comment', { hasText: 'Written inside the embed.' });
    await expect(mine.locator('.badge-mine')).toHaveText('you');
    const thread = (await (await fetch(`${threadline.baseUrl}/api/threads/${slug}`)).json()) as { comments: { body: string }[] };
    expect(thread.comments.map((c) => c.body)).toEqual(['Written inside the embed.']);
    // The guest cookie came back with the frame's next load: the comment is still the reader's own.
    await page.reload();
    await expect(embedded(page).locator('article.comment', { hasText: 'Written inside the embed.' }).locator('.badge-mine')).toHaveText('you');
  });

  test('posting works from a host on another site too (over plain HTTP the guest lasts one connection)', async ({ browser }) => {
    const slug = freshSlug();
    const page = await openHost(browser, crossSiteUrl(slug));
    const form = embedded(page).locator('form#comment-form');
    await form.getByLabel('Your name').fill('Kai');
    await form.getByLabel('Your comment').fill('From a host on another site.');
    await form.getByRole('button', { name: /Post/ }).click();
    await expect(embedded(page).locator('article.comment', { hasText: 'From a host on another site.' }).locator('.badge-mine')).toHaveText('you');
    const thread = (await (await fetch(`${threadline.baseUrl}/api/threads/${slug}`)).json()) as { comments: { body: string }[] };
    expect(thread.comments.map((c) => c.body)).toEqual(['From a host on another site.']);
    expect(problems.get(page)).toEqual([]);
  });

  test("follows the host's colour scheme, and its changes", async ({ browser }) => {
    const slug = freshSlug();
    // A host drawn in either scheme (it declares both) follows the reader's preference, and so does the embed.
    const page = await openHost(browser, `${sameSiteUrl(slug)}?scheme=light+dark`, { colorScheme: 'dark' });
    const html = embedded(page).locator('html');
    await expect(html).toHaveClass(/\btheme-dark\b/);
    await expect(embedded(page).locator('body')).toHaveCSS('background-color', 'rgb(20, 20, 20)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(html).toHaveClass(/\btheme-light\b/);
    await expect(embedded(page).locator('body')).toHaveCSS('background-color', 'rgb(251, 250, 247)');
  });

  test("a comment's permalink leads to the host article, which scrolls to the comment and highlights it", async ({ browser }) => {
    const slug = freshSlug();
    const page = await openHost(browser, sameSiteUrl(slug));
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push(await post(slug, `Comment number ${i}, long enough to take some room.`));
    const last = ids.at(-1)!;
    // The permalink inside the frame points at the host page, for the whole window.
    await page.reload();
    const permalink = embedded(page).locator(`#c-${last} .permalink`);
    await expect(permalink).toHaveAttribute('href', `${sameSiteUrl(slug)}#threadline-comment-${last}`);
    await expect(permalink).toHaveAttribute('target', '_top');

    const context = page.context();
    const visitor = await context.newPage();
    await visitor.goto(`${sameSiteUrl(slug)}#threadline-comment-${last}`);
    const comment = embedded(visitor).locator(`#c-${last}`);
    await expect(comment).toBeVisible();
    await expect.poll(() => comment.evaluate((el) => el.matches(':target'))).toBe(true);
    // The host page scrolled the comment into view.
    await expect.poll(() => visitor.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    const top = await comment.evaluate((el) => el.getBoundingClientRect().top);
    const frameTop = await visitor.locator('iframe.threadline-frame').evaluate((el) => el.getBoundingClientRect().top);
    const viewport = visitor.viewportSize()!;
    expect(frameTop + top).toBeGreaterThanOrEqual(0);
    expect(frameTop + top).toBeLessThan(viewport.height / 2);

    // Clicking the permalink in the frame does the same on the host page.
    await visitor.evaluate(() => window.scrollTo(0, 0));
    await embedded(visitor).locator(`#c-${ids[0]} .permalink`).click();
    await expect(visitor).toHaveURL(`${sameSiteUrl(slug)}#threadline-comment-${ids[0]}`);
    await expect.poll(() => embedded(visitor).locator(`#c-${ids[0]}`).evaluate((el) => el.matches(':target'))).toBe(true);
  });

  test('the attack: a page on a foreign origin framing the embed with a made-up slug and an allowed article address opens no thread', async ({ browser }) => {
    const slug = `made-up-${freshSlug()}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const framed = page.waitForResponse((res) => new URL(res.url()).pathname === `/embed/${slug}`);
    await page.goto(`http://127.0.0.1:${foreign.port}/attack/${slug}?article=${encodeURIComponent(sameSiteUrl(slug))}`);
    // The browser made the request (and refuses to show the answer); the server has answered it.
    expect((await framed).status()).toBe(404);
    expect(await threadStatus(slug)).toBe(404);
    // What such a frame would show: the embed's own not-found page, not an error.
    const shown = await page.goto(`${threadline.baseUrl}/embed/${slug}?url=${encodeURIComponent(sameSiteUrl(slug))}`);
    expect(shown?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('No discussion here yet');
    await context.close();

    // The host's own page, with its token, opens that thread under the host's title, and a reader posts there.
    const page2 = await openHost(browser, sameSiteUrl(slug));
    const thread = (await (await fetch(`${threadline.baseUrl}/api/threads/${slug}`)).json()) as { thread: { title: string } };
    expect(thread.thread.title).toBe(`Host story ${slug}`);
    const form = embedded(page2).locator('form#comment-form');
    await form.getByLabel('Your name').fill('Noor');
    await form.getByLabel('Your comment').fill('Posted after the attack came to nothing.');
    await form.getByRole('button', { name: /Post/ }).click();
    await expect(embedded(page2).locator('article.comment', { hasText: 'Posted after the attack came to nothing.' }).locator('.badge-mine')).toHaveText('you');
    expect(problems.get(page2)).toEqual([]);
  });

  test("permalinks lead to the thread's own article, or to a data-url on an allowed site, never to another site", async ({ browser }) => {
    const evil = 'https://evil.example/phish';
    // A thread its host opened: the token's article wins over any data-url.
    const slug = freshSlug();
    const opened = await openHost(browser, sameSiteUrl(slug));
    const id = await post(slug, 'A comment to link to.');
    await opened.goto(`${sameSiteUrl(slug)}?url=${encodeURIComponent(evil)}`);
    await expect(embedded(opened).locator(`#c-${id} .permalink`)).toHaveAttribute('href', `${sameSiteUrl(slug)}#threadline-comment-${id}`);

    // A thread the operator opened (no article of its own): an allowed data-url is used, another site's is not.
    const made = await createThread(threadline, `Operator story ${n}`);
    const madeId = await post(made, 'A comment on the operator’s thread.');
    const page = await openHost(browser, `${crossSiteUrl(made)}?token=none&url=${encodeURIComponent(crossSiteUrl(made))}`);
    await expect(embedded(page).locator(`#c-${madeId} .permalink`)).toHaveAttribute('href', `${crossSiteUrl(made)}#threadline-comment-${madeId}`);
    await page.goto(`${crossSiteUrl(made)}?token=none&url=${encodeURIComponent(evil)}`);
    await expect(embedded(page).locator('.connection')).toHaveText(/Live/);
    const permalink = embedded(page).locator(`#c-${madeId} .permalink`);
    await expect(permalink).toHaveAttribute('href', `#c-${madeId}`);
    // No link in the frame leads there (the sort links keep the frame's own address, query and all).
    const origins = await embedded(page).locator('a[href]').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).origin));
    expect(origins.length).toBeGreaterThan(0);
    expect(origins.filter((origin) => origin === 'https://evil.example')).toEqual([]);
  });

  test('a site not in EMBED_ORIGINS can neither frame the embed nor open threads', async ({ browser }) => {
    const slug = freshSlug();
    const context = await browser.newContext();
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    await page.goto(`http://127.0.0.1:${foreign.port}/story/${slug}`);
    await expect(page.locator('iframe.threadline-frame')).toHaveCount(1);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    await expect(embedded(page).locator('#comments-heading')).toHaveCount(0);
    expect(await threadStatus(slug)).toBe(404);

    // An existing thread is not framed there either.
    const open = freshSlug();
    await openHost(browser, sameSiteUrl(open));
    refusals.length = 0;
    await page.goto(`http://127.0.0.1:${foreign.port}/story/${open}`);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    await expect(embedded(page).locator('#comments-heading')).toHaveCount(0);
  });
});
