import { chromium } from 'playwright-core';
import playwrightConfig from '../../e2e/playwright.config';
import { createThread, startServer } from '../../e2e/serverProcess';

async function post(base: string, slug: string, body: string, parentId: string | null = null): Promise<string> {
  const res = await fetch(`${base}/api/threads/${slug}/comments`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ body, authorName: 'Wire', parentId }) });
  const json = (await res.json()) as { comment: { id: string } };
  return json.comment.id;
}

async function main() {
  const server = await startServer({ env: { RATE_LIMITS: 'off' } });
  const browser = await chromium.launch({ ...playwrightConfig.use!.launchOptions, headless: true });
  const slug = createThread(server, 'Shifts');
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await post(server.baseUrl, slug, `Comment ${i}\n\nwith a second paragraph`));
  for (const mode of ['quiet', 'updates']) for (const p of [`/articles/${slug}`, `/embed/${slug}`]) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      (window as any).__shifts = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries() as any[]) (window as any).__shifts.push({ value: +e.value.toFixed(4), t: Math.round(e.startTime), input: e.hadRecentInput, sources: (e.sources ?? []).map((s: any) => `${s.node?.nodeName}.${s.node?.className ?? ''} ${JSON.stringify(s.previousRect?.y)}→${JSON.stringify(s.currentRect?.y)}`) }); }).observe({ type: 'layout-shift', buffered: true });
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/_islands/thread-*.js', async (route) => { await held; await route.continue(); });
    await page.goto(server.baseUrl + p + '#comments', { waitUntil: 'commit' });
    await page.locator('[data-island=thread] .comment').first().waitFor();
    if (mode === 'updates') {
      await post(server.baseUrl, slug, 'A reply while loading', ids[0]);
      await post(server.baseUrl, slug, 'Another reply while loading', ids[1]);
      await post(server.baseUrl, slug, 'A new top-level comment while loading');
    }
    release();
    await page.locator('.connection-live').waitFor();
    await page.waitForLoadState('networkidle');
    console.log(mode, p, JSON.stringify(await page.evaluate(() => (window as any).__shifts), null, 0));
    await context.close();
  }
  await browser.close(); await server.stop();
}
void main();
