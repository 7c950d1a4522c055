import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { openStore, SQLITE_FILE_NAME } from '../store';
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
 * importRuns.suite.ts covers a stop while writing on each): Ctrl-C while it writes stops it between
 * two batches with the counts and where it stopped, and running it again completes it.
 */
test('Ctrl-C on a long import: it stops between two batches, says how far it wrote, and running it again completes it', { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'long.xml');
  const total = 20_000;
  await writeLargeDisqusExport({ file, comments: total, threads: 40, bodyBytes: 40 });

  const first = importCommand(file);
  let exited = false;
  void first.closed.then(() => (exited = true));
  // Interrupted once it is writing: its first comments are in the store (read beside it: SQLite's readers do not block its writer).
  let reader: SQLite.Database | undefined;
  try {
    for (;;) {
      if (exited) assert.fail(`the import ended before it was interrupted:\n${first.stdout()}${first.stderr()}`);
      try {
        reader ??= new SQLite(path.join(dir, 'data', SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
        if ((reader.prepare('select count(*) as n from comments').get() as { n: number }).n > 0) break;
      } catch {
        // Not created or not migrated yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    reader?.close();
  }
  first.child.kill('SIGINT');
  assert.equal(await first.closed, 1, first.stdout() + first.stderr());
  assert.match(first.stdout(), /^import of disqus \(long\.xml\) stopped while writing$/m);
  assert.match(first.stdout(), new RegExp(`^read: ${total + 40} records \\(40 threads, ${total} comments\\)$`, 'm'));
  const written = Number(/^comments: (\d+) imported/m.exec(first.stdout())?.[1]);
  assert.ok(written > 0 && written < total, first.stdout());
  assert.match(first.stderr(), /^import failed: interrupted \(SIGINT\)$/m);
  assert.match(first.stderr(), /^The file is written through line \d+\. Run the same command again to complete the import/m);
  // Not a terminal: progress, if the run lasted long enough to show any, comes as whole lines of its own.
  const progress = first.stderr().split('\n').filter((line) => /^(reading|writing): /.test(line));
  for (const line of progress) assert.match(line, /^(reading: [\d,]+ records \([\d,]+\/s\)|writing: [\d,]+ of 20,040 records \([\d,]+\/s\): [\d,]+ written), 0 skipped$/);

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
