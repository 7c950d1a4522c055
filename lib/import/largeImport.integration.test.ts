import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../store';
import { writeLargeDisqusExport } from './largeFile';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The importer's whole V8 heap, well below the file's size: holding the file (or its comments) would not fit. */
const HEAP_MB = 40;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-large-import-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`a 50,000-comment Disqus export (about 85 MB) imports with a ${HEAP_MB} MB heap`, { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'large.xml');
  const bytes = await writeLargeDisqusExport({ file, comments: 50_000, threads: 100, bodyBytes: 1500 });
  assert.ok(bytes > 2 * HEAP_MB * 1024 * 1024, `the file (${bytes} bytes) is at least twice the heap`);

  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'scripts/import.ts', '--format', 'disqus', file], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, output.slice(-2000));
  assert.match(output, /comments: 50000 imported \(50000 visible\)/);
  assert.match(output, /skipped: 0/);

  // Replies whose parent came later in the file found it (none became top-level).
  assert.doesNotMatch(output, /attached at the top level/);
  const store = await openStore({ dataDir: dir });
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
