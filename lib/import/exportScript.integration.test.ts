import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../store';

const ROOT = path.resolve(import.meta.dirname, '../..');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-export-script-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `npm run export` as a person runs it, on SQLite in a temp DATA_DIR. */
async function runExport(args: string[]): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/export.ts', ...args], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

test('npm run export writes a file its owner alone can read, and --without-addresses leaves out addresses and sign-in links', async () => {
  const store = await openStore({ dataDir: dir });
  try {
    const thread = await store.createThread({ slug: 'council', title: 'Council' });
    const { user } = await store.accounts.accountForIdentity({ method: 'email', provider: 'email', subject: 'eve@mail.example', email: 'eve@mail.example', emailVerified: true, name: 'Eve', badges: ['expert'] });
    const { comment } = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Eve', authorGuestId: user.id, body: 'Hello', clientId: null, authorIsAccount: true });
    await store.setLike({ threadId: thread.id, commentId: comment.id, guestId: 'guest-1', liked: true });
  } finally {
    await store.close();
  }

  const full = path.join(dir, 'full.jsonl');
  const withAddresses = await runExport(['--out', full]);
  assert.equal(withAddresses.code, 0, withAddresses.output);
  assert.match(withAddresses.output, new RegExp(`exported 6 lines to ${full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(fs.statSync(full).mode & 0o777, 0o600);
  const text = fs.readFileSync(full, 'utf8');
  assert.match(text, /"type":"account".*"email":"eve@mail.example".*"badges":\["expert"\]/);
  assert.match(text, /"type":"identity".*"subject":"eve@mail.example"/);
  assert.match(text, /"type":"like".*"personId":"guest-1"/);

  const bare = path.join(dir, 'bare.jsonl');
  const without = await runExport(['--out', bare, '--without-addresses']);
  assert.equal(without.code, 0, without.output);
  const bareText = fs.readFileSync(bare, 'utf8');
  assert.doesNotMatch(bareText, /eve@mail\.example/);
  assert.doesNotMatch(bareText, /"type":"identity"/);
  assert.match(bareText, /"type":"account".*"email":null.*"badges":\["expert"\]/);
});
