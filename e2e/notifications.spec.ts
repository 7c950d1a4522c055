import type { Browser, BrowserContext } from '@playwright/test';
import { audit } from './axe';
import { expect, test } from './fixtures';
import { createThread } from './serverProcess';
import { serverWithItsStore } from './ownServer';

/**
 * The bell and its settings in a real browser (issue 17, docs/notifications.md): a reply by another
 * person rings the bell of the article page live, the list links to the comment on its branch's page,
 * following it marks it read; following a thread from its header; the settings page's notices section
 * without JavaScript. Accounts and sessions are made the way a sign-in method makes them (the auth
 * service on the server's own database), so no sign-in method needs configuring.
 */
const own = serverWithItsStore('notifications');

/** A browser signed in as a new person of this name: a session made by the auth service, its cookie set as the server would. */
async function signedIn(browser: Browser, name: string, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; id: string; name: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const { token, user } = await own.services.auth.signInWith({ identity: { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name, badges: null }, userAgent: 'e2e' });
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'tl_session', value: token, url: own.server.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return { context, id: user.id, name: user.displayName };
}

async function comment(context: BrowserContext, slug: string, body: string, parentId?: string): Promise<string> {
  const res = await context.request.post(`${own.server.baseUrl}/api/threads/${slug}/comments`, { data: { body, ...(parentId && { parentId }) } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

test('17 a reply by another person rings the bell live; the list links to the comment; following it marks it read', async ({ browser }) => {
  const slug = await createThread(own.server, 'Rings the bell');
  const ann = await signedIn(browser, 'Ann Bell');
  const ben = await signedIn(browser, 'Ben Replier');
  try {
    const top = await comment(ann.context, slug, 'Ann asks a question');
    const page = await ann.context.newPage();
    await page.goto(`${own.server.baseUrl}/articles/${slug}`);
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await expect(bell).toBeVisible();
    await expect(bell).toHaveAccessibleName('Notifications');
    await expect(bell).toHaveAttribute('aria-expanded', 'false');
    await expect(page.locator('.connection')).toHaveText(/Live/);

    const reply = await comment(ben.context, slug, 'Ben answers Ann', top);
    await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
    await expect(page.getByTestId('bell-count')).toHaveText('1');

    await bell.click();
    await expect(bell).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('region', { name: 'Notifications' });
    const item = panel.getByRole('link', { name: `unread: ${ben.name} replied to you in “Rings the bell”` });
    await expect(item).toBeVisible();
    await expect(panel.getByText('Ben answers Ann')).toBeVisible();
    await audit(page);
    await page.keyboard.press('Escape');
    await expect(bell).toHaveAttribute('aria-expanded', 'false');
    await expect(bell).toBeFocused();

    await bell.click();
    await item.click();
    await expect(page).toHaveURL(`${own.server.baseUrl}/articles/${slug}/comments/${reply}#c-${reply}`);
    await expect(page.locator(`#c-${reply}`)).toContainText('Ben answers Ann');
    // Read once followed: the bell on the branch's page says so.
    const again = page.getByRole('button', { name: /^Notifications/ });
    await expect(again).toHaveAccessibleName('Notifications');
    await again.click();
    await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: `${ben.name} replied to you in “Rings the bell”` })).toBeVisible();

    // A guest reading the same page has no bell.
    const guest = await browser.newContext();
    const guestPage = await guest.newPage();
    await guestPage.goto(`${own.server.baseUrl}/articles/${slug}`);
    await expect(guestPage.locator('.connection')).toHaveText(/Live/);
    await expect(guestPage.locator('.bell-slot')).toBeAttached();
    await expect(guestPage.getByRole('button', { name: /^Notifications/ })).toHaveCount(0);
    await guest.close();
  } finally {
    await ann.context.close();
    await ben.context.close();
  }
});

test('17 following a thread from its header, muting a comment’s author from its menu, mark all read', async ({ browser }) => {
  const slug = await createThread(own.server, 'Follow me');
  const ann = await signedIn(browser, 'Ann Follower');
  const ben = await signedIn(browser, 'Ben Muted');
  try {
    const top = await comment(ann.context, slug, 'Ann’s comment');
    await comment(ben.context, slug, 'First reply', top);
    await comment(ben.context, slug, 'Second reply', top);
    const page = await ann.context.newPage();
    await page.goto(`${own.server.baseUrl}/articles/${slug}`);
    await page.getByRole('button', { name: 'Follow this thread' }).click();
    await expect(page.getByRole('button', { name: 'Following · stop' })).toBeVisible();
    expect((await own.services.notifications.watches(ann.id)).map((w) => [w.slug, w.mode])).toEqual([[slug, 'follow']]);

    const bell = page.getByRole('button', { name: /^Notifications/ });
    await expect(bell).toHaveAccessibleName('Notifications, 2 unread');
    await bell.click();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect(bell).toHaveAccessibleName('Notifications');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: `Mute ${ben.name}` }).first().click();
    // Muted is muted everywhere (issue 19): no notices, and their comments fold on the page.
    await expect(page.getByTestId('muted-fold')).toContainText('2 comments from a muted person');
    await expect.poll(async () => (await own.services.notifications.mutes(ann.id)).map((m) => m.personId)).toEqual([ben.id]);

    // The settings page lists them (axe needs the page's script to run: audited here, not in the no-JavaScript test).
    await page.goto(`${own.server.baseUrl}/account#notices`);
    await expect(page.locator('#notices').getByTestId('mutes')).toContainText(ben.name);
    await expect(page.locator('#notices').getByTestId('watches')).toContainText('Follow me · following');
    await audit(page);
  } finally {
    await ann.context.close();
    await ben.context.close();
  }
});

test('17 the settings page’s notices section works without JavaScript: unmute, mute by name, remove a thread', async ({ browser }) => {
  const slug = await createThread(own.server, 'Blocked without script');
  const ann = await signedIn(browser, 'Ann Settings', { javaScriptEnabled: false });
  const ben = await signedIn(browser, 'Ben Settings');
  const cat = await signedIn(browser, 'Cat Settings');
  try {
    await own.services.notifications.mute({ userId: ann.id, personId: ben.id });
    await own.services.notifications.watch({ userId: ann.id, slug, mode: 'block' });
    const page = await ann.context.newPage();
    await page.goto(`${own.server.baseUrl}/account`);
    const section = page.locator('#notices');
    await expect(section.getByTestId('mutes')).toContainText(ben.name);
    await expect(section.getByTestId('watches')).toContainText('Blocked without script · blocked');

    await section.getByRole('button', { name: `Unmute ${ben.name}` }).click();
    await expect(page).toHaveURL(`${own.server.baseUrl}/account?notices=unmute#notices`);
    await expect(section.getByTestId('notices-done')).toHaveText('Unmuted.');
    await expect(section.getByText('You have muted nobody.')).toBeVisible();

    await section.getByLabel('Mute someone by display name').fill(cat.name);
    await section.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(section.getByTestId('mutes')).toContainText(cat.name);

    await section.getByLabel('Mute someone by display name').fill('Nobody By This Name');
    await section.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(section.getByTestId('notices-error')).toHaveText('No account or guest has that id here.');

    await section.getByRole('button', { name: 'Remove “Blocked without script”' }).click();
    await expect(section.getByText('You follow no thread and have blocked none.')).toBeVisible();
    expect(await own.services.notifications.watches(ann.id)).toEqual([]);
    expect((await own.services.notifications.mutes(ann.id)).map((m) => m.personId)).toEqual([cat.id]);
  } finally {
    await ann.context.close();
    await ben.context.close();
    await cat.context.close();
  }
});
