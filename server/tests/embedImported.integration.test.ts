import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importFile } from '../../lib/import/importFile';
import { createServices, type Services } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { createApp, type App } from '../app';
import { silentLogger } from '../log';
import { TEST_SESSION_SECRET } from '../testing/nodes';

const FIXTURE = path.join(import.meta.dirname, '..', '..', 'lib', 'import', 'fixtures', 'disqus-non-latin.xml');
/** The article of the imported thread `budget-2019` (its Disqus `<link>`). */
const BUDGET = 'https://zh.example/2019/05/%E9%A2%84%E7%AE%97/';

/**
 * An embed that names a slug no thread has, on the page of an imported thread's article, shows that
 * thread (server/embed/embedGate.ts, docs/embed.md "Threads imported from Disqus or WordPress"), on
 * both ways a page is served: through the shared page cache and straight from the page handler.
 */
for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the embed finds an imported thread by its article's address (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    let services: Services;
    const apps: { name: string; app: App; baseUrl: string }[] = [];

    /** Stands in for Next.js: the thread's slug for a thread readers may see, else a 404. */
    async function standIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const slug = decodeURIComponent(/^\/embed\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
      const thread = await store.findThreadRowBySlug(slug);
      res.setHeader('cache-control', 'private, no-cache, no-store, max-age=0, must-revalidate');
      if (!thread || thread.hidden) {
        res.statusCode = 404;
        return void res.end('no discussion');
      }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<p data-seq="${thread.seq}">thread ${thread.slug}</p>`);
    }

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      services = createServices({ store, sessionSecret: TEST_SESSION_SECRET, rateLimits: false });
      for (const [name, pageHtmlCacheMb] of [
        ['cached', 8],
        ['uncached', 0],
      ] as const) {
        const app = createApp({ services, log: silentLogger, pageHandler: standIn, pageHtmlCacheMb, edge: { embedOrigins: ['https://zh.example'] } });
        const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
        apps.push({ name, app, baseUrl: `http://127.0.0.1:${port}` });
      }
      const report = await importFile({ store, format: 'disqus', file: FIXTURE });
      assert.equal(report.threads.created, 5);
    });

    after(async () => {
      for (const { app } of apps) await app.close();
      await services.close();
      await store.close();
      await db.cleanup();
    });

    const embed = (baseUrl: string, slug: string, url: string) => fetch(`${baseUrl}/embed/${slug}?${new URLSearchParams({ url, theme: 'dark' }).toString()}`, { redirect: 'manual' });

    test('an unknown slug on an imported article is sent to its thread, with the same query; the thread shows there', async () => {
      for (const { name, baseUrl } of apps) {
        const res = await embed(baseUrl, 'old-cms-slug', BUDGET);
        assert.equal(res.status, 302, name);
        assert.equal(res.headers.get('location'), `/embed/budget-2019?${new URLSearchParams({ url: BUDGET, theme: 'dark' }).toString()}`, name);
        assert.equal(res.headers.get('cache-control'), 'no-store', name);
        const shown = await fetch(`${baseUrl}${res.headers.get('location')}`);
        assert.equal(shown.status, 200, name);
        assert.match(await shown.text(), /thread budget-2019/, name);
      }
    });

    test('the address is matched across http and https, www., a trailing slash and tracking parameters, not across other parameters', async () => {
      const { baseUrl } = apps[0]!;
      const to = async (url: string) => (await embed(baseUrl, 'unknown-slug', url)).headers.get('location')?.split('?')[0] ?? null;
      assert.equal(await to('http://zh.example/2019/05/%E9%A2%84%E7%AE%97?utm_source=newsletter&fbclid=x'), '/embed/budget-2019');
      assert.equal(await to('https://www.zh.example/archives/4711/#comments'), '/embed/4711');
      assert.equal(await to('https://zh.example/archives/4711?page=2'), null);
      assert.equal(await to('https://zh.example/archives/4712'), null);
    });

    test('never a hidden thread, never a thread an embed opened for its page, and a known slug is never moved', async () => {
      for (const { name, baseUrl } of apps) {
        const hidden = await store.findThreadRowBySlug('harbour-opens');
        await store.updateThread({ threadId: hidden!.id, changes: { hidden: true } });
        const toHidden = await embed(baseUrl, `asks-for-hidden-${name}`, 'https://zh.example/news/harbour-opens.html');
        assert.equal(toHidden.status, 404, `${name}: a hidden thread is not shown`);
        await store.updateThread({ threadId: hidden!.id, changes: { hidden: false } });

        // Opened by an embed for its page (no source): another slug on the same page is another discussion.
        await store.createThread({ slug: `live-${name}`, title: 'Live', articleUrl: `https://zh.example/live-${name}/` });
        assert.equal((await embed(baseUrl, `second-discussion-${name}`, `https://zh.example/live-${name}/`)).status, 404, name);

        const known = await embed(baseUrl, '4711', BUDGET);
        assert.equal(known.status, 200, `${name}: a slug that has its thread shows it`);
        assert.match(await known.text(), /thread 4711/);
      }
    });
  });
}
