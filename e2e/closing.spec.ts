import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createThread, createUser } from './serverProcess';
import { useNodes } from './twoNodes';

/** `datetime-local`'s value, in the page's own time zone, so many ms from now; and that time in UTC. */
async function localTimeAhead(page: Page, ms: number): Promise<{ value: string; utc: string }> {
  return page.evaluate((ahead) => {
    const d = new Date(Date.now() + ahead);
    d.setSeconds(0, 0);
    const two = (n: number) => String(n).padStart(2, '0');
    return { value: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`, utc: d.toISOString() };
  }, ms);
}

/**
 * Closing on time (issue 19.4) across two nodes on one PostgreSQL, joined by Redis, each polling for
 * due threads every 200 ms: a moderator on node A schedules the closing time in their own time zone, a
 * reader on node B sees "Comments close in …" live, and when the time comes the thread is locked once
 * (one lock event in its log, however many nodes poll) and the reader's page goes locked live.
 */
test.describe('closing on time, two nodes', () => {
  const nodes = useNodes('closing', { THREAD_CLOSING_POLL_MS: '200' });
  const account = { username: 'closer', password: 'closing time is near' };

  test('a scheduled lock fires once and reaches a reader on the other node live', async ({ openReader, openStaff }) => {
    // Two nodes to start and three pages to open on two shared cores.
    test.setTimeout(180_000);
    const { a, b, store: server } = await nodes.startTwo();
    const slug = await createThread(server, 'Closing at six');
    createUser(server, { ...account, role: 'moderator' });

    const reader = await openReader(`${b.baseUrl}/articles/${slug}`);
    // A moderator in Berlin types Berlin's time; the server keeps it in UTC.
    const moderator = await openStaff(a, `${a.baseUrl}/articles/${slug}`, { account, timezoneId: 'Europe/Berlin' });
    await expect(moderator.locator('.connection')).toHaveText(/Live/);
    const later = await localTimeAhead(moderator, 2 * 3_600_000 + 30 * 60_000);
    await moderator.getByTestId('closes-at').fill(later.value);
    await moderator.getByRole('button', { name: 'Schedule' }).click();

    await expect(reader.getByTestId('closing-notice')).toHaveText('Comments close in 2 hours.');
    const stored = (await (await fetch(`${b.baseUrl}/api/threads/${slug}`)).json()) as { thread: { closesAt: string } };
    expect(stored.thread.closesAt).toBe(later.utc);
    // Server-rendered too, for a reader without JavaScript.
    const plain = await openReader(`${b.baseUrl}/articles/${slug}`, { javaScriptEnabled: false });
    await expect(plain.getByTestId('closing-notice')).toHaveText('Comments close in 2 hours.');

    // Moved to a few seconds ahead, through the same settings call the bar makes.
    const soon = new Date(Date.now() + 3_000).toISOString();
    const status = await moderator.evaluate(
      async ({ slug, soon }) => (await fetch(`/api/threads/${slug}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ closesAt: soon }) })).status,
      { slug, soon },
    );
    expect(status).toBe(200);
    await expect(reader.getByTestId('closing-notice')).toHaveText('Comments close in less than a minute.');

    // Both nodes poll; the lock reaches the reader on node B as a manual lock does.
    await expect(reader.locator('.banner-locked')).toBeVisible({ timeout: 15_000 });
    await expect(reader.getByTestId('closing-notice')).toHaveCount(0);
    await expect(reader.locator('form#comment-form').getByLabel('Your comment')).toBeDisabled();
    await expect(moderator.getByRole('button', { name: 'Unlock thread' })).toBeVisible();

    // Exactly one lock in the thread's event log, though two nodes were polling every 200 ms.
    const log = (await (await fetch(`${a.baseUrl}/api/threads/${slug}/events?after=0`)).json()) as { missed: { type: string; thread?: { locked: boolean } }[] };
    expect(log.missed.filter((e) => e.type === 'thread.updated' && e.thread?.locked)).toHaveLength(1);
    const post = await fetch(`${b.baseUrl}/api/threads/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: b.baseUrl },
      body: JSON.stringify({ body: 'Too late', authorName: 'Late', parentId: null }),
    });
    expect([post.status, ((await post.json()) as { error: { code: string } }).error.code]).toEqual([423, 'thread_locked']);
  });
});

/**
 * The server keeps a rendered page while its thread does not move (server/pageCache/readerPageCache.ts);
 * a countdown's words change with the clock, not the thread, so a kept page with one is rendered anew
 * once its count changes. A reader without JavaScript has nothing else to correct it.
 */
test('a reader without JavaScript is never served a countdown that has run on, though the page is kept', async ({ moderated, openReader, openStaff }) => {
  const slug = await createThread(moderated, 'Closing within the minute');
  const admin = await openStaff(moderated, `${moderated.baseUrl}/articles/${slug}`);
  await expect(admin.locator('.connection')).toHaveText(/Live/);
  // "1 minute" for the first quarter of a minute, then "less than a minute".
  const closesAt = new Date(Date.now() + 75_000).toISOString();
  const status = await admin.evaluate(
    async ({ slug, closesAt }) => (await fetch(`/api/threads/${slug}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ closesAt }) })).status,
    { slug, closesAt },
  );
  expect(status).toBe(200);

  const plain = await openReader(`${moderated.baseUrl}/articles/${slug}`, { javaScriptEnabled: false });
  const notice = plain.getByTestId('closing-notice');
  await expect(notice).toHaveText('Comments close in 1 minute.');
  await expect(async () => {
    await plain.reload();
    await expect(notice).toHaveText('Comments close in less than a minute.', { timeout: 500 });
  }).toPass({ timeout: 45_000 });
});
