import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isCurrent } from './freshness';

const made: string[] = [];
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A project folder with `files`, each given its modification time in seconds. */
function project(files: Record<string, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-freshness-'));
  made.push(dir);
  for (const [file, mtime] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, '');
    fs.utimesSync(full, mtime, mtime);
  }
  // Folders' own times are those of the last entry made in them: set them old, to test the files.
  for (const sub of ['src', 'src/deep', 'out']) if (fs.existsSync(path.join(dir, sub))) fs.utimesSync(path.join(dir, sub), 1, 1);
  return dir;
}

const check = (dir: string) => isCurrent({ dir, output: 'out/bundle.js', inputs: ['src', 'config.json'] });

test('a build is current when nothing among its inputs is newer, in folders at any depth', () => {
  assert.equal(check(project({ 'out/bundle.js': 100, 'src/a.ts': 50, 'src/deep/b.ts': 99, 'config.json': 10 })), true);
});

test('a build is stale when any input file is newer, however deep', () => {
  assert.equal(check(project({ 'out/bundle.js': 100, 'src/a.ts': 50, 'src/deep/b.ts': 101, 'config.json': 10 })), false);
  assert.equal(check(project({ 'out/bundle.js': 100, 'src/a.ts': 50, 'config.json': 200 })), false);
});

test('a missing build is stale; a missing input is no reason to rebuild', () => {
  assert.equal(check(project({ 'src/a.ts': 50 })), false);
  assert.equal(check(project({ 'out/bundle.js': 100, 'src/a.ts': 50 })), true);
});

test('node_modules and dot-entries are not inputs', () => {
  assert.equal(check(project({ 'out/bundle.js': 100, 'src/a.ts': 50, 'src/node_modules/x.js': 500, 'src/.cache/y': 500 })), true);
});

test('a deleted file makes its folder newer, so a removal also rebuilds', () => {
  const dir = project({ 'out/bundle.js': 100, 'src/a.ts': 50, 'src/gone.ts': 50 });
  fs.rmSync(path.join(dir, 'src', 'gone.ts'));
  assert.equal(check(dir), false);
});
