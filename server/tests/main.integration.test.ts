import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { SocketPool, subscribe } from '../testing/sockets';
import { within } from '../testing/wait';

/** What `npm start` runs: the server compiled once (dist/), under plain node. */
const START = path.join(__dirname, '..', '..', 'scripts', 'start.js');
/** The first start after a change builds the pages (next build): minutes on a busy machine. */
const FIRST_START_TIMEOUT_MS = 300_000;

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [START], {
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

const sockets = new SocketPool();
after(() => sockets.closeAll());

test('the compiled server serves the seeded article page, the embed script and a live thread over Socket.IO', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-main-'));
  // A DATA_DIR that does not exist yet, under a folder others may read: the start makes it private.
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', SESSION_SECRET: '', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.after(async () => {
    sockets.closeAll();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const baseUrl = await within(
    'the compiled server to listen',
    new Promise<string>((resolve, reject) => {
      const onData = () => {
        const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout.on('data', onData);
      void exited.then((code) => reject(new Error(`scripts/start.js exited (${code}) before listening:\n${output}`)));
    }),
    FIRST_START_TIMEOUT_MS,
  );
  // One process: plain node on the bundle, no loader in front of it.
  assert.deepEqual(fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean), [process.execPath, START]);

  const home = await fetch(`${baseUrl}/`);
  assert.equal(home.status, 200);
  const slug = /href="\/articles\/([a-z0-9-]+)"/.exec(await home.text())?.[1];
  assert.ok(slug, 'the home page links the seeded article');
  const article = await fetch(`${baseUrl}/articles/${slug}`);
  assert.equal(article.status, 200);
  assert.match(await article.text(), /Sessions/);

  // Read from beside the module at run time: it must have come along into the bundle's folder.
  const embed = await fetch(`${baseUrl}/embed.js`);
  assert.equal(embed.status, 200);
  // The compiled server found the script beside its bundle and serves it minified: the same code, without the source's comments.
  const served = await embed.text();
  const source = fs.readFileSync(path.join(__dirname, '..', 'embed', 'embed.js'), 'utf8');
  assert.match(served, /data-threadline-embedded/);
  assert.ok(served.length < source.length / 2, `minified: ${served.length} of ${source.length} characters`);

  const socket = await sockets.connect(baseUrl);
  const catchUp = await subscribe(socket, slug, 0);
  assert.equal(catchUp.thread.slug, slug);
  assert.ok(catchUp.missed.some((event) => event.type === 'comment.created'), 'the catch-up holds the seeded comments');

  // Password hashes and guest ids: only the owner may read the data folder and its files (docs/security.md, "The data folder").
  const mode = (name: string) => (fs.statSync(path.join(dataDir, name)).mode & 0o777).toString(8);
  assert.equal(mode('.'), '700');
  for (const name of ['threadline.sqlite', 'threadline.sqlite-wal', 'threadline.sqlite-shm', 'session-secret']) assert.equal(mode(name), '600', name);
});
