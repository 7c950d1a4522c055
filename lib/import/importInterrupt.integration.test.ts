import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../store';
import { writeLargeDisqusExport } from './largeFile';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-import-interrupt-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function importCommand(file: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(dir, 'data'), NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', '--format', 'disqus', file], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, closed, stdout: () => stdout, stderr: () => stderr };
}

/**
 * The command as a person runs it on a long import (the signal path is the same on both engines:
 * importRuns.suite.ts covers a stop while writing on each): the progress line shows in a log,
 * Ctrl-C stops it between two batches with the counts and where it stopped, and running it again
 * completes it.
 */
test('Ctrl-C on a long import: it stops between two batches, says how far it wrote, and running it again completes it', { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'long.xml');
  const total = 20_000;
  await writeLargeDisqusExport({ file, comments: total, threads: 40, bodyBytes: 40 });

  const first = importCommand(file);
  // Not a terminal: a progress line every few seconds. Stopped once it is writing.
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/^writing: [\d,]+ of [\d,]+ records \([\d,]+\/s\): [\d,]+ written, 0 skipped$/m.test(first.stderr())) {
        first.child.stderr.off('data', onData);
        resolve();
      }
    };
    first.child.stderr.on('data', onData);
    void first.closed.then(() => reject(new Error(`the import ended before a progress line showed it writing:\n${first.stdout()}${first.stderr()}`)));
  });
  first.child.kill('SIGINT');
  assert.equal(await first.closed, 1, first.stdout() + first.stderr());
  assert.match(first.stdout(), /^import of disqus \(long\.xml\) stopped while writing$/m);
  assert.match(first.stdout(), new RegExp(`^read: ${total + 40} records \\(40 threads, ${total} comments\\)$`, 'm'));
  const written = Number(/^comments: (\d+) imported/m.exec(first.stdout())?.[1]);
  assert.ok(written > 0 && written < total, first.stdout());
  assert.match(first.stderr(), /^import failed: interrupted \(SIGINT\)$/m);
  assert.match(first.stderr(), /^The file is written through line \d+\. Run the same command again to complete the import/m);

  const second = importCommand(file);
  assert.equal(await second.closed, 0, second.stdout() + second.stderr());
  assert.match(second.stdout(), new RegExp(`^comments: ${total - written} imported`, 'm'));
  assert.match(second.stdout(), new RegExp(`^  ${written} already imported$`, 'm'));
  assert.doesNotMatch(second.stdout(), /warning:/, 'the interrupted run cleaned up after itself');

  const store = await openStore({ dataDir: path.join(dir, 'data') });
  try {
    let comments = 0;
    for (const thread of await store.listThreads({ limit: 100, which: 'all' })) comments += (await store.listComments({ threadId: thread.id })).length;
    assert.equal(comments, total);
  } finally {
    await store.close();
  }
});
