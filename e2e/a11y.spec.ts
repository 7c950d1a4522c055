import type { Browser, BrowserContext, Page } from '@playwright/test';
import { audit } from './axe';
import { expect, PAGE_SCRIPTS, SEED_SLUG, test } from './fixtures';
import { staffContext } from './pages/staff';
import { createThread, type ServerProcess } from './serverProcess';

/**
 * axe-core audits of every page a reader or a moderator sees, in both colour
 * schemes: no serious or critical violation. What a violation was is printed
 * (rule, impact, the elements at fault) so a failure says what to fix.
 */
type Scheme = 'light' | 'dark';

// Every page leaves when its test ends: readers left on a shared server change what other tests see ("N reading now").
const opened: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function newPage(browser: Browser, colorScheme: Scheme, pageScripts = true): Promise<Page> {
  const context = await browser.newContext({ colorScheme });
  opened.push(context);
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  // "Without JavaScript": the page's own scripts never load, so what is audited is the server's HTML as a reader
  // without JavaScript gets it. (axe itself needs JavaScript: javaScriptEnabled: false would stop it too.)
  if (!pageScripts) await page.route(PAGE_SCRIPTS, (route) => route.abort());
  return page;
}

/** The moderation desk, signed in as the first admin (e2e/pages/staff.ts: the form is used once per server). */
async function deskPage(browser: Browser, server: ServerProcess, colorScheme: Scheme): Promise<Page> {
  const context = await staffContext(browser, server, { colorScheme });
  opened.push(context);
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  await page.goto(`${server.baseUrl}/moderate`);
  await expect(page.locator('.desk-status .connection')).toHaveText('Live');
  return page;
}

/** A thread with a few comments, one reply open, one removed, one reported: most of what a page can show. */
async function busyThread(browser: Browser, server: ServerProcess): Promise<string> {
  const slug = await createThread(server, 'An audited discussion');
  const page = await newPage(browser, 'light');
  await page.goto(`${server.baseUrl}/articles/${slug}`);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  const form = page.locator('form#comment-form');
  await form.getByLabel('Your name').fill('Ann');
  // The link in the second: a new guest's first comment with a link waits for a moderator (docs/security.md, "Spam").
  for (const body of ['A first thought.', 'A second thought, with **bold** and a [link](https://example.org).']) {
    await form.getByLabel('Your comment').fill(body);
    await form.getByRole('button', { name: 'Post comment' }).click();
    await expect(page.locator('article.comment', { hasText: body.slice(0, 10) })).not.toHaveClass(/comment-sending/);
  }
  const first = page.locator('article.comment').filter({ hasText: 'A first thought' }).first();
  const reply = first.locator(':scope > details > form');
  // The comment may still be re-rendering from its local to its confirmed self: click until the box is open.
  await expect(async () => {
    if ((await reply.count()) === 0) await first.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    await expect(reply).toBeVisible({ timeout: 2000 });
  }).toPass();
  await reply.getByLabel('Your name').fill('Ann');
  await reply.getByLabel('Your reply').fill('A reply to myself.');
  await reply.getByRole('button', { name: 'Post reply' }).click();
  await expect(page.locator('article.comment')).toHaveCount(3);
  return slug;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${colorScheme} theme`, () => {
    test('the seeded article (locked, with JavaScript)', async ({ browser, seeded }) => {
      const page = await newPage(browser, colorScheme);
      await page.goto(`${seeded.baseUrl}/articles/${SEED_SLUG}`);
      await expect(page.locator('.connection')).toHaveText(/Live/);
      await audit(page);
    });

    test('the seeded article without JavaScript', async ({ browser, seeded }) => {
      const page = await newPage(browser, colorScheme, false);
      await page.goto(`${seeded.baseUrl}/articles/${SEED_SLUG}`);
      await expect(page.locator('article.comment').first()).toBeVisible();
      await expect(page.locator('.connection')).toBeHidden(); // never goes live: what waits for it takes no room
      await audit(page);
    });

    test('an open thread with comments and a reply form', async ({ browser, seeded }) => {
      const slug = await busyThread(browser, seeded);
      const page = await newPage(browser, colorScheme);
      await page.goto(`${seeded.baseUrl}/articles/${slug}`);
      await expect(page.locator('.connection')).toHaveText(/Live/);
      await page.locator('article.comment').first().locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
      await expect(page.getByLabel('Your reply')).toBeFocused();
      await audit(page);
    });

    test('a deep thread and its "continue this thread" page', async ({ browser, deep }) => {
      const page = await newPage(browser, colorScheme);
      await page.goto(`${deep.baseUrl}/articles/a-deep-discussion`);
      await expect(page.locator('.connection')).toHaveText(/Live/);
      await audit(page);
      await page.getByRole('link', { name: /Continue this thread/ }).first().click();
      await expect(page.locator('article.comment').first()).toBeVisible();
      await audit(page);
    });

    test('the login page', async ({ browser, seeded }) => {
      const page = await newPage(browser, colorScheme);
      await page.goto(`${seeded.baseUrl}/login`);
      await audit(page);
      // With a refused sign-in shown.
      await page.getByLabel('Username').fill('nobody');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('.form-error')).toBeVisible();
      await audit(page);
    });

    test('the moderation desk, the audit log and a signed-in article', async ({ browser, seeded }) => {
      const slug = await busyThread(browser, seeded);
      const page = await deskPage(browser, seeded, colorScheme);
      await audit(page);
      await page.goto(`${seeded.baseUrl}/moderate/audit`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
      await audit(page);
      await page.goto(`${seeded.baseUrl}/articles/${slug}`);
      await expect(page.locator('.connection')).toHaveText(/Live/);
      await audit(page);
    });

    test('the pulse of the site and of a thread', async ({ browser, seeded }) => {
      // A thread written, a moderator signed in, two pages audited: more than a minute on a busy machine.
      test.setTimeout(150_000);
      const slug = await busyThread(browser, seeded);
      const page = await deskPage(browser, seeded, colorScheme);
      await page.goto(`${seeded.baseUrl}/moderate/pulse`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pulse');
      await audit(page);
      await page.goto(`${seeded.baseUrl}/moderate/pulse/${slug}`);
      await expect(page.locator('.pulse-ranks')).toBeVisible();
      await audit(page);
    });
  });
}
