import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const MAIN = path.join(__dirname, '..', 'main.ts');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', SESSION_SECRET: '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('a bad configuration stops the start with a message naming the variable', () => {
  const result = start({ PORT: 'eighty' });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Invalid configuration/);
  assert.match(result.stderr, /PORT: expected a port number/);
});

test('scale-out mode without a shared session secret does not start, and the URL is not echoed', () => {
  const result = start({ DATABASE_URL: 'postgres://user:hunter2-password@127.0.0.1:5432/x' });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /SESSION_SECRET: required when DATABASE_URL is set/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});
