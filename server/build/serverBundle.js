// Plain CommonJS, no TypeScript: `npm start` (scripts/start.js) runs it with plain node before
// anything is compiled. Types for the TypeScript importers: serverBundle.d.ts.
const fs = require('node:fs');
const path = require('node:path');
const { isCurrent } = require('./freshness');

/** The compiled server, relative to the project root; one folder down, so that `path.resolve(__dirname, '..')` is the root as in server/main.ts. */
const SERVER_BUNDLE = path.join('dist', 'server.js');
/** What the bundle is made from: a newer file in any of these means it is stale. */
const SERVER_BUNDLE_INPUTS = ['server', 'lib', 'package.json', 'tsconfig.json'];
/**
 * Files the server reads next to its own module (`path.join(__dirname, …)`). Bundled, every
 * module's __dirname is dist/, so they are copied there.
 */
const SERVER_ASSETS = ['server/embed/embed.js', 'server/counts/count.js'];

/**
 * Compiles server/main.ts and what it imports from server/ and lib/ into one CommonJS file.
 * Packages stay outside (required from node_modules at run time): better-sqlite3 is native, and
 * Next.js and the rest are loaded as they are published.
 */
function buildServerBundle({ dir }) {
  const esbuild = require('esbuild');
  const outfile = path.join(dir, SERVER_BUNDLE);
  // Written beside the bundle, then renamed: a start that reads it never sees half a file.
  const temporary = `${outfile}.${process.pid}.tmp`;
  esbuild.buildSync({
    absWorkingDir: dir,
    entryPoints: [path.join(dir, 'server', 'main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const asset of SERVER_ASSETS) fs.copyFileSync(path.join(dir, asset), path.join(path.dirname(outfile), path.basename(asset)));
  fs.renameSync(`${temporary}.map`, `${outfile}.map`);
  // The map is named after the temporary file in the bundle's last line: name it after the final one.
  fs.writeFileSync(temporary, fs.readFileSync(temporary, 'utf8').replace(/sourceMappingURL=.*$/m, `sourceMappingURL=${path.basename(outfile)}.map`));
  fs.renameSync(temporary, outfile);
}

/** `npm start` works right after `npm install` and after a pull: compiles the server when its bundle is missing or stale. Returns the bundle's path. */
function ensureServerBundle({ dir, log }) {
  if (!isCurrent({ dir, output: SERVER_BUNDLE, inputs: SERVER_BUNDLE_INPUTS })) {
    log('compiling the server (esbuild); this happens once after install or a code change…');
    buildServerBundle({ dir });
  }
  return path.join(dir, SERVER_BUNDLE);
}

module.exports = { SERVER_BUNDLE, buildServerBundle, ensureServerBundle };

// `npm run build` (before `next build`): compile afresh, whatever the bundle's age.
if (require.main === module) buildServerBundle({ dir: path.resolve(__dirname, '..', '..') });
