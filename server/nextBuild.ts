import { spawnSync } from 'node:child_process';
import { isCurrent } from './build/freshness';

/** What the production build is made from: a newer file in any of these means the build is stale. */
const BUILD_INPUTS = ['app', 'pages', 'lib', 'next.config.js', 'package.json', 'tsconfig.json'];

/** `npm start` works right after `npm install`: build the pages when there is no current build. */
export function ensureNextBuild(options: { dir: string; log: (m: string) => void }): void {
  if (isCurrent({ dir: options.dir, output: '.next/BUILD_ID', inputs: BUILD_INPUTS })) return;
  options.log('building the pages (next build); this happens once after install or a code change…');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    cwd: options.dir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
}
