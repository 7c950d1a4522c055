import { expect, postComment, test } from './fixtures';
import { createThread, createUser } from './serverProcess';
import { useNodes } from './twoNodes';

const MODERATOR = { username: 'pulse-mod', password: 'pulse horse battery staple' };

/**
 * The editors' pulse (issue 19.5) across two nodes on one PostgreSQL, joined by Redis: a moderator
 * watches a thread's dashboard on node A while a reader opens the thread and comments on node B; the
 * dashboard's "reading now" and comment count follow without a reload.
 */
test.describe('the pulse across two nodes', () => {
  const nodes = useNodes('e2e-pulse');

  test('a comment posted on node B shows on the dashboard a moderator watches on node A', async ({ openReader, openStaff }) => {
    // Two servers start and a moderator signs in before the first look: more than the default minute on a busy machine.
    test.setTimeout(180_000);
    const { a, b, store } = await nodes.startTwo();
    const title = 'Pulse across two nodes';
    const slug = await createThread(store, title);
    createUser(store, { ...MODERATOR, role: 'moderator' });

    const dashboard = await openStaff(a, `${a.baseUrl}/moderate/pulse/${slug}`, { account: MODERATOR });
    await expect(dashboard.getByRole('heading', { level: 1 })).toHaveText(`Pulse: ${title}`);
    const figure = (name: string) => dashboard.locator(`[data-figure="${name}"] .pulse-stat-value`);
    await expect(figure('comments')).toHaveText('0');
    await expect(figure('readers')).toHaveText('0');

    // A reader on node B: counted on node A through presence's reports between the nodes.
    const reader = await openReader(`${b.baseUrl}/articles/${slug}`);
    await expect(figure('readers')).toHaveText('1', { timeout: 20_000 });

    await postComment(reader, { name: 'Bea', body: 'Posted on node B' });
    await expect(figure('comments')).toHaveText('1', { timeout: 20_000 });
    await expect(dashboard.locator('.pulse-minutes')).toHaveAttribute('data-total', '1');
    await expect(dashboard.locator('.pulse-ranks')).toContainText('Bea');

    // The site's pulse on node A ranks the thread, and links to its own dashboard.
    await dashboard.goto(`${a.baseUrl}/moderate/pulse`);
    await expect(dashboard.getByRole('link', { name: title })).toHaveAttribute('href', `/moderate/pulse/${slug}`);
    await expect(figure('readers')).toHaveText('1');
  });
});
