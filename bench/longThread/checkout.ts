import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function run(command: string, args: string[], options: { cwd: string; input?: Buffer }): Buffer {
  const result = spawnSync(command, args, { cwd: options.cwd, input: options.input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr?.toString() ?? result.error?.message}`);
  return result.stdout;
}

/**
 * The code of another commit, to run beside this checkout: its files (`git archive`, so no
 * worktree is registered) in a folder of the temp dir named after the commit, with this
 * checkout's node_modules hard-linked in (the lock file is the same across the compared commits;
 * Next.js refuses a symlinked node_modules). Kept between runs: its first start builds it
 * (`npm start` builds what is stale), later runs start at once.
 */
export function checkoutOf(root: string, revision: string, log: (message: string) => void): string {
  const commit = run('git', ['rev-parse', '--short=12', `${revision}^{commit}`], { cwd: root }).toString().trim();
  const dir = path.join(os.tmpdir(), `threadline-bench-checkout-${commit}`);
  if (fs.existsSync(path.join(dir, 'node_modules'))) return dir;
  log(`baseline: unpacking ${commit} into ${dir} (once; its first start builds it)`);
  // Unpacked beside it, then renamed: a run stopped half-way leaves nothing that looks ready.
  const partial = fs.mkdtempSync(`${dir}.partial-`);
  run('tar', ['-x', '-C', partial], { cwd: root, input: run('git', ['archive', '--format=tar', commit], { cwd: root }) });
  run('cp', ['-al', path.join(root, 'node_modules'), path.join(partial, 'node_modules')], { cwd: root });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  return dir;
}
