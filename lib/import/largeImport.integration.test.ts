import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../store';
import { writeLargeDisqusExport } from './largeFile';

const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * What the import may hold above the program itself (its modules' code, about 26 MB under tsx, and
 * growing with every feature): a fifth of the file. Holding the file, or its comments, would not fit.
 */
const ALLOWANCE_MB = 16;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-large-import-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `npm run import` of `file` into a new data folder, with these node options: its exit code, what it printed (less the progress lines) and the folder. */
async function runImport(file: string, nodeOptions: string[]): Promise<{ code: number | null; output: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeOptions, 'scripts/import.ts', '--format', 'disqus', file], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output: output.replace(/^(reading|writing): .*\n/gm, ''), dataDir };
}

/** The heap of an import of a small file once it is done, in MB: the program's own share. */
async function programHeapMb(): Promise<number> {
  const file = path.join(dir, 'small.xml');
  await writeLargeDisqusExport({ file, comments: 200, threads: 100, bodyBytes: 1500 });
  const { code, output } = await runImport(file, ['--expose-gc', '--import', './lib/import/testing/heapAtExit.ts']);
  assert.equal(code, 0, output.slice(-2000));
  const bytes = /heap at exit: (\d+) bytes/.exec(output)?.[1];
  assert.ok(bytes, output);
  return Number(bytes) / 1024 / 1024;
}

test(`a 50,000-comment Disqus export (about 85 MB) imports within ${ALLOWANCE_MB} MB of heap above the program's own`, { timeout: 600_000 }, async (t) => {
  const file = path.join(dir, 'large.xml');
  const bytes = await writeLargeDisqusExport({ file, comments: 50_000, threads: 100, bodyBytes: 1500 });
  assert.ok(bytes > 5 * ALLOWANCE_MB * 1024 * 1024, `the file (${bytes} bytes) is at least five times the allowance`);

  const heapMb = Math.ceil((await programHeapMb()) + ALLOWANCE_MB);
  t.diagnostic(`heap capped at ${heapMb} MB for a ${(bytes / 1024 / 1024).toFixed(0)} MB file`);
  const { code, output, dataDir } = await runImport(file, [`--max-old-space-size=${heapMb}`]);
  assert.equal(code, 0, `the import with a ${heapMb} MB heap exited with ${code}:\n${output.slice(-2000)}`);
  assert.match(output, /comments: 50000 imported \(50000 visible\)/);
  assert.match(output, /skipped: 0/);

  // Replies whose parent came later in the file found it (none became top-level).
  assert.doesNotMatch(output, /attached at the top level/);
  const store = await openStore({ dataDir });
  try {
    const thread = await store.findThreadRowBySlug('article-25');
    assert.ok(thread);
    const comments = await store.listComments({ threadId: thread.id });
    assert.equal(comments.length, 500);
    const laterParent = comments.find((c) => c.body.startsWith('Comment 25.'));
    assert.ok(laterParent?.parentId, 'comment 25 answers comment 125, which comes later in the file');
    assert.ok(comments.find((c) => c.id === laterParent.parentId)?.body.startsWith('Comment 125.'));
  } finally {
    await store.close();
  }
});
