import { expect, test } from './fixtures';
import { createThread } from './serverProcess';

/** A German-speaking reader (Accept-Language from the browser's locale) gets the page in German. */
test.use({ locale: 'de-DE' });

test('the article, its comment box and relative times speak the reader’s language; <html lang> says which', async ({ page, seeded }) => {
  const slug = await createThread(seeded, 'Eine Diskussion');
  await page.goto(`${seeded.baseUrl}/articles/${slug}`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.locator('.connection')).toHaveText(/Live/);
  await expect(page.locator('#comments-heading')).toHaveText('0 Kommentare');
  await expect(page.getByText('Noch keine Kommentare. Beginnen Sie die Diskussion.')).toBeVisible();

  const form = page.getByRole('form', { name: 'Kommentar schreiben' });
  await form.getByLabel('Ihr Name').fill('Anna');
  await form.getByLabel('Ihr Kommentar').fill('Guten Tag');
  await form.getByRole('button', { name: 'Kommentar senden' }).click();
  const comment = page.locator('article.comment', { hasText: 'Guten Tag' });
  await expect(comment).toHaveAttribute('aria-label', 'Kommentar von Anna');
  await expect(comment.locator('.comment-time')).toHaveText('gerade eben');
  await expect(page.locator('#comments-heading')).toHaveText('1 Kommentar');
  await expect(comment.getByRole('link', { name: 'Antworten' })).toBeVisible();
});

test('the sign-in page and a refused sign-in, translated by the error code', async ({ page, seeded }) => {
  await page.goto(`${seeded.baseUrl}/login`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
  await page.getByLabel('Benutzername').fill('nobody');
  await page.getByLabel('Passwort').fill('not the password');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.locator('.form-error')).toHaveText('Benutzername und Passwort passen nicht zusammen.');
});
