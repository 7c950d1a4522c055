import { ArticlePage } from './pages/ArticlePage';
import { expect, postComment, postOverApi, test } from './fixtures';
import { createThread } from './serverProcess';
import { useNodes } from './twoNodes';

/**
 * Two real server nodes on one PostgreSQL, joined by a real Redis: what a
 * reader on one node sees of a conversation held on the other.
 */
test.describe('two nodes behind Redis', () => {
  const nodes = useNodes('e2e');

  test('a comment posted on node A reaches a reader on node B, and a reader whose node was killed catches up', async ({ openReader }) => {
    const { a, b, store } = await nodes.startTwo();
    const slug = await createThread(store, 'Across two nodes');

    const ann = await openReader(`${a.baseUrl}/articles/${slug}`);
    const bob = await openReader(`${b.baseUrl}/articles/${slug}`);
    await expect(ann.locator('.reading-now')).toHaveText('2 reading now');

    await postComment(ann, { name: 'Ann', body: 'Hello from node A' });
    await expect(bob.getByRole('button', { name: '1 new comment' })).toBeVisible();
    await bob.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(bob).comment('Hello from node A')).toBeVisible();

    // Node B dies without a goodbye while Bob reads; the conversation goes on on node A.
    const port = Number(new URL(b.baseUrl).port);
    await b.kill();
    await expect(bob.locator('.connection')).toHaveText(/Reconnecting|Offline/);
    await postComment(ann, { name: 'Ann', body: 'Posted while node B was down' });
    await postComment(ann, { name: 'Ann', body: 'And another' });

    // Node B comes back on the same address; Bob's page reconnects and gets exactly what it missed.
    await nodes.start({ port, dataDir: b.dataDir });
    await expect(bob.locator('.connection')).toHaveText(/Live/, { timeout: 20_000 });
    await expect(bob.getByRole('button', { name: '2 new comments' })).toBeVisible();
    await bob.getByRole('button', { name: '2 new comments' }).click();
    await expect(new ArticlePage(bob).comments).toHaveCount(3);
    await expect(bob.locator('#comments-heading')).toHaveText('3 comments');
  });

  test('19 a guest mutes a person: their comments fold, and one they post on node A arrives folded on node B', async ({ openReader }) => {
    // Two nodes start inside the test: on a busy machine that alone takes half a minute.
    test.setTimeout(150_000);
    const { a, b, store } = await nodes.startTwo();
    const slug = await createThread(store, 'Muted across two nodes');

    await postOverApi(a.baseUrl, slug, { body: 'Someone else', authorName: 'Erin' });
    const dave = await openReader(`${a.baseUrl}/articles/${slug}`);
    await postComment(dave, { name: 'Dave', body: 'Dave speaks first' });
    const carol = await openReader(`${b.baseUrl}/articles/${slug}`);
    const page = new ArticlePage(carol);
    await expect(page.comments).toHaveCount(2);

    // The guest's mute lives in their browser: no account needed.
    await page.comment('Dave speaks first').locator(':scope > details > .comment-actions').getByRole('button', { name: 'Mute Dave' }).click();
    const fold = carol.getByTestId('muted-fold');
    await expect(fold).toHaveText(/1 comment from a muted person/);
    await expect(page.comment('Dave speaks first')).toHaveCount(0);
    await expect(page.comment('Someone else')).toBeVisible();

    // Dave replies to Erin on node A: on node B it arrives live, already folded.
    await postComment(dave, { name: 'Dave', body: 'Dave answers Erin', replyTo: 'Someone else' });
    await expect(page.comment('Someone else').getByTestId('muted-fold')).toHaveText(/1 comment from a muted person/);
    await expect(page.comment('Dave answers Erin')).toHaveCount(0);

    // Kept in the browser: a reload folds them again. The fold opens, and unmutes.
    // Node B may serve a page it keeps, up to PAGE_FRESH_MS older than a change made on node A
    // (server/pageCache/readerPageCache.ts): the page then catches up and holds what came since out of
    // sight, and the pill does not count a muted person's comments. A later reload has both.
    await expect(async () => {
      await carol.reload();
      await expect(carol.locator('.connection')).toHaveText(/Live/);
      await expect(carol.getByTestId('muted-fold')).toHaveCount(2, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    // In page order the first is the reply's, under Erin's comment.
    await carol.getByTestId('muted-fold').first().getByRole('button', { name: 'Show' }).click();
    await expect(page.comment('Dave answers Erin')).toBeVisible();
    await carol.getByTestId('muted-fold').first().getByRole('button', { name: 'Unmute Dave' }).click();
    await expect(carol.getByTestId('muted-fold')).toHaveCount(0);
    await expect(page.comments).toHaveCount(3);
  });
});
