import { expect } from '@playwright/test';
import { test, SEED_SLUG } from './fixtures';
import { startServer, type ServerProcess } from './serverProcess';

/**
 * The comment policy is shown before anyone types (lib/domain/commentPolicy.ts): on a site that takes
 * comments from signed-in readers only (COMMENT_POLICY=accounts), a guest finds "Sign in to comment"
 * where the comment box would be, with JavaScript and without.
 */
const accounts = test.extend<object, { accountsOnly: ServerProcess }>({
  accountsOnly: [
    async ({}, use) => {
      const server = await startServer({ env: { COMMENT_POLICY: 'accounts' } });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

for (const javaScriptEnabled of [true, false]) {
  accounts(`under 'accounts' a guest is asked to sign in before typing (${javaScriptEnabled ? 'live page' : 'no JavaScript'})`, async ({ accountsOnly, openReader }) => {
    const page = await openReader(`${accountsOnly.baseUrl}/articles/${SEED_SLUG}`, { javaScriptEnabled });
    const prompt = page.getByTestId('sign-in-to-comment');
    await expect(prompt).toBeVisible();
    const link = prompt.getByRole('link', { name: 'Sign in to comment' });
    await expect(link).toHaveAttribute('href', `/signin?next=${encodeURIComponent(`/articles/${SEED_SLUG}`)}`);
    // No comment box to type into.
    await expect(page.locator('#comment-form textarea, form[action$="/comments"] textarea')).toHaveCount(0);
  });
}
