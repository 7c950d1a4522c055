import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { compileIslands, ISLAND_ENTRIES, type IslandsMetafile } from './islands';

/**
 * What a reader's browser loads on first view of a reader page: the thread entry and the chunks it
 * imports at once (the chunks behind `import()` only when asked), with the page's locale's words.
 * Issue 15: no zod, no markdown renderer, no moderator's controls in it. The e2e budget (npm test's
 * JavaScript budget) weighs it; this says, without a browser, what must never be in it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const catalog = (locale: string) => `app/i18n/messages/${locale}.ts`;

/**
 * The output files a first view loads from `entry`: it, what it imports once the page has painted (its own
 * `import()`: app/islands/thread.tsx), the catalog of the page's `locale` (preloaded by the page beside it:
 * app/i18n/catalogs.islands.ts), and their static imports, transitively. Other `import()`s (a moderator's
 * chunks, another locale's words) load only when asked.
 */
function firstView(metafile: IslandsMetafile, entry: string, locale: string): Set<string> {
  const output = (source: string) => Object.keys(metafile.outputs).find((file) => metafile.outputs[file]!.entryPoint === source);
  const start = output(entry);
  const words = output(catalog(locale));
  assert.ok(start, `no output for ${entry}`);
  assert.ok(words, `no chunk of its own for ${catalog(locale)}`);
  const seen = new Set<string>();
  const queue = [start, words];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file]!.imports) {
      const loads = imported.kind === 'import-statement' || (imported.kind === 'dynamic-import' && file === start);
      if (loads && !imported.external) queue.push(imported.path);
    }
  }
  return seen;
}

const built = (async () => {
  const build = await compileIslands({ dir: ROOT });
  const { outputs } = build.metafile;
  const loaded = firstView(build.metafile, ISLAND_ENTRIES.thread!, 'en');
  const sources = new Set([...loaded].flatMap((file) => Object.keys(outputs[file]!.inputs)));
  return { build, outputs, loaded, sources };
})();

test('the reader pages load neither zod nor the markdown renderer, nor the contract modules built on zod', async () => {
  const { sources } = await built;
  const forbidden = [/node_modules\/zod\//, /node_modules\/markdown-it\//, /node_modules\/linkify-it\//, /^lib\/contract\/(api|errors|socket|zod)\.ts$/, /^lib\/domain\/markdown\.ts$/];
  const found = [...sources].filter((source) => forbidden.some((pattern) => pattern.test(source)));
  assert.deepEqual(found, []);
});

test("a moderator's controls and sign-out are chunks of their own, loaded by moderators alone", async () => {
  const { sources, outputs } = await built;
  const staffOnly = ['app/components/live/ThreadModeration.tsx', 'app/components/live/ModeratorControls.tsx', 'app/components/live/UndoRemove.tsx', 'app/components/staff/SignOutButton.tsx'];
  for (const source of staffOnly) {
    assert.ok(!sources.has(source), `${source} is loaded on every first view`);
    assert.ok(Object.values(outputs).some((output) => output.inputs[source]), `${source} is not in the build at all`);
  }
});

test("the comment box's @ suggestion is a chunk of its own, loaded on the first @ typed", async () => {
  const { sources, outputs } = await built;
  const source = 'app/components/live/MentionSuggest.tsx';
  assert.ok(!sources.has(source), `${source} is loaded on every first view`);
  assert.ok(Object.values(outputs).some((output) => output.inputs[source]), `${source} is not in the build at all`);
  // The server's parser (it needs the markdown renderer) never reaches the page; the box's own detector is small.
  assert.ok(!sources.has('lib/domain/mentions.ts') && !sources.has('lib/domain/mentionText.ts') && !sources.has('lib/contract/mentions.ts'));
});

test("a page loads its own locale's words and no other's: each catalog is a chunk of its own", async () => {
  const { sources, outputs } = await built;
  assert.ok(sources.has(catalog('en')));
  assert.ok(!sources.has(catalog('de')), 'the German words are loaded on an English page');
  const holding = (source: string) => Object.values(outputs).filter((output) => output.inputs[source]);
  assert.equal(holding(catalog('de')).length, 1);
  assert.deepEqual(Object.keys(holding(catalog('de'))[0]!.inputs), [catalog('de')], 'the German chunk holds the German words alone');
});

test('the first view is what React, Socket.IO and the live thread need: under the budget with room to spare', async () => {
  const { build, loaded, sources } = await built;
  const gzipped = build.outputFiles
    .filter((file) => loaded.has(path.relative(ROOT, file.path)))
    .reduce((sum, file) => sum + zlib.gzipSync(file.contents, { level: 9 }).length, 0);
  // The budget is 150 KB (scripts/jsBudget/budgets.ts, measured in a browser): this keeps a sixth of it free.
  // Issue 16 took 5 KB of the room (the comment box's account, the policy's prompt, badges, a ban's reason, and
  // their words); issue 19 took 6 KB in all (the readers' controls 2.2 KB, since every reader may use them; the
  // Picks strip, the Q&A markers and views, and the closing countdown about 1 KB each; and their words). Since
  // each locale's words became a chunk of their own, a page loads one catalog, not every one: 126 KB, from 135.
  // Splitting off the staff's and the account pages' words is the next saving (docs/benchmarks.md).
  assert.ok(gzipped < 127_000, `${gzipped} bytes gzipped`);
  for (const needed of ['node_modules/react-dom/', 'node_modules/socket.io-client/', 'app/components/live/LiveThread.tsx']) {
    assert.ok([...sources].some((source) => source.includes(needed)), `${needed} is missing`);
  }
});
