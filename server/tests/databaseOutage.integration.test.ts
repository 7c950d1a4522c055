import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, ThreadResponseSchema } from '../../lib/contract';
import type { TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { startPostgresServer, type OwnPostgresServer } from '../testing/postgresServer';
import { createViaSocket, SocketPool, subscribeAck } from '../testing/sockets';
import { waitFor } from '../testing/wait';

/**
 * PostgreSQL restarted under a running node (a PostgreSQL of the test's own):
 * while it is down every request fails fast and cleanly — 503 `unavailable`
 * with Retry-After, on HTTP and in socket acks, never a 500 or a hang — and
 * afterwards posting works again and nothing acknowledged is lost.
 */
let pg: OwnPostgresServer | undefined;
let node: TestNode | undefined;
const sockets = new SocketPool();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-outage-'));

before(async () => {
  pg = await startPostgresServer();
  const db: TestDatabase = { kind: 'postgres', databaseUrl: pg.url, dataDir, cleanup: async () => {} };
  node = await startNode({ db, rateLimits: false });
});

after(async () => {
  sockets.closeAll();
  await node?.close();
  await pg?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** 503 unavailable, with the same Retry-After in the header and the body, and nothing private. */
function unavailable(res: HttpResult, what: string): void {
  assert.equal(res.status, 503, `${what}: expected 503, got ${res.status} ${JSON.stringify(res.body)}`);
  const { error } = ErrorResponseSchema.parse(res.body);
  assert.equal(error.code, 'unavailable');
  assert.ok(error.retryAfter !== undefined && error.retryAfter >= 1);
  assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
  assert.doesNotMatch(JSON.stringify(res.body), /ECONNREFUSED|127\.0\.0\.1|postgres|terminat|at /i);
}

async function timed<T>(what: string, run: () => Promise<T>, limitMs = 5000): Promise<T> {
  const started = Date.now();
  const result = await run();
  assert.ok(Date.now() - started < limitMs, `${what} took ${Date.now() - started} ms: a request must fail fast while the database is down`);
  return result;
}

test('PostgreSQL down: 503 unavailable on HTTP and sockets, fast; back up: posting works and nothing acknowledged is lost', async () => {
  const n = node!;
  const t = await createOpenThread(n.services, 'outage');
  const guest = new HttpGuest(n.baseUrl);
  const acknowledged: string[] = [];
  const post = async (body: string) => {
    const res = await guest.post(t.slug, { body, authorName: 'Pat' });
    assert.equal(res.status, 201, `posting "${body}": ${res.status} ${JSON.stringify(res.body)}`);
    acknowledged.push(CommentResponseSchema.parse(res.body).comment.id);
  };
  for (let i = 0; i < 3; i++) await post(`before ${i}`);
  const socket = await sockets.connect(n.baseUrl);
  const viaSocket = await createViaSocket(socket, { slug: t.slug, body: 'before, by socket', authorName: 'Sol' });
  assert.ok(viaSocket.ok);
  acknowledged.push(viaSocket.comment.id);

  await pg!.stop();

  for (let i = 0; i < 3; i++) {
    unavailable(await timed('a post', () => guest.post(t.slug, { body: `while down ${i}`, authorName: 'Pat' })), `post ${i} while down`);
  }
  unavailable(await timed('a thread read', () => guest.get(`/api/threads/${t.slug}`)), 'reading the thread');
  unavailable(await timed('the thread list', () => guest.get('/api/threads')), 'the thread list');
  const ack = await timed('a socket post', () => createViaSocket(socket, { slug: t.slug, body: 'while down, by socket', authorName: 'Sol' }));
  assert.ok(!ack.ok, 'refused');
  assert.equal(ack.error.code, 'unavailable');
  assert.ok(ack.error.retryAfter !== undefined && ack.error.retryAfter >= 1);
  const sub = await timed('a subscribe', () => subscribeAck(socket, t.slug, 0));
  assert.ok(!sub.ok && sub.error.code === 'unavailable', JSON.stringify(sub));
  assert.equal((await fetch(`${n.baseUrl}/api/health`)).status, 200, 'the process itself stays up');

  await pg!.start();

  // The pool opens new connections on demand: the first request after the restart already works.
  await waitFor('posting to work again', async () => (await guest.post(t.slug, { body: 'probe', authorName: 'Pat' })).status === 201, { timeoutMs: 10_000 });
  await post('after the restart');
  const socketAfter = await createViaSocket(socket, { slug: t.slug, body: 'after, by socket', authorName: 'Sol' });
  assert.ok(socketAfter.ok, JSON.stringify(socketAfter));
  acknowledged.push(socketAfter.comment.id);

  const page = await guest.get(`/api/threads/${t.slug}`);
  assert.equal(page.status, 200);
  const ids = new Set(ThreadResponseSchema.parse(page.body).comments.map((c) => c.id));
  for (const id of acknowledged) assert.ok(ids.has(id), `acknowledged comment ${id} is still there`);
});
