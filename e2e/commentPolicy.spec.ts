import { expect } from '@playwright/test';
import path from 'node:path';
import { test } from './fixtures';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * The comment policy is shown before anyone types (lib/domain/commentPolicy.ts): on a site that takes
 * comments from signed-in readers only (COMMENT_POLICY=accounts), a guest finds "Sign in to comment"
 * where the comment box would be, with JavaScript and without.
 */
const accounts = test.extend<object, { accountsOnly: ServerProcess & { slug: string } }>({
  accountsOnly: [
    async ({}, use) => {
      // The small seed folder: a start that imports little, on a machine that may be busy.
      const server = await startServer({ seedsDir: path.join(__dirname, 'fixtures', 'seeds'), env: { COMMENT_POLICY: 'accounts' } });
      await use({ ...server, slug: await createThread(server, 'Signed-in readers only') });
      await server.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});

for (const javaScriptEnabled of [true, false]) {
  accounts(`under 'accounts' a guest is asked to sign in before typing (${javaScriptEnabled ? 'live page' : 'no JavaScript'})`, async ({ accountsOnly, openReader }) => {
    const page = await openReader(`${accountsOnly.baseUrl}/articles/${accountsOnly.slug}`, { javaScriptEnabled });
    const prompt = page.getByTestId('sign-in-to-comment');
    await expect(prompt).toBeVisible();
    const link = prompt.getByRole('link', { name: 'Sign in to comment' });
    await expect(link).toHaveAttribute('href', `/signin?next=${encodeURIComponent(`/articles/${accountsOnly.slug}`)}`);
    // No comment box to type into.
    await expect(page.locator('#comment-form textarea, form[action$="/comments"] textarea')).toHaveCount(0);
  });
}
