/**
 * `npm run budget:js`: how much script the article page and the embed page make a first-time
 * reader download, against their budgets (./budgets.ts). Starts the built server as `npm start`
 * does (building what is stale) on a free port with the seed folder, opens each page on the
 * seeded thread in Debian's Chromium until it is live, and sums the gzipped size of every script
 * response (./measure.ts). Exits 1 when a page is over its budget.
 *
 *   --report <file>  also write the verdicts as JSON (npm test reads them)
 *   --by-source      split each page's bytes by package and folder, from the chunks' source maps
 *                    (build with BUNDLE_SOURCE_MAPS=1 first; see docs/benchmarks.md)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import playwrightConfig from '../../e2e/playwright.config';
import { ISLANDS_DIR } from '../../server/build/islands';
import { ISLANDS_PATH } from '../../server/http/islandAssets';
import { ROOT, startServer } from '../../e2e/serverProcess';
import { runScript } from '../runScript';
import { JS_BUDGETS, KB } from './budgets';
import { measurePageScripts, type PageScripts } from './measure';
import { charactersBySource, sourceGroup, type SourceMapV3 } from './sourceBreakdown';
import { judgePage, type PageVerdict } from './verdict';

/** The seeded thread with the most comments: the page a reader of the seed opens. */
async function seededSlug(baseUrl: string): Promise<string> {
  const { threads } = (await (await fetch(`${baseUrl}/api/threads`)).json()) as { threads: { slug: string; commentCount: number }[] };
  const biggest = [...threads].sort((a, b) => b.commentCount - a.commentCount)[0];
  if (!biggest) throw new Error('the seeded server has no thread');
  return biggest.slug;
}

/** Where a served script was built: Next.js's chunks in .next, the islands in dist/islands. */
function builtFile(pathname: string): string | null {
  if (pathname.startsWith('/_next/')) return path.join(ROOT, '.next', pathname.slice('/_next/'.length));
  if (pathname.startsWith(ISLANDS_PATH)) return path.join(ROOT, ISLANDS_DIR, pathname.slice(ISLANDS_PATH.length));
  return null;
}

/** Gzipped bytes per package or folder of ours, over the page's scripts that have a source map. */
function breakdown(measured: PageScripts): { lines: string[] } {
  const groups = new Map<string, number>();
  const unmapped: string[] = [];
  for (const script of measured.scripts) {
    const pathname = new URL(script.url).pathname;
    const file = builtFile(pathname);
    const code = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    // The map's name is not the chunk's: the chunk's last line names it.
    const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
    if (!file || !mapName) {
      unmapped.push(pathname);
      continue;
    }
    const map = JSON.parse(fs.readFileSync(path.join(path.dirname(file), mapName), 'utf8')) as SourceMapV3;
    for (const [source, n] of charactersBySource(code, map)) {
      const group = sourceGroup(source);
      groups.set(group, (groups.get(group) ?? 0) + (script.gzipBytes * n) / code.length);
    }
  }
  const lines = [...groups].sort((a, b) => b[1] - a[1]).map(([group, bytes]) => `    ${`${(bytes / KB).toFixed(1)} KB`.padStart(9)} gz ≈  ${group}`);
  if (unmapped.length > 0) lines.push(`    (no source map: ${unmapped.join(', ')})`);
  return { lines };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { report: { type: 'string' }, 'by-source': { type: 'boolean' } } });
  const server = await startServer({ seedsDir: path.join(ROOT, 'seeds') });
  const { launchOptions } = playwrightConfig.use ?? {};
  const browser = await chromium.launch({ ...launchOptions, headless: true });
  try {
    const slug = await seededSlug(server.baseUrl);
    const verdicts: PageVerdict[] = [];
    for (const budget of JS_BUDGETS) {
      const measured = await measurePageScripts(browser, `${server.baseUrl}${budget.path(slug)}`);
      const verdict = judgePage(budget, measured);
      verdicts.push(verdict);
      console.log(verdict.lines.join('\n'));
      if (values['by-source']) console.log(['  by package or folder (gzip share estimated from characters):', ...breakdown(measured).lines].join('\n'));
    }
    if (values.report) {
      fs.mkdirSync(path.dirname(values.report), { recursive: true });
      fs.writeFileSync(values.report, `${JSON.stringify(verdicts.map(({ lines: _lines, ...rest }) => rest), null, 2)}\n`);
    }
    return verdicts.every((v) => v.withinBudget) ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

runScript('budget:js', main);
