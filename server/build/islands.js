// Plain CommonJS, no TypeScript: `npm run build` and `npm start` (through the compiled server) run it
// before anything else is compiled. Types for the TypeScript importers: islands.d.ts.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { isCurrent } = require('./freshness');

/**
 * The reader pages' own script (docs/decisions.md, "The reader pages' script"): each entry hydrates
 * one island of a page the server rendered. Built by esbuild, not by Next.js, so that the article
 * and embed pages do without Next.js's client runtime.
 */
const ISLAND_ENTRIES = { thread: 'app/islands/thread.tsx' };
/** Where the build goes, relative to the project root; served at ISLANDS_PATH. `npm run dev`'s own build goes beside it, never in its place. */
const ISLANDS_DIR = path.join('dist', 'islands');
const ISLANDS_DEV_DIR = path.join('dist', 'islands-dev');
/** Names each entry's file and the chunks it imports (the names carry a hash of the contents, so they are cached for good). */
const MANIFEST = 'manifest.json';
/** What the islands are made from: a newer file in any of these means the build is stale. */
const ISLANDS_INPUTS = ['app', 'lib', 'package.json', 'tsconfig.json'];
/** The browsers Next.js builds its own pages for (its default browserslist), so both sides of the site run in the same ones. */
const TARGETS = ['chrome111', 'edge111', 'firefox111', 'safari16.4'];
/** A locale's catalog, loaded with import() by app/i18n/catalogs.islands.ts: a chunk the manifest names by its locale. */
const LOCALE_CATALOG = /^app\/i18n\/messages\/(\w+)\.ts$/;

/**
 * The reader pages' script loads only its page's locale's words: app/i18n/catalogs.islands.ts
 * stands in for app/i18n/catalogs.ts (which holds every locale, for the server and Next.js's pages).
 */
function islandCatalogs(dir) {
  const everyLocale = path.join(dir, 'app', 'i18n', 'catalogs.ts');
  const pageLocale = path.join(dir, 'app', 'i18n', 'catalogs.islands.ts');
  return {
    name: 'island-catalogs',
    setup(build) {
      build.onResolve({ filter: /\/catalogs$/ }, (args) => (path.resolve(args.resolveDir, `${args.path}.ts`) === everyLocale ? { path: pageLocale } : undefined));
    },
  };
}

function buildOptions({ dir, dev, outdir }) {
  return {
    absWorkingDir: dir,
    entryPoints: Object.fromEntries(Object.entries(ISLAND_ENTRIES).map(([name, file]) => [name, path.join(dir, file)])),
    outdir,
    bundle: true,
    // Shared code in chunks, and what only moderators use in chunks of its own (import()), loaded when needed.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: TARGETS,
    jsx: 'automatic',
    minify: !dev,
    // BUNDLE_SOURCE_MAPS=1 (as for next build, next.config.js): maps in production too, for `npm run budget:js -- --by-source`.
    sourcemap: dev || process.env.BUNDLE_SOURCE_MAPS === '1' ? 'linked' : false,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'warning',
    // The components say 'use client' for Next.js's other pages; here everything is the client's.
    logOverride: { 'module-level-directive': 'silent' },
    plugins: [islandCatalogs(dir)],
  };
}

/**
 * Writes a build's files (each with a gzipped copy beside it) and then the manifest that names them,
 * renamed into place so a reader never sees half of it. Files of earlier builds are deleted once the
 * new manifest is in place.
 */
function writeIslands({ outdir, result }) {
  fs.mkdirSync(outdir, { recursive: true });
  const written = new Set([MANIFEST]);
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    fs.writeFileSync(path.join(outdir, name), file.contents);
    written.add(name);
    if (name.endsWith('.js') || name.endsWith('.js.map')) {
      fs.writeFileSync(path.join(outdir, `${name}.gz`), zlib.gzipSync(file.contents, { level: 9 }));
      written.add(`${name}.gz`);
    }
  }
  // Each locale's catalog and the chunks it imports at once: a page preloads its own locale's.
  const locales = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const locale = output.entryPoint && LOCALE_CATALOG.exec(output.entryPoint)?.[1];
    if (!locale) continue;
    const chunks = [path.basename(file), ...output.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => path.basename(i.path))];
    locales[locale] = chunks;
  }
  // Each entry's file and the chunks it imports at once, which the page preloads beside it.
  const manifest = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const entry = Object.entries(ISLAND_ENTRIES).find(([, source]) => output.entryPoint === source);
    if (!entry) continue;
    const preload = output.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => path.basename(i.path));
    // What the entry imports once the page has painted (app/islands/thread.tsx), with every chunk that needs at once.
    const later = new Set();
    const visit = (chunk) => {
      const name = path.basename(chunk);
      if (later.has(name) || preload.includes(name)) return;
      later.add(name);
      const imported = result.metafile.outputs[chunk];
      for (const i of imported ? imported.imports : []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
    };
    for (const i of output.imports) if (i.kind === 'dynamic-import' && !i.external) visit(i.path);
    manifest[entry[0]] = { file: path.basename(file), preload, later: [...later], locales };
  }
  const temporary = path.join(outdir, `${MANIFEST}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(temporary, path.join(outdir, MANIFEST));
  for (const name of fs.readdirSync(outdir)) if (!written.has(name) && !name.endsWith('.tmp')) fs.rmSync(path.join(outdir, name), { force: true });
  return manifest;
}

/** The production build in memory (minified), with esbuild's metafile: what each file holds and imports. Asynchronous: its plugin needs esbuild's asynchronous API. */
async function compileIslands({ dir }) {
  const esbuild = require('esbuild');
  return esbuild.build(buildOptions({ dir, dev: false, outdir: path.join(dir, ISLANDS_DIR) }));
}

/** Compiles the islands for production and writes them; resolves to the manifest. */
async function buildIslands({ dir }) {
  return writeIslands({ outdir: path.join(dir, ISLANDS_DIR), result: await compileIslands({ dir }) });
}

/** `npm start`: compiles the islands when their build is missing or older than their sources. */
async function ensureIslands({ dir, log }) {
  if (isCurrent({ dir, output: path.join(ISLANDS_DIR, MANIFEST), inputs: ISLANDS_INPUTS })) return;
  log('compiling the reader pages\' script (esbuild); this happens once after install or a code change…');
  await buildIslands({ dir });
}

/** `npm run dev`: compiles the islands unminified into ISLANDS_DEV_DIR, and again on every change; resolves once the first build is written. */
async function watchIslands({ dir, log }) {
  const esbuild = require('esbuild');
  const outdir = path.join(dir, ISLANDS_DEV_DIR);
  let first;
  const written = new Promise((resolve) => (first = resolve));
  const context = await esbuild.context({
    ...buildOptions({ dir, dev: true, outdir }),
    plugins: [
      ...buildOptions({ dir, dev: true, outdir }).plugins,
      {
        name: 'write-islands',
        setup(build) {
          build.onEnd((result) => {
            if (result.errors.length === 0) writeIslands({ outdir, result });
            else log(`islands: the build failed (${result.errors.length} errors); the last good one is served`);
            first();
          });
        },
      },
    ],
  });
  await context.watch();
  await written;
  return { dispose: () => context.dispose() };
}

module.exports = { ISLAND_ENTRIES, ISLANDS_DIR, ISLANDS_DEV_DIR, MANIFEST, compileIslands, buildIslands, ensureIslands, watchIslands };

// `npm run build`: compile afresh, whatever the build's age.
if (require.main === module) {
  buildIslands({ dir: path.resolve(__dirname, '..', '..') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  });
}
