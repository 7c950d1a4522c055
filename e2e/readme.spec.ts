import { expect, SEED_SLUG, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

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
