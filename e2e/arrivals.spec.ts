import type { Page } from '@playwright/test';
import { expect, newArticle, postComment, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

/**
 * How a reader learns what arrived while they read (issue 13, points 8–11):
 * the "N new comments" pill where the reader is, "Someone is writing…" where
 * the comment will land, one grouped reply notice, and what the page says
 * when the connection goes and comes back.
 */

/** A comment long enough that a handful of them make a page the reader has to scroll. */
function longBody(title: string): string {
  const paragraph = 'The council met for four hours and the debate ran long, with residents speaking for and against the plan in turn.';
  return [title, paragraph, paragraph, paragraph, paragraph].join('\n\n');
}

/** `count` long top-level comments by one writer (under the posting limit of ten a minute). */
async function fillThread(writer: Page, count: number, prefix: string): Promise<void> {
  for (let i = 1; i <= count; i++) await postComment(writer, { name: 'Wes', body: longBody(`${prefix} ${i}`) });
}

/** Scrolls with the mouse wheel until `comment` is on screen, as a reader would. */
async function scrollTo(page: Page, comment: ReturnType<ArticlePage['comment']>): Promise<void> {
  await expect(async () => {
    await page.mouse.wheel(0, 400);
    await expect(comment).toBeInViewport({ timeout: 200 });
  }).toPass();
}

test('13.8 new comments show where the reader is, never beside "No comments yet", and the pill takes them to what arrived', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Arrivals where the reader is');
  const reader = await openReader(url);
  const article = new ArticlePage(reader);
  const writer = await openReader(url);

  // A fresh thread: two comments arrive while the reader looks at the empty discussion.
  await postComment(writer, { name: 'Wes', body: 'First arrival' });
  await postComment(writer, { name: 'Wes', body: 'Second arrival' });
  await expect(article.commentsHeading).toHaveText('2 comments');
  const two = reader.getByRole('button', { name: '2 new comments' });
  await expect(two).toBeVisible();
  await expect(reader.getByText('No comments yet')).toHaveCount(0);
  await two.click();
  // The reader is taken to the first of them.
  await expect(article.comment('First arrival')).toBeFocused();
  await expect(article.comments).toHaveCount(2);
  await expect(reader.getByRole('button', { name: /new comment/ })).toHaveCount(0);

  // A longer thread; the reader reads half-way down it (oldest first: what arrives goes to the end).
  await fillThread(writer, 6, 'Long read');
  await reader.getByRole('button', { name: '6 new comments' }).click();
  await expect(article.comments).toHaveCount(8);
  await scrollTo(reader, article.comment('Long read 3'));
  await expect(article.commentsHeading).not.toBeInViewport();

  const other = await openReader(url);
  await postComment(other, { name: 'Olga', body: 'Breaking: the vote is in' });
  // The pill is where the reader is, keyboard reachable, and announced politely.
  const one = reader.getByRole('button', { name: '1 new comment' });
  await expect(one).toBeInViewport();
  // (Arrivals are announced in batches: this one may share its announcement with the last of the others.)
  await expect(reader.getByTestId('new-comments-announcer')).toHaveText(/new comments?/);
  await expect(reader.getByTestId('new-comments-announcer')).toHaveAttribute('aria-live', 'polite');
  await one.focus();
  await reader.keyboard.press('Enter');
  // It goes to the comment that arrived, at the end of the thread, thousands of pixels down.
  const arrived = article.comment('Breaking: the vote is in');
  await expect(arrived).toBeInViewport();
  await expect(arrived).toBeFocused();
  await expect(one).toHaveCount(0);
});

test('13.9 "someone is writing" shows where the comment will land and goes as soon as it arrives', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Who is writing');
  const ann = await openReader(url);
  const article = new ArticlePage(ann);
  await postComment(ann, { name: 'Ann', body: 'Ann asks a question' });
  const bob = await openReader(url);

  // Bob starts a new top-level comment: Ann hears of it above the discussion, not under her own box.
  const bobsBox = bob.locator('form#comment-form');
  await bobsBox.getByLabel('Your name').fill('Bob');
  await bobsBox.getByLabel('Your comment').pressSequentially('A thought of my own');
  const writing = ann.getByText('Someone is writing a comment…');
  await expect(writing).toBeVisible();
  await expect(ann.locator('form#comment-form .typing-notice')).toHaveCount(0);
  await expect(ann.locator('form#comment-form')).not.toContainText('Someone');

  // His comment arrives: the notice goes with it, not seconds later.
  await bobsBox.getByRole('button', { name: 'Post comment' }).click();
  await expect(ann.getByRole('button', { name: '1 new comment' })).toBeVisible();
  await expect(writing).toBeHidden({ timeout: 1000 });

  // A reply: the notice is under the comment answered, and goes when the reply lands there.
  const question = new ArticlePage(bob).comment('Ann asks a question');
  await question.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
  const replyBox = question.locator(':scope > details > form');
  await replyBox.getByLabel('Your name').fill('Bob');
  // Typed at a person's pace: the page signals "typing" once every few seconds.
  await replyBox.getByLabel('Your reply').pressSequentially('Here is my answer to your question', { delay: 120 });
  const replying = article.comment('Ann asks a question').locator(':scope > details > .typing-notice');
  await expect(replying).toHaveText('Someone is replying…');
  await expect(ann.getByText('Someone is writing a comment…')).toHaveCount(0);
  await replyBox.getByRole('button', { name: 'Post reply' }).click();
  await expect(article.comment('Here is my answer')).toBeVisible();
  await expect(replying).toBeHidden({ timeout: 1000 });
});

test('13.10 replies to the reader are grouped in one notice that takes them to each and then goes away', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Replies to Ann');
  const ann = await openReader(url);
  await ann.clock.install();
  const article = new ArticlePage(ann);
  await postComment(ann, { name: 'Ann', body: 'Ann’s opinion' });
  const bob = await openReader(url);
  const carol = await openReader(url);
  await postComment(bob, { name: 'Bob', body: 'Bob disagrees', replyTo: 'Ann’s opinion' });
  await postComment(carol, { name: 'Carol', body: 'Carol agrees', replyTo: 'Ann’s opinion' });
  await postComment(bob, { name: 'Bob', body: 'Bob adds a source', replyTo: 'Ann’s opinion' });

  const notices = ann.getByRole('region', { name: 'Replies to your comments' });
  await expect(notices.locator('.reply-notice')).toHaveCount(1);
  await expect(notices).toContainText('3 replies to your comments');
  await expect(notices).toContainText('Bob and Carol');

  // "View" goes to the first reply; the notice then counts the rest and goes on to the next.
  await notices.getByRole('link', { name: /View/ }).click();
  await expect(article.comment('Bob disagrees')).toBeInViewport();
  await expect(notices).toContainText('2 replies to your comments');
  await notices.getByRole('link', { name: /View/ }).click();
  await expect(article.comment('Carol agrees')).toBeInViewport();
  await expect(notices).toContainText('Bob replied to your comment.');

  // Left alone, it goes after a while.
  await ann.clock.fastForward('02:00');
  await expect(notices.locator('.reply-notice')).toHaveCount(0);

  // A new reply brings it back; Dismiss clears it.
  await postComment(carol, { name: 'Carol', body: 'Carol again', replyTo: 'Ann’s opinion' });
  await expect(notices).toContainText('Carol replied to your comment.');
  await notices.getByRole('button', { name: /Dismiss/ }).click();
  await expect(notices.locator('.reply-notice')).toHaveCount(0);
});

test('13.11 going offline and coming back is said where the reader is, with a way to what they missed', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Offline on the train');
  const ann = await openReader(url);
  await fillThread(ann, 5, 'Earlier');
  const bob = await openReader(url);
  const article = new ArticlePage(bob);
  await expect(bob.locator('.reading-now')).toHaveText('2 reading now');
  const reading = article.comment('Earlier 3');
  await scrollTo(bob, reading);
  const readingAt = (await reading.boundingBox())!.y;

  await bob.context().setOffline(true);
  await expect(bob.locator('.arrivals-status')).toHaveText(/^Offline — you.ll get what you missed/);
  await expect(bob.locator('.arrivals-status')).toBeInViewport();
  await expect(bob.getByRole('status').filter({ hasText: /^Offline — you.ll get what you missed/ })).toHaveCount(1);
  // Saying so does not move the comment being read.
  expect(Math.abs((await reading.boundingBox())!.y - readingAt)).toBeLessThan(2);
  // Nobody is claimed to be reading while the page cannot know.
  await expect(bob.locator('.reading-now')).toBeHidden();

  await postComment(ann, { name: 'Ann', body: 'Missed reply', replyTo: 'Earlier 1' });
  await postComment(ann, { name: 'Ann', body: 'Missed comment one' });
  await postComment(ann, { name: 'Ann', body: 'Missed comment two' });

  await bob.context().setOffline(false);
  const back = bob.getByRole('button', { name: 'Back — 3 new comments' });
  await expect(back).toBeInViewport();
  await expect(bob.locator('.reading-now')).toHaveText('2 reading now');
  await back.click();
  // Taken to the first of them in the page's order (the reply, high up in the thread), all of them shown.
  const reply = article.comment('Missed reply');
  await expect(reply).toBeFocused();
  await expect(reply).toBeInViewport();
  await expect(article.comment('Missed comment one')).toBeVisible();
  await expect(article.comment('Missed comment two')).toBeVisible();
  await expect(back).toHaveCount(0);
});

/** Folds a comment's branch by its header, as a reader clicks it. */
async function fold(article: ArticlePage, text: string): Promise<void> {
  const comment = article.comment(text);
  await article.foldToggle(comment).click();
  await expect(comment.locator(':scope > details')).not.toHaveAttribute('open');
}

test('13.8 going to what arrived inside branches the reader folded opens the folds on the way and focuses it', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Arrivals in folded branches');
  const ann = await openReader(url);
  await fillThread(ann, 3, 'Earlier');
  await postComment(ann, { name: 'Ann', body: 'An aside under the first', replyTo: 'Earlier 1' });
  const bob = await openReader(url);
  const article = new ArticlePage(bob);
  await postComment(bob, { name: 'Bob', body: 'Bob answers the second', replyTo: 'Earlier 2' });
  // Bob folds away what he has read: the aside, then the whole first branch, then the second.
  await fold(article, 'An aside under the first');
  await fold(article, 'Earlier 1');
  await fold(article, 'Earlier 2');

  // While he is offline a reply lands two folds deep.
  await bob.context().setOffline(true);
  await expect(bob.locator('.arrivals-status')).toHaveText(/^Offline/);
  await postComment(ann, { name: 'Ann', body: 'Missed inside the folds', replyTo: 'An aside under the first' });
  await bob.context().setOffline(false);
  await bob.getByRole('button', { name: 'Back — 1 new comment' }).click();
  const missed = article.comment('Missed inside the folds');
  await expect(missed).toBeVisible();
  await expect(missed).toBeFocused();
  await expect(missed).toBeInViewport();
  // The folds he did not pass through stay as he left them.
  await expect(article.comment('Earlier 2').locator(':scope > details')).not.toHaveAttribute('open');

  // A reply to Bob's comment, inside the branch he folded: "View" opens it and focuses the reply.
  await postComment(ann, { name: 'Ann', body: 'Ann answers Bob in the folded branch', replyTo: 'Bob answers the second' });
  const notices = bob.getByRole('region', { name: 'Replies to your comments' });
  await expect(notices).toContainText('Ann replied to your comment.');
  await notices.getByRole('link', { name: /View/ }).click();
  const answer = article.comment('Ann answers Bob in the folded branch');
  await expect(answer).toBeVisible();
  await expect(answer).toBeFocused();
  await expect(answer).toBeInViewport();
});

test('13.8 a reply notice about a reply nested deeper than the page shows takes the reader to it on its branch page', async ({ openReader, seeded }) => {
  const { url } = await newArticle(seeded, 'Deep replies to Bob');
  const ann = await openReader(url);
  await postComment(ann, { name: 'Ann', body: 'Level 1 of the chain' });
  for (let level = 2; level <= 5; level++) await postComment(ann, { name: 'Ann', body: `Level ${level} of the chain`, replyTo: `Level ${level - 1} of the chain` });
  const bob = await openReader(url);
  const article = new ArticlePage(bob);
  // Bob writes at the deepest level the page nests to: replies to him continue on the branch's own page.
  await postComment(bob, { name: 'Bob', body: 'Bob at the deepest level', replyTo: 'Level 5 of the chain' });
  await postComment(ann, { name: 'Ann', body: 'Ann answers Bob one level deeper', replyTo: 'Bob at the deepest level' });
  const notices = bob.getByRole('region', { name: 'Replies to your comments' });
  await expect(notices).toContainText('Ann replied to your comment.');
  await expect(article.comment('Bob at the deepest level').getByRole('link', { name: /Continue this thread/ })).toBeVisible();
  await expect(article.comment('Ann answers Bob')).toHaveCount(0);

  await notices.getByRole('link', { name: /View/ }).click();
  // The branch page of Bob's comment: his comment, and the reply under it on screen.
  await expect(bob).toHaveURL(/\/comments\/[a-z0-9]+#c-[a-z0-9]+$/);
  const answer = article.comment('Ann answers Bob one level deeper');
  await expect(answer).toBeVisible();
  await expect(answer).toBeInViewport();
  await expect(article.comment('Bob at the deepest level')).toBeVisible();
  await expect(article.replies(article.comment('Bob at the deepest level'))).toContainText('Ann answers Bob one level deeper');
});
