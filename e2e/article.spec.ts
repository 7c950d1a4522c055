import { expect, SEED_SLUG, SEED_TITLE, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the seeded article, JavaScript ${javaScriptEnabled ? 'enabled' : 'disabled'}`, () => {
    test.use({ javaScriptEnabled });

    test('a fresh start lists the seeded article with its comment count', async ({ page, seeded }) => {
      await page.goto(seeded.baseUrl);
      // Other tests on this server may have opened threads of their own: the seeded one is listed once.
      const item = page.locator('.article-list-item').filter({ hasText: SEED_TITLE });
      await expect(item).toHaveCount(1);
      await expect(item.getByRole('link')).toHaveText(SEED_TITLE);
      await expect(item).toContainText('24 comments');
      await expect(item).toContainText('Closed');
      await item.getByRole('link').click();
      await expect(page).toHaveURL(new RegExp(`/articles/${SEED_SLUG}$`));
    });

    test('shows the article, its whole nested thread and the locked banner', async ({ page, seeded }) => {
      const article = new ArticlePage(page);
      await article.goto(seeded.baseUrl, SEED_SLUG);
      await expect(article.title).toHaveText(SEED_TITLE);
      await expect(article.storyParagraphs).toHaveCount(11);
      await expect(article.commentsHeading).toHaveText('24 comments');
      await expect(article.lockedBanner).toBeVisible();
      await expect(article.lockedBanner).toContainText('Comments are closed.');

      await expect(article.comments).toHaveCount(29);
      await expect(article.topLevelComments()).toHaveCount(7);
      await expect(page.locator('article.comment-unavailable')).toHaveCount(5);
      await expect(page.locator('article.comment-unavailable').first()).toContainText('This comment is unavailable.');

      // Nesting: "The only person I know" sits five levels deep, under a placeholder.
      const deep = article.comment('The only person I know');
      await expect(deep).toHaveAttribute('data-depth', '5');
      await expect(deep.locator('xpath=ancestor::article[contains(@class, "comment")]')).toHaveCount(4);

      // A list inside a comment body is a list, not replies.
      const withList = article.comment('LOL…you will');
      await expect(withList.locator(':scope > details > .comment-body ol > li')).toHaveCount(10);
      await expect(article.replies(withList)).toHaveCount(0);

      // Each comment has a permalink anchor and an author label; seeded comments have no date.
      const first = article.topLevelComments().first();
      const id = await first.getAttribute('id');
      expect(id).toMatch(/^c-[a-z0-9]+$/);
      await expect(first.locator('a.permalink')).toHaveAttribute('href', `#${id}`);
      await expect(first.locator('.comment-author').first()).toHaveText('Anonymous');
      await expect(first.locator('time')).toHaveCount(0);
    });

    test('a branch collapses and expands', async ({ page, seeded }) => {
      const article = new ArticlePage(page);
      await article.goto(seeded.baseUrl, SEED_SLUG);
      const branch = article.comment('Yea, let’s make America sane');
      const reply = article.comment('I’ll second that');
      await expect(reply).toBeVisible();
      await article.foldToggle(branch).click();
      await expect(reply).toBeHidden();
      await expect(branch.locator(':scope > details > summary .fold-count')).toHaveText('8 replies hidden');
      await article.foldToggle(branch).click();
      await expect(reply).toBeVisible();
    });

    test('top-level comments sort newest first', async ({ page, seeded }) => {
      const article = new ArticlePage(page);
      await article.goto(seeded.baseUrl, SEED_SLUG);
      await page.getByRole('link', { name: 'Newest first' }).click();
      await expect(page).toHaveURL(/sort=newest/);
      await expect(article.topLevelComments().first()).toContainText('The pathetic little piss pot');
      await expect(page.getByRole('link', { name: 'Newest first' })).toHaveAttribute('aria-current', 'true');
      await page.getByRole('link', { name: 'Oldest first' }).click();
      await expect(article.topLevelComments().first()).toContainText('Sessions was not a great senator');
    });
  });
}

test('deep branches continue on a page rooted at the last comment shown', async ({ page, deep }) => {
  const article = new ArticlePage(page);
  await article.goto(deep.baseUrl, 'a-deep-discussion');
  await expect(article.comments).toHaveCount(7);
  await expect(article.comment('Level six')).toBeVisible();
  await expect(article.comment('Level seven')).toHaveCount(0);
  await page.getByRole('link', { name: /Continue this thread \(3 replies\)/ }).click();
  await expect(page).toHaveURL(/\/articles\/a-deep-discussion\/comments\/[a-z0-9]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A branch of the discussion');
  await expect(article.topLevelComments()).toHaveCount(1);
  await expect(article.topLevelComments().first()).toContainText('Level six');
  await expect(article.comment('Level nine')).toBeVisible();
  await page.getByRole('link', { name: '↑ Parent comment' }).click();
  await expect(article.topLevelComments().first()).toContainText('Level five');
});

test('an unknown article is a 404 page', async ({ page, seeded }) => {
  const response = await page.goto(`${seeded.baseUrl}/articles/no-such-article`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
});

test('a phone-sized screen fits the thread without sideways scrolling', async ({ page, seeded }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const article = new ArticlePage(page);
  await article.goto(seeded.baseUrl, SEED_SLUG);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the page hydrates and goes live without a console error', async ({ page, seeded }) => {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const article = new ArticlePage(page);
  await article.goto(seeded.baseUrl, SEED_SLUG);
  await expect(page.locator('.connection')).toHaveText(/Live/);
  await expect(page.locator('.reading-now')).toHaveText(/reading now/);
  expect(problems).toEqual([]);
});
