import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { test } from 'node:test';
import type { ImportRun } from '../store/importStore';
import { isDeadRun, STALE_RUN_MS } from './importRuns';

const now = new Date('2026-12-06T10:00:00.000Z');
const run = (changes: Partial<ImportRun>): ImportRun => ({
  id: 'r1',
  source: 'disqus',
  file: '/tmp/a.xml',
  phase: 'writing',
  host: os.hostname(),
  pid: process.pid,
  startedAt: now.toISOString(),
  heartbeatAt: now.toISOString(),
  line: 10,
  ...changes,
});

test('a run whose process lives on this host is alive', () => {
  assert.equal(isDeadRun(run({}), now), false);
});

test('a run whose process has exited on this host is dead at once', async () => {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await once(child, 'exit');
  assert.equal(isDeadRun(run({ pid }), now), true);
});

test('a run on another host is alive until it has been silent too long', () => {
  const elsewhere = { host: `${os.hostname()}-elsewhere`, pid: 1 };
  assert.equal(isDeadRun(run({ ...elsewhere, heartbeatAt: new Date(now.getTime() - STALE_RUN_MS + 1000).toISOString() }), now), false);
  assert.equal(isDeadRun(run({ ...elsewhere, heartbeatAt: new Date(now.getTime() - STALE_RUN_MS - 1000).toISOString() }), now), true);
});
