import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';

/** The smallest phones: 320 CSS px wide, no sideways scrolling, deep replies still readable, tap targets ≥ 24 px. */
test.use({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth);
}

test('a deeply nested thread fits 320 px, replies keep room for their text, and tap targets are at least 24 px', async ({ page, deep }) => {
  const article = new ArticlePage(page);
  await article.goto(deep.baseUrl, 'a-deep-discussion');
  await expect(page.locator('.connection')).toHaveText(/Live/);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

  // The deepest reply on the page still has most of the screen for its text.
  const deepest = article.comment('Level six').locator(':scope > details > .comment-body');
  const box = (await deepest.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(200);

  // A reply box opened at that depth fits too.
  await article.comment('Level six').locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
  await expect(page.getByLabel('Your reply')).toBeFocused();
  expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

  const small = await page.locator('.comment-actions a, .comment-actions button, .permalink, .sort-link, .continue-thread a, .comment-header').evaluateAll((els) =>
    els
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ text: el.textContent?.trim().slice(0, 30), ...el.getBoundingClientRect().toJSON() }) as { text: string; width: number; height: number })
      .filter((r) => r.width < 24 || r.height < 24),
  );
  expect(small).toEqual([]);

  // And the branch page the thread continues on.
  await page.getByRole('link', { name: /Continue this thread/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A branch of the discussion');
  expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
});

test('with reduced motion, a comment that arrives is marked without an animation', async ({ page, deep }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await new ArticlePage(page).goto(deep.baseUrl, 'a-deep-discussion');
  const animated = await page.evaluate(() => {
    const el = document.createElement('article');
    el.className = 'comment comment-fresh';
    el.innerHTML = '<details class="comment-fold" open><summary class="comment-header">x</summary><div class="comment-body">y</div></details>';
    document.querySelector('ol.thread')!.append(el);
    const names = [getComputedStyle(el.querySelector('.comment-header')!).animationName, getComputedStyle(el.querySelector('.comment-body')!).animationName];
    el.remove();
    return names;
  });
  expect(animated).toEqual(['none', 'none']);
});
