// Plain CommonJS, no TypeScript: `npm start` (scripts/start.js) runs it with plain node before
// anything is compiled. Types for the TypeScript importers: freshness.d.ts.
const fs = require('node:fs');
const path = require('node:path');

/** The newest modification time under a file or folder (skipping node_modules and dot-entries); 0 when it does not exist. */
function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** True when `output` exists and nothing in `inputs` (paths relative to `dir`) is newer. */
function isCurrent({ dir, output, inputs }) {
  let built;
  try {
    built = fs.statSync(path.join(dir, output)).mtimeMs;
  } catch {
    return false;
  }
  return inputs.every((input) => newestMtime(path.join(dir, input)) <= built);
}

module.exports = { isCurrent };
