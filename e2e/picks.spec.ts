import { ArticlePage } from './pages/ArticlePage';
import { featureComment } from './pages/picks';
import { expect, postOverApi, test } from './fixtures';
import { createThread, createUser } from './serverProcess';
import { useNodes } from './twoNodes';

/**
 * Editors' picks (issue 19.1) across two real nodes on one PostgreSQL, joined by Redis: a moderator
 * on node A features a comment, a reader of node B sees the Picks strip appear live and leave when
 * it is unfeatured, and a reader without JavaScript gets the strip (and the Picks sort) in the HTML.
 */
test.describe('editors’ picks on two nodes', () => {
  const nodes = useNodes('picks');
  const editor = { username: 'picks-editor', password: 'correct horse battery staple' };

  test('featured on node A, the strip appears on a reader of node B with its note and badge, links to its place, and leaves when unfeatured; a reader without JavaScript sees it', async ({ openReader, openStaff }) => {
    // Two nodes and three scripts start before the first page: on a shared two-core machine that alone can take most of a minute.
    test.setTimeout(150_000);
    const { a, b, store } = await nodes.startTwo();
    const slug = await createThread(store, 'Picks across two nodes');
    createUser(store, { ...editor, role: 'moderator' });
    await postOverApi(a.baseUrl, slug, { body: 'A sharp point worth featuring.', authorName: 'Ann' });
    await postOverApi(a.baseUrl, slug, { body: 'Another view, not featured.', authorName: 'Bob' });

    const reader = await openReader(`${b.baseUrl}/articles/${slug}`);
    const strip = reader.getByRole('region', { name: 'Editors’ picks' });
    await expect(strip).toHaveCount(0);

    const moderator = await openStaff(a, `${a.baseUrl}/articles/${slug}`, { account: editor });
    const featured = new ArticlePage(moderator).comment('A sharp point worth featuring.');
    await featureComment(moderator, featured, 'The clearest case made in this thread');

    // Node B's reader: the strip, live, with the note; the badge on the comment in its place.
    await expect(strip).toContainText('A sharp point worth featuring.');
    await expect(strip.locator('.pick-note')).toHaveText('The clearest case made in this thread');
    await expect(strip).not.toContainText('Another view');
    const inThread = new ArticlePage(reader).comment('A sharp point worth featuring.');
    await expect(inThread.locator('.badge-pinned')).toHaveText('Featured');
    await strip.getByRole('link', { name: 'in context' }).click();
    await expect(inThread).toBeFocused();

    // Without JavaScript, on node B: the strip is in the server's HTML, and the Picks sort shows only its branch.
    const plain = await openReader(`${b.baseUrl}/articles/${slug}`, { javaScriptEnabled: false });
    await expect(plain.getByRole('region', { name: 'Editors’ picks' }).locator('.pick-note')).toHaveText('The clearest case made in this thread');
    await plain.getByRole('navigation', { name: 'Sort comments' }).getByRole('link', { name: 'Picks' }).click();
    await expect(plain).toHaveURL(/sort=picks/);
    await expect(new ArticlePage(plain).comment('A sharp point worth featuring.')).toBeVisible();
    await expect(new ArticlePage(plain).comment('Another view, not featured.')).toHaveCount(0);

    // Unfeatured on node A: it leaves node B's page, badge and all.
    await featured.getByRole('button', { name: 'Unfeature' }).click();
    await expect(strip).toHaveCount(0);
    await expect(inThread.locator('.badge-pinned')).toHaveCount(0);
  });
});
