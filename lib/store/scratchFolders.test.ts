import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { makeScratchFolder, sweepAbandoned } from './scratchFolders';

const PREFIX = 'threadline-test-scratch-';

test('a scratch folder left by a process that is gone is deleted by the next; a running process’s, and others, are left', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-sweep-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // A pid that ran and is gone: a child that has exited.
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const abandoned = makeScratchFolder(PREFIX, { tmpDir: tmp, pid: gone });
  fs.writeFileSync(path.join(abandoned, 'scratch.sqlite'), 'x');
  const running = makeScratchFolder(PREFIX, { tmpDir: tmp });
  const unnamed = fs.mkdtempSync(path.join(tmp, PREFIX));
  const other = fs.mkdtempSync(path.join(tmp, 'someone-else-'));

  const made = makeScratchFolder(PREFIX, { tmpDir: tmp });
  assert.equal(fs.existsSync(abandoned), false, 'the abandoned folder is gone');
  for (const kept of [running, unnamed, other, made]) assert.ok(fs.existsSync(kept), `${path.basename(kept)} is kept`);
  assert.match(path.basename(made), new RegExp(`^${PREFIX}${process.pid}-`));
  assert.deepEqual(sweepAbandoned(PREFIX, tmp), []);
});
