import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';

/** One script the page downloaded. */
export interface ScriptLoad {
  url: string;
  rawBytes: number;
  /** zlib gzip at level 9, of the bytes as served before any transfer encoding. */
  gzipBytes: number;
}

export interface PageScripts {
  url: string;
  /** Every script response of the first view, each address once, biggest first. */
  scripts: ScriptLoad[];
  /** Inline `<script>` text (Next.js's page payload): data for the page, not counted in the budget, shown for context. */
  inlineBytes: number;
}

/** What shows that the page is live: its socket is connected (app/components/live/DiscussionHeader.tsx). */
const LIVE = '.connection-live';

export const gzipSize = (bytes: Buffer): number => zlib.gzipSync(bytes, { level: 9 }).length;

/**
 * Opens `url` as a first-time reader (a fresh browser context: no cache, no cookies) and records
 * every script the browser downloads until the page is live and the network has been idle for
 * 500 ms: the chunks named in the HTML, those they load, and any loaded on the way to live.
 */
export async function measurePageScripts(browser: Browser, url: string, options: { timeoutMs?: number } = {}): Promise<PageScripts> {
  const timeout = options.timeoutMs ?? 30_000;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies = new Map<string, Promise<Buffer>>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script' && !bodies.has(response.url())) bodies.set(response.url(), response.body());
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(url, { timeout });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status() ?? 'nothing'}`);
    try {
      await page.locator(LIVE).waitFor({ timeout });
    } catch {
      throw new Error(`${url} did not go live (no ${LIVE}) within ${timeout} ms${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`);
    }
    await page.waitForLoadState('networkidle', { timeout });
    const inlineBytes = await page.evaluate(() =>
      [...document.querySelectorAll('script:not([src])')].reduce((sum, script) => sum + new TextEncoder().encode(script.textContent ?? '').length, 0),
    );
    const scripts: ScriptLoad[] = [];
    for (const [scriptUrl, body] of bodies) {
      const bytes = await body;
      scripts.push({ url: scriptUrl, rawBytes: bytes.length, gzipBytes: gzipSize(bytes) });
    }
    scripts.sort((a, b) => b.gzipBytes - a.gzipBytes);
    return { url, scripts, inlineBytes };
  } finally {
    await context.close();
  }
}
