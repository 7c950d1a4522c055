import { PROTOCOL_VERSION } from '../lib/contract/socket';
import { expect, test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * A rolling deploy, played by a server that announces the next protocol
 * version (TEST_PROTOCOL_VERSION): the open page keeps what the reader typed,
 * asks politely for a reload, and applies none of the server's events.
 */
test.describe('a page meeting a server with a newer protocol', () => {
  let server: ServerProcess;
  test.beforeAll(async () => {
    server = await startServer({ env: { TEST_PROTOCOL_VERSION: String(PROTOCOL_VERSION + 1) } });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('shows the reload notice, applies no event, holds the post and keeps the draft across the reload', async ({ page }) => {
    const slug = await createThread(server, 'A newer server');
    // The server's thread events, as the page receives them over the socket.
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(String(payload))));
    await page.goto(`${server.baseUrl}/articles/${slug}`);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const notice = page.getByTestId('update-notice');
    await expect(notice).toContainText('A new version of this page is available.');
    await expect(notice.getByRole('button', { name: 'Reload' })).toBeVisible();

    const form = page.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Ann');
    await form.getByLabel('Your comment').fill('Typed while the server was updated');
    await expect(form.getByRole('button', { name: 'Post comment' })).toBeDisabled();
    await expect(form.locator('.form-wait')).toHaveText('Reload the page to post: what you typed is kept.');

    // Someone else posts: the event reaches the page, which does not apply it.
    const res = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'From a newer world', authorName: 'Bob' }),
    });
    expect(res.status).toBe(201);
    await expect.poll(() => frames.some((f) => f.includes('thread:event') && f.includes('From a newer world'))).toBe(true);
    // A frame goes to the page's handlers as it arrives; one animation frame later React has rendered whatever they changed.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect(page.locator('#comments-heading')).toHaveText('0 comments');
    await expect(page.locator('button.new-comments')).toHaveCount(0);
    await expect(form.getByLabel('Your comment')).toHaveValue('Typed while the server was updated');

    await notice.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('#comments-heading')).toHaveText('1 comment');
    await expect(page.locator('form#comment-form').getByLabel('Your comment')).toHaveValue('Typed while the server was updated');
    await expect(page.locator('form#comment-form').getByLabel('Your name')).toHaveValue('Ann');
  });

  test.describe('in German', () => {
    test.use({ locale: 'de-DE' });
    test('the notice is translated', async ({ page }) => {
      const slug = await createThread(server, 'Ein neuerer Server');
      await page.goto(`${server.baseUrl}/articles/${slug}`);
      const notice = page.getByTestId('update-notice');
      await expect(notice).toContainText('Eine neue Version dieser Seite ist verfügbar.');
      await expect(notice.getByRole('button', { name: 'Neu laden' })).toBeVisible();
    });
  });
});
