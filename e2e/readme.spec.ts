import { expect, newArticle, postOverApi, SEED_SLUG, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { featureComment } from './pages/picks';

/**
 * The README's pictures are this suite's screenshot assertions: each run
 * compares the page with docs/screenshots/<name>.png (snapshotPathTemplate in
 * playwright.config.ts) and fails when they differ, so a picture cannot go
 * stale. After a deliberate change to the page: `npm run screenshots`, look at
 * the new pictures, commit them.
 */
const STALE = 'The README screenshot differs from the page: if the change is intended, run `npm run screenshots` and commit docs/screenshots';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`README screenshot of the seeded article (${colorScheme})`, async ({ page, seeded }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1100, height: 1400 });
    const article = new ArticlePage(page);
    await article.goto(seeded.baseUrl, SEED_SLUG, '#comments');
    await expect(article.lockedBanner).toBeVisible();
    await expect(page.locator('.connection')).toHaveText(/Live/);
    // Readers of other tests on this server may still be leaving: the picture shows one reader.
    await expect(page.locator('.reading-now')).toHaveText('1 reading now');
    await expect(page, STALE).toHaveScreenshot(colorScheme === 'light' ? 'article.png' : 'article-dark.png', {
      // The same Chromium renders the same pixels; the tolerance only absorbs anti-aliasing noise.
      maxDiffPixelRatio: 0.002,
      caret: 'hide',
    });
  });
}

test('README screenshot of the Picks strip (a thread of its own: the seeded article stays as the seed has it)', async ({ browser, openStaff, seeded }) => {
  const { slug, url } = newArticle(seeded, 'Picks for the README');
  await postOverApi(seeded.baseUrl, slug, { body: 'The council should publish the full budget before the vote, not after: **voters need the numbers** to judge it.', authorName: 'Maria Keller' });
  await postOverApi(seeded.baseUrl, slug, { body: 'I was at the hearing. The figures quoted in the article match what was said there.', authorName: 'Tom Reyes' });
  const moderator = await openStaff(seeded, url);
  for (const [body, note] of [
    ['I was at the hearing.', 'An eyewitness account'],
    ['The council should publish', 'The question readers asked most'],
  ] as const) {
    await featureComment(moderator, new ArticlePage(moderator).comment(body), note);
    await expect(moderator.locator('.pick-note', { hasText: note })).toBeVisible();
  }
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const strip = page.getByRole('region', { name: 'Editors’ picks' });
    await expect(strip.locator('.featured-comment')).toHaveCount(2);
    await expect(strip, STALE).toHaveScreenshot('picks.png', { maxDiffPixelRatio: 0.002, caret: 'hide' });
  } finally {
    await context.close();
  }
});
