import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread, firstAdminPassword, startServer } from './serverProcess';

/** Everything the page reports about its Content Security Policy: console messages and violation events. */
async function watchCsp(page: Page): Promise<string[]> {
  const reports: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) reports.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => void reports.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`);
    });
  });
  return reports;
}

function nonceOf(csp: string | undefined): string {
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp ?? '')?.[1];
  if (!nonce) throw new Error(`no script nonce in ${String(csp)}`);
  return nonce;
}

test.describe('the page under its Content Security Policy', () => {
  test('every page view has a CSP with a nonce of its own, which every script of the page carries', async ({ page, seeded }) => {
    // The sign-in page is one reader's (Next.js's scripts, inline ones among them): a nonce per view.
    const url = `${seeded.baseUrl}/login`;
    const first = await page.goto(url);
    const second = await page.goto(url);
    const nonces = [nonceOf(first?.headers()['content-security-policy']), nonceOf(second?.headers()['content-security-policy'])];
    expect(nonces[0]).toBeTruthy();
    expect(nonces[0]).not.toEqual(nonces[1]);
    expect(second?.headers()['x-frame-options']).toBe('DENY');
    expect(second?.headers()['x-content-type-options']).toBe('nosniff');

    // Browsers hide the nonce attribute's value from the DOM, but keep it in the `nonce` property.
    const scriptNonces = await page.locator('script:not([type="application/json"])').evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    for (const nonce of scriptNonces) expect(nonce).toBe(nonces[1]);
  });

  test("a reader page, the same bytes for everyone, runs this origin's script files only: no nonce, nothing inline", async ({ page, seeded }) => {
    const slug = await createThread(seeded, 'One policy for everyone');
    const response = await page.goto(`${seeded.baseUrl}/articles/${slug}`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(/script-src ([^;]+)/.exec(csp)?.[1]).toBe("'self'");
    expect(response?.headers()['cache-control']).toMatch(/^public, /);
    // The island's data (`type="application/json"`) is no script a browser runs: the policy does not apply to it.
    const scripts = await page.locator('script:not([type="application/json"])').evaluateAll((all) => all.map((s) => ({ src: (s as HTMLScriptElement).src, inline: (s.textContent ?? '').trim() !== '' })));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toEqual({ src: expect.stringMatching(new RegExp(`^${seeded.baseUrl}/_islands/`)), inline: false });
    await expect(page.locator('.connection')).toHaveText(/Live/);
  });

  test('the page hydrates, goes live and posts a comment with no CSP violation', async ({ page, seeded }) => {
    const reports = await watchCsp(page);
    const slug = await createThread(seeded, 'Strict CSP, live page');
    await page.goto(`${seeded.baseUrl}/articles/${slug}`);
    await expect(page.locator('.connection')).toHaveText(/Live/);

    const form = page.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Csp');
    await form.getByLabel('Your comment').fill('Posted under a strict policy.');
    await form.getByRole('button', { name: /Post/ }).click();
    const comment = new ArticlePage(page).comment('Posted under a strict policy.');
    await expect(comment).toBeVisible();
    await expect(comment).not.toHaveClass(/comment-sending/);
    // Still on the live page (the post went over the socket, not the plain form).
    await expect(page).toHaveURL(`${seeded.baseUrl}/articles/${slug}`);
    expect(reports).toEqual([]);
  });

  test('the no-JavaScript form posts from the page on a first visit (no token in the page, no cookie with it), and a post that does not say where it came from is refused', async ({ browser, seeded }) => {
    const slug = await createThread(seeded, 'Plain form without a token');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${seeded.baseUrl}/articles/${slug}`);
    // The page is everyone's: nothing of this reader's in it, and no cookie with it.
    await expect(page.locator('form#comment-form input[name="formToken"]')).toHaveCount(0);
    expect(await context.cookies(seeded.baseUrl)).toEqual([]);

    const form = page.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Nora');
    await form.getByLabel('Your comment').fill('A plain form, from the page.');
    await form.getByRole('button', { name: /Post/ }).click();
    await expect(page).toHaveURL(new RegExp(`/articles/${slug}\\?posted=[a-z0-9]+#c-[a-z0-9]+$`));
    await expect(new ArticlePage(page).comment('A plain form, from the page.')).toBeVisible();
    // The post gave the reader their guest.
    expect((await context.cookies(seeded.baseUrl)).map((c) => c.name)).toEqual(['tl_guest']);

    // The same post without Origin or Sec-Fetch-Site (no browser's form leaves both out): sent back with the reason, nothing stored.
    const cookie = (await context.cookies(seeded.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const forged = await fetch(`${seeded.baseUrl}/articles/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ body: 'This one is forged.', authorName: 'Nora' }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(303);
    await page.goto(`${seeded.baseUrl}${forged.headers.get('location')}`);
    await expect(page).toHaveURL(/error=form_token_invalid/);
    await expect(page.locator('form#comment-form .form-error')).toContainText('did not come from this site');
    await expect(new ArticlePage(page).comment('This one is forged.')).toHaveCount(0);
    await context.close();
  });

  test("another site's form cannot post a comment", async ({ page, seeded }) => {
    const slug = await createThread(seeded, 'Cross-site form');
    const reader = new ArticlePage(page);
    await reader.goto(seeded.baseUrl, slug); // the reader has a guest cookie here (the page's first read gave it)
    // A page on another site that posts a plain form to this server as soon as it loads.
    await page.route('http://attacker.test/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<form method="post" action="${seeded.baseUrl}/articles/${slug}/comments"><input name="body" value="forged"><input name="authorName" value="Mallory"></form><script>document.forms[0].submit()</script>`,
      }),
    );
    const response = page.waitForResponse((r) => r.url().endsWith(`/articles/${slug}/comments`));
    await page.goto('http://attacker.test/');
    expect((await response).status()).toBe(403);
    await reader.goto(seeded.baseUrl, slug);
    await expect(reader.comment('forged')).toHaveCount(0);
  });
});

test.describe('after sign-in', () => {
  test('14.4 a sign-in whose next= points at another site lands on the desk, and a path on this site is followed', async ({ browser }) => {
    // A server of its own: four sign-ins from this address, within the per-minute limit of a fresh start.
    const server = await startServer();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Should a redirect leave, it lands here instead of failing on DNS, and the test sees where it went.
      await context.route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ contentType: 'text/html', body: '<h1>evil.example</h1>' }));
      const account = { username: 'admin', password: firstAdminPassword(server) };
      const signInWith = async (next: string) => {
        await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(next)}`);
        await page.getByLabel('Username').fill(account.username);
        await page.getByLabel('Password').fill(account.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      };
      for (const next of ['/\\evil.example/', '/\t/evil.example/', '//evil.example/']) {
        await signInWith(next);
        await expect(page, `next=${JSON.stringify(next)}`).toHaveURL(`${server.baseUrl}/moderate`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await context.clearCookies();
      }
      await signInWith('/moderate/audit');
      await expect(page).toHaveURL(`${server.baseUrl}/moderate/audit`);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  test('14.4 without JavaScript the sign-in form signs in too, says why it did not, and its next= stays on this site', async ({ browser }) => {
    const server = await startServer();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await context.route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ contentType: 'text/html', body: '<h1>evil.example</h1>' }));
      const submit = async (password: string) => {
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      };
      await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent('/\t/evil.example/')}`);
      await submit('not the password');
      await expect(page.getByRole('alert')).toHaveText('That username and password do not match.');
      await expect(page).toHaveURL(/\/login\?error=invalid_credentials&next=%2Fmoderate$/);
      await submit(firstAdminPassword(server));
      await expect(page).toHaveURL(`${server.baseUrl}/moderate`);
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
