// `npm start`: the server compiled once, run by plain node in this very process (no tsx launcher, no
// esbuild service beside it). Plain CommonJS so that nothing needs compiling to run it. Compiles the
// server when its bundle is missing or older than its sources; the bundle then builds the pages when
// they are stale (server/nextBuild.ts). `npm run dev` and the scripts keep running the sources through tsx.
//
// Stack traces name the bundle's lines. NODE_OPTIONS=--enable-source-maps maps them to the TypeScript
// sources (dist/server.js.map), at about 20 MiB more: node then maps every module it loads, Next.js's too.
const path = require('node:path');
const { ensureServerBundle } = require('../server/build/serverBundle');

require(ensureServerBundle({ dir: path.resolve(__dirname, '..'), log: (message) => process.stdout.write(`${message}\n`) }));
