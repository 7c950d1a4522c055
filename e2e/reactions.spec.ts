import type { Page } from '@playwright/test';
import { expect, newArticle, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

const likeButton = (page: Page, body: string) => new ArticlePage(page).comment(body).locator(':scope > details > .comment-actions .like-button');

test.describe('likes', () => {
  test('one reader likes, the other sees the count change live; undo', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Likes between two readers');
    const ann = await openReader(url);
    await postComment(ann, { name: 'Ann', body: 'Worth a like?' });
    const bob = await openReader(url);

    const bobs = likeButton(bob, 'Worth a like?');
    await expect(bobs).toHaveAccessibleName('Like (0 likes)');
    await expect(bobs).toHaveAttribute('aria-pressed', 'false');
    await bobs.click();
    await expect(bobs).toHaveAttribute('aria-pressed', 'true');
    await expect(bobs).toHaveAccessibleName('Unlike (1 like)');
    // Ann's page hears of it live: the count, not who.
    const anns = likeButton(ann, 'Worth a like?');
    await expect(anns).toHaveAccessibleName('Like (1 like)');

    await bobs.click();
    await expect(bobs).toHaveAttribute('aria-pressed', 'false');
    await expect(anns).toHaveAccessibleName('Like (0 likes)');

    // The like is Bob's across reloads.
    await bobs.click();
    await expect(anns).toHaveAccessibleName('Like (1 like)');
    await bob.reload();
    await expect(likeButton(bob, 'Worth a like?')).toHaveAttribute('aria-pressed', 'true');
  });

  test('the Most liked sort puts the most liked branch first', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Top sort');
    const ann = await openReader(url);
    for (const body of ['Plain one', 'Liked twice', 'Liked once']) await postComment(ann, { name: 'Ann', body });
    for (const [body, times] of [['Liked twice', 2], ['Liked once', 1]] as const) {
      for (let i = 0; i < times; i++) {
        const fan = await openReader(url);
        await likeButton(fan, body).click();
        await expect(likeButton(fan, body)).toHaveAttribute('aria-pressed', 'true');
        await fan.context().close();
      }
    }
    await ann.getByRole('navigation', { name: 'Sort comments' }).getByRole('link', { name: 'Most liked' }).click();
    await expect(ann).toHaveURL(/sort=top/);
    const tops = new ArticlePage(ann).topLevelComments().locator(':scope > details > .comment-body');
    await expect(tops).toHaveText(['Liked twice', 'Liked once', 'Plain one']);
    await expect(ann.getByRole('link', { name: 'Most liked' })).toHaveAttribute('aria-current', 'true');
  });
});

test('liking works without JavaScript, and the page comes back to the comment in its sort', async ({ openReader, seeded }) => {
  const { slug, url } = await newArticle(seeded, 'Likes without script');
  const ann = await openReader(url);
  await postComment(ann, { name: 'Ann', body: 'Like me plainly.' });
  const nora = await openReader(`${url}?sort=top`, { javaScriptEnabled: false });
  const button = likeButton(nora, 'Like me plainly.');
  await expect(button).toHaveAccessibleName('Like (0 likes)');
  await button.click();
  // The page everyone gets cannot say the like is hers: the answer's address does (a page for her alone).
  await expect(nora).toHaveURL(new RegExp(`/articles/${slug}\\?sort=top&liked=[a-z0-9]+#c-[a-z0-9]+$`));
  await expect(likeButton(nora, 'Like me plainly.')).toHaveAccessibleName('Unlike (1 like)');
  await expect(likeButton(nora, 'Like me plainly.')).toHaveAttribute('aria-pressed', 'true');
  // The live page heard of it.
  await expect(likeButton(ann, 'Like me plainly.')).toHaveAccessibleName('Like (1 like)');
  await likeButton(nora, 'Like me plainly.').click();
  await expect(likeButton(nora, 'Like me plainly.')).toHaveAccessibleName('Like (0 likes)');
});

test.describe('replies to you', () => {
  test('the author gets a notice when another reader replies, and its link goes to the reply', async ({ openReader, seeded }) => {
    const { url } = await newArticle(seeded, 'Reply notices');
    const ann = await openReader(url);
    await postComment(ann, { name: 'Ann', body: 'Ask me anything.' });
    // Ann answering herself is no news to her.
    await postComment(ann, { name: 'Ann', body: 'Myself, first.', replyTo: 'Ask me anything.' });
    const notices = ann.getByRole('region', { name: 'Replies to your comments' });
    await expect(notices).toHaveAttribute('aria-live', 'polite');

    const bob = await openReader(url);
    await postComment(bob, { name: 'Bob', body: 'Why the sky is blue?', replyTo: 'Ask me anything.' });
    await expect(notices.locator('.reply-notice')).toHaveCount(1);
    await expect(notices).toContainText('Bob replied to your comment.');
    // Bob, who replied, gets no notice.
    await expect(bob.locator('.reply-notice')).toHaveCount(0);

    await notices.getByRole('link', { name: 'View reply' }).click();
    const reply = new ArticlePage(ann).comment('Why the sky is blue?');
    const id = await reply.getAttribute('data-comment-id');
    await expect(ann).toHaveURL(new RegExp(`#c-${id}$`));
    await expect(reply).toBeInViewport();
    await expect(notices.locator('.reply-notice')).toHaveCount(0);

    // Dismissing works without following the link.
    await postComment(bob, { name: 'Bob', body: 'And another thing.', replyTo: 'Myself, first.' });
    await expect(notices.locator('.reply-notice')).toHaveCount(1);
    await notices.getByRole('button', { name: /Dismiss/ }).click();
    await expect(notices.locator('.reply-notice')).toHaveCount(0);
  });

  test('a reply in a branch the page has not loaded links to that branch\'s page', async ({ openReader, seeded }) => {
    const { slug, url } = await newArticle(seeded, 'Reply notices far away');
    const ann = await openReader(url);
    await postComment(ann, { name: 'Ann', body: 'Mine, on the first page.' });
    // Ann reopens the thread on a branch page of someone else's: her comment is not on it.
    const bob = await openReader(url);
    await postComment(bob, { name: 'Bob', body: 'Another branch.' });
    const other = await new ArticlePage(bob).comment('Another branch.').getAttribute('data-comment-id');
    await ann.goto(`${seeded.baseUrl}/articles/${slug}/comments/${other}`);
    // A branch page has no status line: its like buttons show it is live.
    await expect(likeButton(ann, 'Another branch.')).toBeVisible();
    await expect(new ArticlePage(ann).comment('Mine, on the first page.')).toHaveCount(0);

    await bob.reload();
    await expect(bob.locator('.connection')).toHaveText(/Live/);
    await postComment(bob, { name: 'Bob', body: 'Found you.', replyTo: 'Mine, on the first page.' });
    const notices = ann.getByRole('region', { name: 'Replies to your comments' });
    await expect(notices).toContainText('Bob replied to your comment.');
    await notices.getByRole('link', { name: 'View reply' }).click();
    await expect(ann).toHaveURL(/\/comments\/[a-z0-9]+#c-[a-z0-9]+$/);
    await expect(new ArticlePage(ann).comment('Found you.')).toBeInViewport();
  });
});
