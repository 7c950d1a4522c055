import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Features `comment` from a moderator's page (issue 19.1): "Feature", the optional note, "Feature as a
 * pick". The first click may land while the staff controls are still settling on a page that just went
 * live (the viewer's read re-renders them): it is clicked again until the note's form is open.
 */
export async function featureComment(page: Page, comment: Locator, note?: string): Promise<void> {
  const send = page.getByRole('button', { name: 'Feature as a pick' });
  await expect(async () => {
    if (!(await send.isVisible())) await comment.getByRole('button', { name: 'Feature', exact: true }).click();
    await expect(send).toBeVisible({ timeout: 2_000 });
  }).toPass();
  if (note !== undefined) await page.getByLabel('Note for the pick (optional, one line)').fill(note);
  await send.click();
  await expect(comment.getByRole('button', { name: 'Unfeature' })).toBeVisible();
}
