import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { CommentResponseSchema, type CommentView } from '../../lib/contract';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest, sendRequest } from '../testing/http';
import { startNginx, type NginxProcess } from '../testing/nginx';
import { startNodeProcess, type NodeProcess } from '../testing/nodeProcess';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import { connectTestRedis, deleteKeys, namedRedisUrl, uniqueRedisPrefix, waitForSubscriber } from '../testing/redis';
import { record, subscribe, type ClientSocket } from '../testing/sockets';
import { addressesByNode, connectThrough } from '../testing/stickyRouting';
import { waitFor } from '../testing/wait';

const METRICS_TOKEN = 'nginx-test-metrics-token';

interface TlsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over TLS, trusting the test's self-signed certificate. */
function tlsRequest(url: string, options: { ca: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Production's shape: two real node processes (PostgreSQL, Redis, TRUST_PROXY=1)
 * behind a real nginx running deploy/nginx.conf.template, the file
 * docs/deploy.md tells operators to install. Clients connect through nginx only;
 * comments are posted on one node and must reach readers held by the other.
 */
describe('two nodes behind nginx (deploy/nginx.conf.template)', () => {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  let admin: Redis | undefined;
  let proxy: NginxProcess | undefined;
  const prefix = uniqueRedisPrefix();
  const nodes: NodeProcess[] = [];
  const sockets: ClientSocket[] = [];

  before(async () => {
    admin = await connectTestRedis();
    db = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    for (const name of ['a', 'b']) {
      nodes.push(
        await startNodeProcess({
          DATABASE_URL: db.databaseUrl!,
          DATA_DIR: db.dataDir,
          SESSION_SECRET: TEST_SESSION_SECRET,
          REDIS_URL: namedRedisUrl(`${prefix}-${name}`),
          REDIS_PREFIX: prefix,
          TRUST_PROXY: '1',
          METRICS_TOKEN,
          // Readers hear of the latest seq only every two minutes: only the Redis fan-out can deliver live.
          SYNC_INTERVAL_MS: '120000',
        }),
      );
      await waitForSubscriber(admin, `${prefix}-${name}`);
    }
    proxy = await startNginx({ nodes: nodes.map((n) => n.baseUrl) });
  });

  after(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await proxy?.stop();
    for (const node of nodes.splice(0)) await node.kill();
    await store?.close();
    await db?.cleanup();
    if (admin) {
      await deleteKeys(admin, prefix);
      await admin.quit();
    }
  });

  async function post(baseUrl: string, slug: string, body: string): Promise<CommentView> {
    const res = await new HttpGuest(baseUrl).post(slug, { body, authorName: 'Poster' });
    assert.equal(res.status, 201, `POST on ${baseUrl}: ${res.status} ${JSON.stringify(res.body)}`);
    return CommentResponseSchema.parse(res.body).comment;
  }

  test('readers through nginx (polling then upgrade, polling only, websocket only) hear comments posted on the other node', async () => {
    assert.ok(proxy && store);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const t = await createOpenThread(createServices({ store, sessionSecret: TEST_SESSION_SECRET }), 'nginx');
    const route = await addressesByNode({ proxyUrl: proxy.url, nodes: [a.baseUrl, b.baseUrl], token: METRICS_TOKEN });
    const fromA = route.get(a.baseUrl)!;
    const fromB = route.get(b.baseUrl)!;

    // Socket.IO's default: long-polling first, then the upgrade. Every polling request must reach the
    // node that holds the session (ip_hash); without stickiness the handshake's next request fails.
    const upgrading = await connectThrough(proxy.url, { from: fromA });
    sockets.push(upgrading);
    await waitFor('the polling connection to upgrade to a WebSocket through nginx', () => upgrading.io.engine.transport.name === 'websocket');
    const pollingOnly = await connectThrough(proxy.url, { from: fromB, transports: ['polling'] });
    sockets.push(pollingOnly);
    const websocketOnly = await connectThrough(proxy.url, { from: fromB, transports: ['websocket'] });
    sockets.push(websocketOnly);
    const readers = [
      { name: 'polling→websocket (node A)', socket: upgrading },
      { name: 'polling only (node B)', socket: pollingOnly },
      { name: 'websocket only (node B)', socket: websocketOnly },
    ].map((r) => ({ ...r, events: record(r.socket, 'thread:event') }));
    for (const r of readers) await subscribe(r.socket, t.slug, t.seq);

    const metrics = async (node: NodeProcess) => (await fetch(`${node.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    assert.match(await metrics(a), /^threadline_open_sockets 1$/m, 'node A holds the one reader routed to it');
    assert.match(await metrics(b), /^threadline_open_sockets 2$/m, 'node B holds the two readers routed to it');

    // Posted on each node directly (as another reader elsewhere would): each reaches the readers on the other.
    const onB = await post(b.baseUrl, t.slug, 'posted on node B');
    const onA = await post(a.baseUrl, t.slug, 'posted on node A');
    // And through nginx, as a browser on the site posts (its Origin is nginx's address).
    const through = await sendRequest({
      baseUrl: proxy.url,
      method: 'POST',
      path: `/api/threads/${t.slug}/comments`,
      cookie: undefined,
      json: { body: 'posted through nginx', authorName: 'Poster' },
      origin: proxy.url,
    });
    assert.equal(through.status, 201, JSON.stringify(through.body));
    const viaProxy = CommentResponseSchema.parse(through.body).comment;

    for (const r of readers) {
      for (const comment of [onB, onA, viaProxy]) {
        const event = await r.events.find(`${r.name} to hear “${comment.body}”`, (e) => e.seq === comment.seq);
        assert.equal(event.type === 'comment.created' && event.comment.id, comment.id);
      }
      assert.deepEqual(
        r.events.items.map((e) => e.seq),
        [onB.seq, onA.seq, viaProxy.seq],
        `${r.name}: each comment once, in order`,
      );
    }
    assert.equal(upgrading.io.engine.transport.name, 'websocket');
    assert.equal(pollingOnly.io.engine.transport.name, 'polling');
    assert.doesNotMatch(proxy.errorLog(), /\[(error|crit|alert|emerg)\]/, 'nginx logged no error');
  });

  test('the edge: forwarded headers, origin check, body limits, health and hidden metrics', async () => {
    assert.ok(proxy && store);
    const t = await createOpenThread(createServices({ store, sessionSecret: TEST_SESSION_SECRET }), 'edge');
    const request = (options: { method?: string; path: string; origin?: string | null; raw?: string; contentType?: string; headers?: Record<string, string> }) =>
      sendRequest({ baseUrl: proxy!.url, cookie: undefined, ...options, method: options.method ?? 'GET' });

    assert.equal((await request({ path: '/healthz' })).status, 200);
    assert.equal((await request({ path: '/readyz' })).status, 200);
    // Per-node metrics through a balancer would be a random node's: nginx hides them.
    assert.equal((await request({ path: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 404);

    // nginx overwrites X-Forwarded-Proto with its own scheme (plain HTTP here), so a client cannot claim
    // HTTPS: the guest cookie is not Secure and no HSTS is sent.
    const lying = await request({
      method: 'POST',
      path: `/api/threads/${t.slug}/comments`,
      origin: proxy.url,
      raw: JSON.stringify({ body: 'claims https', authorName: 'Mallory' }),
      contentType: 'application/json',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    assert.equal(lying.status, 201, JSON.stringify(lying.body));
    const cookie = lying.setCookies.find((c) => c.startsWith('tl_guest='));
    assert.ok(cookie, 'a guest cookie');
    assert.doesNotMatch(cookie, /;\s*Secure/i);
    assert.equal(lying.headers.get('strict-transport-security'), null);

    // Another site's page cannot post through the proxy.
    const foreign = await request({
      method: 'POST',
      path: `/api/threads/${t.slug}/comments`,
      origin: 'https://evil.example',
      raw: JSON.stringify({ body: 'cross-site', authorName: 'Mallory' }),
      contentType: 'application/json',
    });
    assert.equal(foreign.status, 403);

    // A body just over our 64 KiB gets the app's own JSON error; a far bigger one stops at nginx (128k).
    const json = (bytes: number) => JSON.stringify({ body: 'x'.repeat(bytes), authorName: 'Big' });
    const near = await request({ method: 'POST', path: `/api/threads/${t.slug}/comments`, origin: proxy.url, raw: json(80 * 1024), contentType: 'application/json' });
    assert.equal(near.status, 413);
    assert.deepEqual((near.body as { error: { code: string } }).error.code, 'payload_too_large');
    const huge = await request({ method: 'POST', path: `/api/threads/${t.slug}/comments`, origin: proxy.url, raw: json(512 * 1024), contentType: 'application/json' });
    assert.equal(huge.status, 413);
    assert.match(String(huge.body), /nginx/);
  });

  test('over TLS (THREADLINE_TLS): the nodes see HTTPS, so cookies are Secure, HSTS is sent, and a browser on the site posts and reads live', async () => {
    assert.ok(store);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const secure = await startNginx({ nodes: [a.baseUrl, b.baseUrl], tls: true });
    try {
      const ca = secure.ca!;
      const t = await createOpenThread(createServices({ store, sessionSecret: TEST_SESSION_SECRET }), 'tls');
      const comment = (origin: string, body: string) =>
        tlsRequest(`${secure.url}/api/threads/${t.slug}/comments`, {
          ca,
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify({ body, authorName: 'Tess' }),
        });

      const reader = await connectThrough(secure.url, { from: '127.0.0.1', ca, origin: secure.url });
      sockets.push(reader);
      await waitFor('the TLS polling connection to upgrade to a secure WebSocket', () => reader.io.engine.transport.name === 'websocket');
      const heard = record(reader, 'thread:event');
      await subscribe(reader, t.slug, t.seq);

      const posted = await comment(secure.url, 'over TLS');
      assert.equal(posted.status, 201, posted.body);
      // Over HTTPS the guest cookie carries the __Host- prefix: no sibling subdomain can plant one.
      const cookie = ([] as string[]).concat(posted.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-tl_guest='));
      assert.ok(cookie, 'a __Host- guest cookie');
      assert.match(cookie, /;\s*Secure/i);
      assert.equal(posted.headers['strict-transport-security'], 'max-age=31536000');
      const { seq } = CommentResponseSchema.parse(JSON.parse(posted.body)).comment;
      const onNode = await post(b.baseUrl, t.slug, 'posted on node B, heard over TLS');
      await heard.find('the comment posted through TLS', (e) => e.seq === seq);
      await heard.find('the comment posted on node B', (e) => e.seq === onNode.seq);

      // The site is https:// now; a page served over plain http is another origin.
      const plain = await comment(secure.url.replace('https:', 'http:'), 'from the http origin');
      assert.equal(plain.status, 403, plain.body);
      assert.doesNotMatch(secure.errorLog(), /\[(error|crit|alert|emerg)\]/, 'nginx logged no error');
    } finally {
      await secure.stop();
    }
  });
});
