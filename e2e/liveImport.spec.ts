import path from 'node:path';
import { runImportProcess, writeDisqusExport } from '../server/testing/importProcess';
import { expect, newArticle, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 18: `npm run import` into a thread a reader has open, from its own process, as a newsroom
 * moving in runs it beside the live site. The server's seq heartbeat is an hour away
 * (TEST_SEQ_SYNC_MS), so only the server noticing the other process's commit can bring the
 * comments to the page. A server of this file's own, for that setting.
 */
let server: ServerProcess;

test.beforeAll(async () => {
  server = await startServer({ env: { TEST_SEQ_SYNC_MS: '3600000' } });
});

test.afterAll(async () => {
  await server.stop();
});

test('18 comments imported into a thread a reader has open appear on the page without a reload, in their places', async ({ openReader }) => {
  const { slug, url } = await newArticle(server, 'An article with a past');
  const reader = await openReader(url);
  const article = new ArticlePage(reader);
  await expect(article.comments).toHaveCount(0);

  const file = writeDisqusExport({
    file: path.join(server.dataDir, 'old-comments.xml'),
    slug,
    comments: [
      { id: '1', author: 'Archivist', text: 'Written on the old system' },
      { id: '2', parent: '1', author: 'Historian', text: 'A reply from the old system' },
    ],
  });
  const run = await runImportProcess({ target: { databaseUrl: undefined, dataDir: server.dataDir }, file });
  expect(run.code, run.output).toBe(0);

  // As comments posted meanwhile arrive (arrivals.spec.ts): counted at once, shown behind the pill.
  await expect(article.commentsHeading).toHaveText('2 comments');
  await reader.getByRole('button', { name: '1 new comment' }).click();
  const first = article.comment('Written on the old system');
  await expect(first).toBeVisible();
  await expect(article.replies(first)).toHaveCount(1);
  await expect(article.replies(first).first()).toContainText('A reply from the old system');
  await expect(reader.locator('.connection')).toHaveText(/Live/);
});
