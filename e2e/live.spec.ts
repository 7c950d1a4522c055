import { expect, newArticle, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

test.describe('live replies', () => {
  test('a reply typed in one page appears in another without a reload', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Live replies between two readers');
    const ann = await openReader(url);
    const bob = await openReader(url);

    await postComment(ann, { name: 'Ann', body: 'First!' });
    // Ann's own comment shows at once; Bob's page holds it behind the button until he asks.
    const annsComment = new ArticlePage(ann).comment('First!');
    await expect(annsComment).toBeVisible();
    await expect(annsComment.locator('.badge-mine')).toHaveText('you');
    await expect(bob.getByRole('button', { name: '1 new comment' })).toBeVisible();
    await bob.getByRole('button', { name: '1 new comment' }).click();
    await expect(new ArticlePage(bob).comment('First!')).toBeVisible();

    // A reply appears in its branch on the other page, highlighted, with no button in between.
    await postComment(bob, { name: 'Bob', body: 'Welcome, Ann.', replyTo: 'First!' });
    const reply = new ArticlePage(ann).comment('Welcome, Ann.');
    await expect(reply).toBeVisible();
    await expect(reply).toHaveAttribute('data-depth', '2');
    await expect(reply).toHaveClass(/comment-fresh/);
    await expect(ann.locator('#comments-heading')).toHaveText('2 comments');

    // Both pages agree with the server after a reload.
    await ann.reload();
    await expect(new ArticlePage(ann).comments).toHaveCount(2);
  });

  test('"N reading now" and "Someone is replying…" are live', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Presence and typing');
    const ann = await openReader(url);
    await postComment(ann, { name: 'Ann', body: 'Anyone here?' });
    const bob = await openReader(url);
    await expect(ann.locator('.reading-now')).toHaveText('2 reading now');
    await expect(bob.locator('.reading-now')).toHaveText('2 reading now');

    const target = new ArticlePage(bob).comment('Anyone here?');
    await target.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    await target.locator(':scope > details > form').getByLabel('Your reply').pressSequentially('I am');
    await expect(new ArticlePage(ann).comment('Anyone here?').locator(':scope > details > .typing-notice')).toHaveText('Someone is replying…');

    await bob.context().close();
    await expect(ann.locator('.reading-now')).toHaveText('1 reading now');
  });

  test('a draft survives a reload', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Drafts');
    const page = await openReader(url);
    const form = page.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Dana');
    await form.getByLabel('Your comment').fill('Half a thought…');
    await page.reload();
    await expect(page.locator('form#comment-form').getByLabel('Your comment')).toHaveValue('Half a thought…');
    await expect(page.locator('form#comment-form').getByLabel('Your name')).toHaveValue('Dana');
  });

  test('a reader who was offline gets exactly what they missed', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Offline and back');
    const ann = await openReader(url);
    const bob = await openReader(url);
    await bob.context().setOffline(true);
    await expect(bob.locator('.connection')).toHaveText(/Offline|Reconnecting/);
    for (const text of ['While you were away 1', 'While you were away 2', 'While you were away 3']) await postComment(ann, { name: 'Ann', body: text });
    await bob.context().setOffline(false);
    await expect(bob.locator('.connection')).toHaveText(/Live/);
    await expect(bob.getByRole('button', { name: '3 new comments' })).toBeVisible();
    await bob.getByRole('button', { name: '3 new comments' }).click();
    await expect(new ArticlePage(bob).comments).toHaveCount(3);
    await expect(new ArticlePage(bob).topLevelComments().first()).toContainText('While you were away 1');
  });

  test('posting works without JavaScript', async ({ openReader, seeded }) => {
    const { slug, url } = await newArticle(seeded, 'No script needed');
    const page = await openReader(url, { javaScriptEnabled: false });
    await postComment(page, { name: 'Nora', body: 'Posted by a plain form.' });
    await expect(page).toHaveURL(new RegExp(`/articles/${slug}\\?posted=[a-z0-9]+#c-[a-z0-9]+$`));
    await expect(new ArticlePage(page).comment('Posted by a plain form.')).toBeVisible();

    // Replying without JavaScript: the Reply link opens the form on the page.
    await postComment(page, { name: 'Nora', body: 'And a reply.', replyTo: 'Posted by a plain form.' });
    await expect(new ArticlePage(page).comment('And a reply.')).toHaveAttribute('data-depth', '2');

    // A refused post comes back with the reason.
    await page.locator('form#comment-form').getByLabel('Your name').fill('Nora');
    await page.locator('form#comment-form').getByLabel('Your comment').fill('   ');
    await page.locator('form#comment-form').getByRole('button', { name: /Post/ }).click();
    await expect(page.locator('form#comment-form .form-error')).toContainText('Your comment was not posted');
  });

  test('a locked thread offers no comment box', async ({ page, seeded }) => {
    await page.goto(`${seeded.baseUrl}/articles/jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent`);
    await expect(page.locator('.banner-locked')).toBeVisible();
    await expect(page.locator('form.comment-form')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Reply' })).toHaveCount(0);
  });
});
