import type { Request } from '@playwright/test';
import { audit } from './axe';
import { expect, newArticle, PAGE_SCRIPTS, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { serverWithItsStore } from './ownServer';

/**
 * Mentions in a real browser (docs/mentions.md): typing `@` in the comment box loads the suggestion's
 * chunk and lists the thread's people; the keyboard chooses one (the text field names the active
 * option); the posted comment links to the person's public page. Without JavaScript a typed `@Name`
 * becomes the same link. The people are accounts made the way a sign-in method makes them (the
 * server's own database, as account.spec.ts does), so no sign-in method needs configuring.
 */
const own = serverWithItsStore('mentions');

const run = Date.now() % 100_000;

/** An account that comments in the thread (over the API with its session, as its browser would). */
async function commenter(slug: string, name: string, badges: ('journalist' | 'expert')[] | null = null): Promise<string> {
  const { token, user } = await own.services.auth.signInWith({ identity: { method: 'sso', provider: 'sso', subject: `mention-${name}`, email: null, emailVerified: false, name, badges } });
  const res = await fetch(`${own.server.baseUrl}/api/threads/${slug}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: own.server.baseUrl, cookie: `tl_session=${token}` },
    body: JSON.stringify({ body: `${name} was here` }),
  });
  expect(res.status).toBe(201);
  return user.id;
}

test('17 typing @ suggests the thread’s people; the keyboard chooses one; the posted comment links to their page', async ({ openReader }) => {
  const { slug, url } = await newArticle(own.server, 'Mentions in the box');
  const mira = `Mira Quill ${run}`;
  const milo = `Milo Stone ${run}`;
  const miraId = await commenter(slug, mira, ['journalist']);
  const miloId = await commenter(slug, milo);

  const page = await openReader(url);
  const scripts: string[] = [];
  page.on('request', (request: Request) => {
    if (request.resourceType() === 'script' && PAGE_SCRIPTS.test(request.url())) scripts.push(request.url());
  });
  const form = page.locator('form#comment-form');
  const box = form.getByLabel('Your comment');
  await box.click();
  await box.pressSequentially('Thanks ');
  expect(scripts, 'no suggestion code before an @ is typed').toEqual([]);
  await box.pressSequentially('@Mi');
  await expect.poll(() => scripts.length, { message: 'the suggestion’s chunk loads on the first @' }).toBeGreaterThan(0);

  const list = page.getByRole('listbox', { name: 'People in this discussion' });
  await expect(list).toBeVisible();
  const options = list.getByRole('option');
  // The most recent commenter first; badges beside the name.
  await expect(options).toHaveText([milo, `${mira}Journalist`]);
  await expect(box).toHaveAttribute('aria-autocomplete', 'list');
  await expect(box).toHaveAttribute('aria-controls', (await list.getAttribute('id'))!);
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.nth(0).getAttribute('id'))!);
  await expect(page.getByRole('status').filter({ hasText: '2 people suggested' })).toBeAttached();
  await audit(page);

  await box.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id'))!);
  // Escape closes the list and leaves the text as it was.
  await box.press('Escape');
  await expect(list).toBeHidden();
  await expect(box).toHaveValue('Thanks @Mi');
  await expect(box).not.toHaveAttribute('aria-activedescendant', /.+/);
  // Typing on opens it again; Enter chooses (no new line).
  await box.pressSequentially('r');
  await expect(options).toHaveText([`${mira}Journalist`]);
  await box.press('Enter');
  await expect(list).toBeHidden();
  await expect(box).toHaveValue(`Thanks @${mira} `);
  await box.pressSequentially('and ');
  // Tab chooses too.
  await box.pressSequentially('@milo');
  await expect(options).toHaveText([milo]);
  await box.press('Tab');
  await expect(box).toHaveValue(`Thanks @${mira} and @${milo} `);
  await box.pressSequentially('for this.');

  await form.getByLabel('Your name').fill('Guest Grace');
  await form.getByRole('button', { name: /Post/ }).click();
  const posted = new ArticlePage(page).comment(`for this.`);
  await expect(posted).not.toHaveClass(/comment-sending/);
  const links = posted.locator('a.mention');
  await expect(links).toHaveText([`@${mira}`, `@${milo}`]);
  await expect(links.nth(0)).toHaveAttribute('href', `/people/${miraId}`);
  await expect(links.nth(1)).toHaveAttribute('href', `/people/${miloId}`);

  // The link leads to the person's public page: name, badge, their comment linking back.
  await links.nth(0).click();
  await expect(page).toHaveURL(`${own.server.baseUrl}/people/${miraId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${mira} Journalist`);
  await expect(page.getByRole('link', { name: `${mira} was here` })).toHaveAttribute('href', new RegExp(`^/articles/${slug}/comments/`));
  await audit(page);
});

test('17 without JavaScript, a typed @Name becomes a link; a guest’s page is not found', async ({ openReader }) => {
  const { slug, url } = await newArticle(own.server, 'Mentions without script');
  const nora = `Nora Vale ${run}`;
  const noraId = await commenter(slug, nora);
  const page = await openReader(url, { javaScriptEnabled: false });
  const form = page.locator('form#comment-form');
  await form.getByLabel('Your name').fill('Plain Paul');
  await form.getByLabel('Your comment').fill(`Hello @${nora}, and @Nobody At All.`);
  await form.getByRole('button', { name: /Post/ }).click();
  const posted = new ArticlePage(page).comment('Hello');
  await expect(posted.locator('a.mention')).toHaveText([`@${nora}`]);
  await expect(posted.locator('a.mention')).toHaveAttribute('href', `/people/${noraId}`);
  await expect(posted).toContainText('@Nobody At All.');

  const guestPage = await page.context().request.get(`${own.server.baseUrl}/people/nosuchperson1`);
  expect(guestPage.status()).toBe(404);
});
