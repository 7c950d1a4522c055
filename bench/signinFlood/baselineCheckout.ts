import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The code before a change, runnable beside this checkout: `git archive <commit>` unpacked into a
 * folder of its own under the temp dir, named by the commit and kept between runs (its first start
 * builds its pages, which takes a minute or two once), with a copy of this checkout's
 * node_modules — a copy, so that nothing the old code's build or run writes there touches ours.
 */
export function baselineCheckout(args: { root: string; commit: string; log: (message: string) => void }): { dir: string; commit: string } {
  const git = (...gitArgs: string[]) => execFileSync('git', ['-C', args.root, ...gitArgs], { encoding: 'utf8' }).trim();
  let sha: string;
  try {
    sha = git('rev-parse', '--verify', `${args.commit}^{commit}`);
  } catch {
    throw new Error(`--baseline-commit ${args.commit}: no such commit in ${args.root}`);
  }
  const dir = path.join(os.tmpdir(), `threadline-baseline-${sha.slice(0, 12)}`);
  const ready = path.join(dir, '.baseline-ready');
  if (fs.existsSync(ready)) {
    args.log(`baseline: ${sha.slice(0, 12)} in ${dir} (prepared by an earlier run)`);
    return { dir, commit: sha };
  }
  args.log(`baseline: unpacking ${sha.slice(0, 12)} into ${dir} and copying node_modules (once)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', args.root, sha, dir]);
  execFileSync('cp', ['-a', path.join(args.root, 'node_modules'), path.join(dir, 'node_modules')]);
  fs.writeFileSync(ready, `${sha}\n`);
  return { dir, commit: sha };
}
