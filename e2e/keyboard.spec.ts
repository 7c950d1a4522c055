import { expect, newArticle, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

/**
 * Reading the discussion from the keyboard (useCommentKeys): j/k, r, Escape;
 * focus kept while live comments arrive or the focused one goes; new comments
 * announced in one polite batch.
 */
test('j/k walk the comments in document order, r opens a reply box, Escape closes it and goes back', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Keyboard reading');
  const writer = await openReader(url);
  await postComment(writer, { name: 'Ann', body: 'Comment A' });
  await postComment(writer, { name: 'Ann', body: 'Comment B' });
  await postComment(writer, { name: 'Bob', body: 'Reply A1', replyTo: 'Comment A' });

  const page = await openReader(url);
  const article = new ArticlePage(page);
  await expect(page.locator('#keyboard-hint')).toContainText('reply');
  const [a, a1, b] = [article.comment('Comment A'), article.comment('Reply A1'), article.comment('Comment B')];

  await page.keyboard.press('j');
  await expect(a).toBeFocused();
  await page.keyboard.press('j');
  await expect(a1).toBeFocused();
  await page.keyboard.press('j');
  await expect(b).toBeFocused();
  await expect(b).toHaveAttribute('tabindex', '0');
  await expect(a).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('j'); // the last comment stays
  await expect(b).toBeFocused();
  await page.keyboard.press('k');
  await expect(a1).toBeFocused();
  // With a modifier, the keys are the browser's.
  await page.keyboard.press('Control+j');
  await expect(a1).toBeFocused();

  await page.keyboard.press('r');
  const box = a1.locator(':scope > details > form').getByLabel('Your reply');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  // Typing in the box is text, not shortcuts.
  await page.keyboard.type('jkr');
  await expect(box).toHaveValue('jkr');
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(a1.locator(':scope > details > form')).toHaveCount(0);
  await expect(a1).toBeFocused();

  // A folded branch is skipped.
  await article.foldToggle(a).click();
  await page.keyboard.press('j');
  await expect(b).toBeFocused();
  await page.keyboard.press('k');
  await expect(a).toBeFocused();
});

test('focus stays on its comment while live comments arrive above and below it, and moves to a neighbour when it goes', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Keyboard focus under live updates');
  const writer = await openReader(url);
  await postComment(writer, { name: 'Ann', body: 'First top' });
  await postComment(writer, { name: 'Ann', body: 'Second top' });

  const page = await openReader(url);
  const article = new ArticlePage(page);
  await postComment(page, { name: 'Cy', body: 'My own' });
  const [first, second, mine] = [article.comment('First top'), article.comment('Second top'), article.comment('My own')];

  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(second).toBeFocused();

  // Another reader replies above the focused comment and below it.
  await postComment(writer, { name: 'Bob', body: 'Reply above', replyTo: 'First top' });
  await postComment(writer, { name: 'Bob', body: 'Reply below', replyTo: 'Second top' });
  await expect(article.comment('Reply above')).toBeVisible();
  await expect(article.comment('Reply below')).toBeVisible();
  await expect(second).toBeFocused();
  await expect(second).toBeInViewport();
  // The replies are announced together, politely.
  await expect(page.getByTestId('new-comments-announcer')).toHaveText(/^(2 new comments|1 new comment)\s*$/);
  await expect(page.getByTestId('new-comments-announcer')).toHaveAttribute('aria-live', 'polite');
  // j goes on into the reply that just arrived.
  await page.keyboard.press('j');
  await expect(article.comment('Reply below')).toBeFocused();

  // Our own comment, deleted while focus is in it: its neighbour takes focus, not the top of the page.
  page.once('dialog', (d) => void d.accept());
  await mine.locator(':scope > details > .comment-actions').getByRole('button', { name: 'Delete' }).click();
  await expect(mine).toHaveCount(0);
  await expect(article.comment('Reply below')).toBeFocused();
  await expect(first).toHaveAttribute('tabindex', '-1');
});
