import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from './openDatabase';
import { startWalCheckpointer } from './walCheckpointer';

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-wal-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'db.sqlite');
}

/** Asks until the worker reports a checkpoint; each ask waits for its answer, so this polls the worker, not the clock. */
async function checkpointed(checkpointer: ReturnType<typeof startWalCheckpointer>): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { checkpointed } = await checkpointer.stats();
    if (checkpointed > 0 || Date.now() > deadline) return checkpointed;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('the worker folds the WAL back while the writer goes on, and the rows stay whole', async (t) => {
  const file = tempFile(t);
  const writer = new SQLite(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0'); // only the worker checkpoints here
  writer.exec('create table t (id integer primary key, body text)');
  const checkpointer = startWalCheckpointer({ file, intervalMs: 5 });
  const insert = writer.prepare('insert into t (body) values (?)');
  for (let i = 0; i < 200; i++) insert.run('x'.repeat(500));
  assert.ok((await checkpointed(checkpointer)) > 0, 'some frames were checkpointed');
  for (let i = 0; i < 200; i++) insert.run('y'.repeat(500));
  assert.equal((writer.prepare('select count(*) as n from t').get() as { n: number }).n, 400);
  checkpointer.stop();
  writer.close();
});

test('openDatabase starts the checkpointer for SQLite and stops it with the database', async (t) => {
  const opened = openDatabase({ kind: 'sqlite', file: tempFile(t) });
  assert.equal(opened.checkpointer?.(), undefined, 'not before the first query');
  await sql`select 1`.execute(opened.db);
  const checkpointer = opened.checkpointer?.();
  assert.ok(checkpointer);
  assert.deepEqual(await checkpointer.stats(), { checkpointed: 0, failed: 0 });
  await opened.db.destroy();
  await assert.rejects(checkpointer.stats(), /stopped/);
});
