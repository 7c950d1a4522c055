/**
 * `tsx bench/render/islandCpu.ts <page URL> [renders]`: the CPU one server render of a reader page's thread island
 * costs (react-dom/server's renderToString and the island's JSON, as app/readerPages/renderIsland.tsx does them),
 * on the data the page at that URL carries, with nothing of Next.js, the store or HTTP around it. A profiling aid
 * for bench/render (docs/benchmarks.md, "Server rendering"); run with NODE_ENV=production.
 */
import { bodiesInMarkup, readIslandData } from '../../app/islands/islandData';
import { renderThreadIsland } from '../../app/readerPages/renderIsland';

const WARM_UP = 20;

async function main(): Promise<void> {
  const [url, count = '200'] = process.argv.slice(2);
  if (!url) throw new Error('usage: tsx bench/render/islandCpu.ts <page URL> [renders]');
  const html = await (await fetch(url)).text();
  const json = /<script type="application\/json" id="threadline-island">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`${url}: no thread island in the page`);
  const bodies = bodiesInMarkup(html);
  const data = readIslandData(json, (id) => bodies.get(id));
  for (let i = 0; i < WARM_UP; i++) renderThreadIsland(data);
  const renders = Number(count);
  const start = process.cpuUsage();
  let size = 0;
  for (let i = 0; i < renders; i++) size = renderThreadIsland(data).html.length;
  const used = process.cpuUsage(start);
  console.log(`${data.thread.comments.length} comments, ${Math.round(size / 1024)} KiB of HTML: ${((used.user + used.system) / 1000 / renders).toFixed(2)} ms CPU per render (${renders} renders)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
