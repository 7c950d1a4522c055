import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What the production build is made from: a newer file in any of these means the build is stale. */
const BUILD_INPUTS = ['app', 'lib', 'next.config.js', 'package.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  let stat: fs.Stats;
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

function buildIsCurrent(dir: string): boolean {
  let built: number;
  try {
    built = fs.statSync(path.join(dir, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  return BUILD_INPUTS.every((input) => newestMtime(path.join(dir, input)) <= built);
}

/** `npm start` works right after `npm install`: build the pages when there is no current build. */
export function ensureNextBuild(options: { dir: string; log: (m: string) => void }): void {
  if (buildIsCurrent(options.dir)) return;
  options.log('building the pages (next build); this happens once after install or a code change…');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    cwd: options.dir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
}
