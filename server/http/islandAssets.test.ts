import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { createIslandAssets, ISLANDS_PATH } from './islandAssets';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-islands-'));
const script = Buffer.from('console.log("island");\n'.repeat(50));
let server: http.Server;
let base: string;

function write(manifest: object): void {
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}

before(async () => {
  fs.writeFileSync(path.join(dir, 'thread-AB12.js'), script);
  fs.writeFileSync(path.join(dir, 'thread-AB12.js.gz'), zlib.gzipSync(script));
  fs.writeFileSync(path.join(dir, 'chunk-CD34.js'), 'export {};');
  write({ thread: { file: 'thread-AB12.js', preload: ['chunk-CD34.js'], later: ['chunk-EF56.js'], locales: { en: ['chunk-EN01.js', 'chunk-EF56.js'], de: ['chunk-DE01.js'] } } });
  const assets = createIslandAssets({ dir, dev: false });
  server = http.createServer((req, res) => assets.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A request whose answer is read as sent (no decompression on the way). */
function request(pathname: string, options: { method?: string; headers?: http.OutgoingHttpHeaders } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('an island script is cached for good (its name is its content), gzipped for a browser that takes it', async () => {
  const zipped = await request(`${ISLANDS_PATH}thread-AB12.js`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(zipped.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.deepEqual(zlib.gunzipSync(zipped.body), script);
  const plain = await request(`${ISLANDS_PATH}thread-AB12.js`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(plain.body, script);
  // A file built without a gzipped copy goes as it is.
  const chunk = await request(`${ISLANDS_PATH}chunk-CD34.js`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(chunk.headers['content-encoding'], undefined);
  assert.equal(chunk.body.toString(), 'export {};');
});

test('HEAD answers the headers alone; other methods are 405', async () => {
  const head = await request(`${ISLANDS_PATH}thread-AB12.js`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), script.length);
  assert.equal(head.body.length, 0);
  const post = await request(`${ISLANDS_PATH}thread-AB12.js`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('only the build\'s scripts are served: not the manifest, no other file, no path', async () => {
  for (const pathname of ['manifest.json', 'missing-XY.js', '..%2Fmanifest.json', '%2E%2E/thread-AB12.js', 'sub/thread-AB12.js', 'thread-AB12.js.gz']) {
    const res = await request(`${ISLANDS_PATH}${pathname}`);
    assert.equal(res.status, 404, pathname);
    assert.equal((JSON.parse(res.body.toString()) as { error: { code: string } }).error.code, 'not_found');
  }
});

test("the pages learn an entry's address, the chunks to preload with it and those it loads once the page has painted, their own locale's words among them", () => {
  const assets = createIslandAssets({ dir, dev: false });
  assert.deepEqual(assets.scripts.script('thread', 'en'), {
    src: `${ISLANDS_PATH}thread-AB12.js`,
    preload: [`${ISLANDS_PATH}chunk-CD34.js`],
    later: [`${ISLANDS_PATH}chunk-EF56.js`, `${ISLANDS_PATH}chunk-EN01.js`],
  });
  assert.deepEqual(assets.scripts.script('thread', 'de').later, [`${ISLANDS_PATH}chunk-EF56.js`, `${ISLANDS_PATH}chunk-DE01.js`]);
});

test('in development a new build is picked up at once; in production the first manifest read holds', () => {
  const dev = createIslandAssets({ dir, dev: true });
  const production = createIslandAssets({ dir, dev: false });
  assert.equal(dev.scripts.script('thread', 'en').src, `${ISLANDS_PATH}thread-AB12.js`);
  assert.equal(production.scripts.script('thread', 'en').src, `${ISLANDS_PATH}thread-AB12.js`);
  write({ thread: { file: 'thread-EF56.js', preload: [] } });
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(dir, 'manifest.json'), later, later);
  try {
    assert.equal(dev.scripts.script('thread', 'en').src, `${ISLANDS_PATH}thread-EF56.js`);
    assert.equal(production.scripts.script('thread', 'en').src, `${ISLANDS_PATH}thread-AB12.js`);
  } finally {
    write({ thread: { file: 'thread-AB12.js', preload: ['chunk-CD34.js'] } });
  }
});
