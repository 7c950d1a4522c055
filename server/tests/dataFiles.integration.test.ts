import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createServices } from '../../lib/services';
import { openStore, SQLITE_FILE_NAME } from '../../lib/store';
import { resolveSessionSecret } from '../sessionSecret';

const SQLITE_FILES = [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`, `${SQLITE_FILE_NAME}-shm`];

function mode(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8);
}

/**
 * What `npm start` does with DATA_DIR on the embedded default (server/main.ts): the session secret,
 * then the store, then a first write (which makes SQLite's -wal and -shm files).
 */
async function startOn(dataDir: string, options: { warnings?: string[]; whileRunning?: () => void } = {}): Promise<void> {
  const warnings = options.warnings ?? [];
  const log = { error: (message: string) => warnings.push(message), warn: (message: string) => warnings.push(message) };
  const sessionSecret = resolveSessionSecret({ configured: undefined, dataDir, log });
  const store = await openStore({ dataDir, log });
  try {
    await createServices({ store, sessionSecret }).threads.createThread({ title: 'A first thread' });
    // SQLite removes its -wal and -shm files when the last connection closes: they are looked at while it runs.
    options.whileRunning?.();
  } finally {
    await store.close();
  }
}

function assertPrivate(dataDir: string): void {
  assert.equal(mode(dataDir), '700');
  for (const name of [...SQLITE_FILES, 'session-secret']) assert.equal(mode(path.join(dataDir, name)), '600', name);
}

describe('the data folder holds password hashes and guest ids: only its owner may read it', () => {
  let root = '';
  let umask = 0;

  before(() => {
    // The loosest umask there is: the modes must not depend on the one the server is started with.
    umask = process.umask(0o000);
  });
  after(() => process.umask(umask));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-modes-'));
    fs.chmodSync(root, 0o755);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a fresh start makes DATA_DIR 0700 and the database, its WAL files and the session secret 0600', async () => {
    const dataDir = path.join(root, 'var', 'data');
    let checked = false;
    await startOn(dataDir, { whileRunning: () => ((checked = true), assertPrivate(dataDir)) });
    assert.ok(checked);
  });

  test('a DATA_DIR an earlier version made world-readable is tightened at start, with a warning, and its data kept', async () => {
    const dataDir = path.join(root, 'data');
    await startOn(dataDir);
    // As an earlier version left it: everything readable by others, and (after a crash) SQLite's side files too.
    fs.chmodSync(dataDir, 0o755);
    for (const name of [`${SQLITE_FILE_NAME}-wal`, `${SQLITE_FILE_NAME}-shm`]) fs.writeFileSync(path.join(dataDir, name), '');
    for (const name of [...SQLITE_FILES, 'session-secret']) fs.chmodSync(path.join(dataDir, name), 0o644);
    const secret = fs.readFileSync(path.join(dataDir, 'session-secret'), 'utf8');

    const warnings: string[] = [];
    let checked = false;
    await startOn(dataDir, { warnings, whileRunning: () => ((checked = true), assertPrivate(dataDir)) });
    assert.ok(checked);
    assert.equal(fs.readFileSync(path.join(dataDir, 'session-secret'), 'utf8'), secret, 'the same secret: sessions survive');
    assert.ok(
      warnings.some((w) => w.includes(dataDir) && /755/.test(w) && /700/.test(w)),
      `a warning naming the folder and both modes: ${JSON.stringify(warnings)}`,
    );
  });

  test('a shared folder that holds other files is not changed: the start is refused with what to do', async () => {
    const shared = path.join(root, 'shared');
    fs.mkdirSync(shared, { mode: 0o755 });
    fs.chmodSync(shared, 0o755);
    fs.writeFileSync(path.join(shared, 'notes.txt'), 'not ours');
    await assert.rejects(startOn(shared), (err: Error) => {
      assert.match(err.message, /DATA_DIR/);
      assert.match(err.message, new RegExp(shared.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.match(err.message, /chmod 700/);
      return true;
    });
    assert.equal(mode(shared), '755', 'left as it was');
    assert.equal(fs.existsSync(path.join(shared, SQLITE_FILE_NAME)), false, 'nothing written into it');
  });
});
