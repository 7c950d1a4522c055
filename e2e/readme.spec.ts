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
  const { slug, url } = await newArticle(seeded, 'Picks for the README');
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

/**
 * The moderators' pulse, with the figures of a busy hour. A live server's figures cannot make a
 * picture that stays the same (its clock moves the hour's columns and the times), so the page is
 * opened as a moderator opens it and its first refresh is answered with these fixed figures: the
 * picture is the dashboard's own rendering of them. The figures themselves are tested against the
 * database in server/tests/pulse.integration.test.ts, and live across two nodes in e2e/pulse.spec.ts.
 */
const BUSY_HOUR = {
  thread: null,
  at: '2026-12-06T09:41:00.000Z',
  hours: 24,
  perMinute: Array.from({ length: 60 }, (_, i) => ({
    minute: `2026-12-06T${String(8 + Math.floor((42 + i) / 60)).padStart(2, '0')}:${String((42 + i) % 60).padStart(2, '0')}`,
    comments: Math.round(6 + 5 * Math.sin(i / 6) + (i > 40 ? (i - 40) * 1.2 : 0) + ((i * 7) % 5)),
  })),
  comments: 1873,
  readersNow: 2416,
  waiting: { held: 7, reported: 3 },
  decisions: 64,
  medianDecisionSeconds: 138,
  rejectedShare: 0.23,
  topThreads: [
    { slug: 'budget-vote', title: 'Council passes the budget after a night of talks', events: 612, comments: 388 },
    { slug: 'storm-warning', title: 'Storm warning for the coast: what to expect tonight', events: 421, comments: 250 },
    { slug: 'stadium-plan', title: 'The new stadium plan, explained', events: 240, comments: 131 },
    { slug: 'school-meals', title: 'Free school meals from September', events: 118, comments: 77 },
    { slug: 'cycle-lanes', title: 'Cycle lanes on the high street stay', events: 64, comments: 30 },
  ],
  topCommenters: [
    { personId: 'p1', name: 'Mara K.', comments: 23 },
    { personId: 'p2', name: 'jonas_h', comments: 19 },
    { personId: 'p3', name: 'Ruth', comments: 14 },
    { personId: 'p4', name: null, comments: 11 },
    { personId: 'p5', name: 'T. Osei', comments: 9 },
  ],
};

test('README screenshot of the moderators’ pulse', async ({ openStaff, seeded }) => {
  const page = await openStaff(seeded, `${seeded.baseUrl}/moderate/pulse`);
  await page.setViewportSize({ width: 1100, height: 1100 });
  await page.route('**/api/moderation/pulse*', (route) => route.fulfill({ json: BUSY_HOUR }));
  await expect(page.locator('.pulse')).toHaveAttribute('data-updated', BUSY_HOUR.at, { timeout: 15_000 });
  await expect(page.locator('[data-figure="readers"] .pulse-stat-value')).toHaveText('2,416');
  await expect(page, STALE).toHaveScreenshot('pulse.png', { maxDiffPixelRatio: 0.002, caret: 'hide' });
});
