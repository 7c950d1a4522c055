import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, test } from 'node:test';
import { CommentResponseSchema } from '../../lib/contract';
import { createServices } from '../../lib/services';
import { openStore } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { createApp } from '../app';
import { heldPost, HttpGuest } from '../testing/http';
import { captureLog } from '../testing/logCapture';
import { scrape, sample } from '../testing/metrics';
import { createOpenThread, startNode, TEST_SESSION_SECRET, type TestNode } from '../testing/nodes';
import { uniqueRedisPrefix } from '../testing/redis';
import { OwnRedisServer } from '../testing/redisServer';
import { SocketPool, subscribe } from '../testing/sockets';
import { waitFor, within } from '../testing/wait';

const TOKEN = 'metrics-token-for-tests';

const cleanups: (() => Promise<void>)[] = [];
const sockets = new SocketPool();
after(async () => {
  sockets.closeAll();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function database(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  cleanups.push(() => db.cleanup());
  return db;
}

async function node(options: Parameters<typeof startNode>[0]): Promise<TestNode> {
  const n = await startNode({ metricsToken: TOKEN, ...options });
  cleanups.push(() => n.close());
  return n;
}

describe('probes', () => {
  test('/healthz is 200 while the process runs; /readyz checks the store (and says Redis is not configured)', async () => {
    const n = await node({ db: await database('sqlite') });
    const health = await fetch(`${n.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    assert.equal(health.headers.get('x-content-type-options'), 'nosniff', 'the standard security headers, as on every response');
    assert.match(health.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const ready = await fetch(`${n.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ok: true, checks: { store: 'ok', redis: 'not configured' } });
    assert.equal((await fetch(`${n.baseUrl}/readyz`, { method: 'POST' })).status, 405);
  });

  test('/readyz is 503 with a code while Redis is down, and 200 again once it is back; the adapter errors are counted', async () => {
    const redis = await OwnRedisServer.start();
    cleanups.push(() => redis.stop());
    const n = await node({ db: await database('postgres'), redis: { url: redis.url, prefix: uniqueRedisPrefix() } });
    await waitFor('ready with Redis', async () => (await fetch(`${n.baseUrl}/readyz`)).status === 200);
    await redis.stop();
    const down = await waitFor('not ready without Redis', async () => {
      const res = await fetch(`${n.baseUrl}/readyz`);
      return res.status === 503 ? res : undefined;
    });
    assert.deepEqual(await down.json(), {
      error: { code: 'not_ready', message: 'This server is not ready to take traffic (it is stopping, or a service it needs is down).' },
      shuttingDown: false,
      checks: { store: 'ok', redis: 'failed' },
    });
    assert.equal((await fetch(`${n.baseUrl}/healthz`)).status, 200, 'alive all the same');
    await waitFor('the lost Redis connections to be counted', async () => {
      const text = await scrape(n.baseUrl, TOKEN);
      return (sample(text, 'threadline_redis_adapter_errors_total', { client: 'subscriber', kind: 'reconnect' }) ?? 0) >= 1;
    });
    await redis.start();
    await waitFor('ready again', async () => (await fetch(`${n.baseUrl}/readyz`)).status === 200, { timeoutMs: 10_000 });
  });
});

describe('metrics', () => {
  test('/metrics is off without METRICS_TOKEN and needs the bearer token with it', async () => {
    const db = await database('sqlite');
    const off = await node({ db, metricsToken: undefined as unknown as string });
    assert.equal((await fetch(`${off.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
    const on = await node({ db });
    const none = await fetch(`${on.baseUrl}/metrics`);
    assert.equal(none.status, 403);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'forbidden');
    assert.equal((await fetch(`${on.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, 403);
    const ok = await fetch(`${on.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await ok.text(), /threadline_process_cpu_seconds_total/);
  });

  test('sockets, subscriptions, events published and delivered, post latency, catch-up sizes and HTTP requests', async () => {
    const n = await node({ db: await database('sqlite'), rateLimits: false });
    const t = await createOpenThread(n.services, 'metrics');
    const guest = new HttpGuest(n.baseUrl);
    const first = await guest.post(t.slug, { body: 'before the reader', authorName: 'Mo' });
    assert.equal(first.status, 201);

    const socket = await sockets.connect(n.baseUrl);
    const catchUp = await subscribe(socket, t.slug, t.seq);
    assert.equal(catchUp.missed.length, 1);
    const events: number[] = [];
    socket.on('thread:event', (e) => void events.push(e.seq));
    const second = await guest.post(t.slug, { body: 'live', authorName: 'Mo' });
    const seq = CommentResponseSchema.parse(second.body).comment.seq;
    await waitFor('the live event', () => events.includes(seq));
    assert.equal((await guest.post(t.slug, { body: '' })).status, 400);

    const text = await scrape(n.baseUrl, TOKEN);
    assert.equal(sample(text, 'threadline_open_sockets'), 1);
    assert.equal(sample(text, 'threadline_thread_subscriptions'), 1);
    assert.equal(sample(text, 'threadline_events_published_total', { type: 'comment.created' }), 2);
    assert.equal(sample(text, 'threadline_events_delivered_total', { event: 'thread:event' }), 1);
    assert.equal(sample(text, 'threadline_post_duration_seconds_count', { outcome: 'created' }), 2);
    assert.equal(sample(text, 'threadline_catch_up_events_count'), 1);
    assert.equal(sample(text, 'threadline_catch_up_events_sum'), 1);
    assert.equal(sample(text, 'threadline_http_requests_total', { method: 'POST', route: '/api/threads/:slug/comments', status: '201' }), 2);
    assert.equal(sample(text, 'threadline_http_requests_total', { method: 'POST', route: '/api/threads/:slug/comments', status: '400' }), 1);

    socket.disconnect();
    await waitFor('the gauges to drop', async () => sample(await scrape(n.baseUrl, TOKEN), 'threadline_open_sockets') === 0);
  });

  test('two apps in one process keep separate registries', async () => {
    const db = await database('sqlite');
    const a = await node({ db });
    const b = await node({ db });
    await fetch(`${a.baseUrl}/healthz`);
    await fetch(`${a.baseUrl}/healthz`);
    assert.equal(sample(await scrape(a.baseUrl, TOKEN), 'threadline_http_requests_total', { route: '/healthz' }), 2);
    assert.equal(sample(await scrape(b.baseUrl, TOKEN), 'threadline_http_requests_total', { route: '/healthz' }), undefined);
  });
});

describe('request log', () => {
  test('one line per request with method, path, status and duration; probes are quiet; secrets never appear', async () => {
    const captured = captureLog();
    const db = await database('sqlite');
    const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    const services = createServices({ store, sessionSecret: TEST_SESSION_SECRET });
    const app = createApp({
      services,
      log: captured.log,
      pageHandler: (req) => {
        if (req.url === '/broken') throw new Error('page exploded');
      },
    });
    cleanups.push(async () => {
      await app.close();
      await store.close();
    });
    const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const secrets = { cookie: 'tl_guest=COOKIE-SECRET-123; tl_staff=STAFF-SECRET-456', authorization: 'Bearer BEARER-SECRET-789' };
    assert.equal((await fetch(`${base}/api/threads?x=QUERY`, { headers: secrets })).status, 200);
    assert.equal((await fetch(`${base}/healthz`, { headers: secrets })).status, 200);
    assert.equal((await fetch(`${base}/broken`, { headers: secrets })).status, 500);

    const lines = await waitFor('two request lines', () => {
      const found = captured.entries().filter((e) => e.req);
      return found.length >= 2 ? found : undefined;
    });
    assert.doesNotMatch(captured.text(), /SECRET/);
    assert.equal(lines.length, 2, '/healthz is not logged');
    const [list, broken] = lines;
    assert.match(list!.msg, /^GET \/api\/threads 200 [\d.]+ms$/);
    assert.deepEqual(list!.req, { method: 'GET', path: '/api/threads' });
    assert.deepEqual(list!.res, { status: 200 });
    assert.equal(list!.route, '/api/threads');
    assert.equal(typeof list!.durationMs, 'number');
    // A server error keeps the headers for diagnosis, with the secrets redacted.
    assert.equal(broken!.level, 'error');
    assert.equal(broken!.req?.headers?.cookie, '[redacted]');
    assert.equal(broken!.req?.headers?.authorization, '[redacted]');
    assert.ok(captured.entries().some((e) => e.msg === 'page /broken failed' && e.err?.message === 'page exploded'));
  });
});

describe('close()', () => {
  test('readiness turns 503 at once, a POST in flight is answered, sockets are dropped, and close resolves unforced', async () => {
    const n = await node({ db: await database('postgres'), rateLimits: false });
    const t = await createOpenThread(n.services, 'shutdown');
    const socket = await sockets.connect(n.baseUrl);
    await subscribe(socket, t.slug, t.seq);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    // Headers now, body later: the request is in flight when the shutdown starts.
    const received = new Promise((resolve) => n.app.httpServer.once('request', resolve));
    const inFlight = heldPost(n.baseUrl, t.slug, { body: 'sent during the shutdown', authorName: 'Late' });
    await within('the server to receive the request', received);

    const closed = n.app.close({ drainMs: 300, graceMs: 5000 });
    const ready = await fetch(`${n.baseUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { shuttingDown: boolean }).shuttingDown, true);
    assert.equal((await fetch(`${n.baseUrl}/healthz`)).status, 200, 'alive while draining');

    assert.equal(await within('the socket to be dropped', disconnected), 'transport close', 'a reason the client reconnects after');
    inFlight.finish();
    const res = await within('the POST in flight to be answered', inFlight.answered);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(await within('close() to finish', closed), { forced: false });
    await assert.rejects(fetch(`${n.baseUrl}/healthz`), 'no new connections once closed');
    const stored = await n.store.listComments({ threadId: (await n.store.findThreadRowBySlug(t.slug))!.id });
    assert.deepEqual(stored.map((c) => c.body), ['sent during the shutdown']);
  });

  test('a request still open after the grace period is cut, and close says so', async () => {
    const n = await node({ db: await database('sqlite') });
    const req = http.request(`${n.baseUrl}/api/threads/x/comments`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 100 } });
    const failed = new Promise<void>((resolve) => req.on('error', () => resolve()));
    const received = new Promise((resolve) => n.app.httpServer.once('request', resolve));
    req.flushHeaders();
    await within('the server to receive the request', received);
    assert.deepEqual(await within('close() to finish', n.app.close({ graceMs: 200 })), { forced: true });
    await within('the cut request to fail on the client', failed);
  });
});
