import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSessionSecret } from '../sessionSecret';

const FILE_NAME = 'session-secret';

describe('resolveSessionSecret', () => {
  let dataDir = '';
  const secretFile = () => path.join(dataDir, FILE_NAME);
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-secret-'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a configured secret wins, and nothing is written', () => {
    const configured = 'c'.repeat(40);
    fs.writeFileSync(secretFile(), `${'f'.repeat(43)}\n`);
    assert.equal(resolveSessionSecret({ configured, dataDir }), configured);
    assert.equal(fs.readFileSync(secretFile(), 'utf8'), `${'f'.repeat(43)}\n`);
  });

  test('a configured secret needs no data directory at all', () => {
    const missing = path.join(dataDir, 'does-not-exist');
    assert.equal(resolveSessionSecret({ configured: 'c'.repeat(40), dataDir: missing }), 'c'.repeat(40));
    assert.equal(fs.existsSync(missing), false);
  });

  test('without one, a strong secret is generated and kept owner-only in DATA_DIR', () => {
    const secret = resolveSessionSecret({ configured: undefined, dataDir });
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(fs.readFileSync(secretFile(), 'utf8').trim(), secret);
    assert.equal(mode(secretFile()), 0o600);
  });

  test('the second call returns the same secret instead of a new one', () => {
    const first = resolveSessionSecret({ configured: undefined, dataDir });
    const second = resolveSessionSecret({ configured: undefined, dataDir });
    assert.equal(second, first);
  });

  test('an empty configured value counts as unset', () => {
    const generated = resolveSessionSecret({ configured: '', dataDir });
    assert.equal(generated.length, 43);
    assert.equal(resolveSessionSecret({ configured: undefined, dataDir }), generated);
  });

  test('a DATA_DIR that does not exist yet is created', () => {
    const nested = path.join(dataDir, 'a', 'b');
    const secret = resolveSessionSecret({ configured: undefined, dataDir: nested });
    assert.equal(fs.readFileSync(path.join(nested, FILE_NAME), 'utf8').trim(), secret);
  });

  test('a kept secret written by hand is used as is, surrounding whitespace trimmed', () => {
    const handWritten = 'h'.repeat(32);
    fs.writeFileSync(secretFile(), `  ${handWritten}\n\n`, { mode: 0o600 });
    assert.equal(resolveSessionSecret({ configured: undefined, dataDir }), handWritten);
  });

  test('a kept secret shorter than 32 characters is replaced', () => {
    fs.writeFileSync(secretFile(), 'too-short\n', { mode: 0o600 });
    const secret = resolveSessionSecret({ configured: undefined, dataDir });
    assert.notEqual(secret, 'too-short');
    assert.ok(secret.length >= 32);
    assert.equal(fs.readFileSync(secretFile(), 'utf8').trim(), secret);
    assert.equal(resolveSessionSecret({ configured: undefined, dataDir }), secret);
  });

  test('a replaced secret file ends up owner-only, even if it was readable by others', () => {
    fs.writeFileSync(secretFile(), 'too-short\n');
    fs.chmodSync(secretFile(), 0o644);
    resolveSessionSecret({ configured: undefined, dataDir });
    assert.equal(mode(secretFile()).toString(8), '600');
  });
});
