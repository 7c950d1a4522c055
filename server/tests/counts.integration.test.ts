import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { HttpGuest, sendRequest, type HttpResult } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { waitFor } from '../testing/wait';

const SITE = 'https://news.example.org';
const FOREIGN = 'https://elsewhere.example';

/** A Server-Sent Events stream read as a browser's EventSource would: every `counts` message, parsed. */
interface CountStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  messages: Array<Record<string, number | null>>;
  ended: Promise<void>;
  body: string;
  close(): void;
}

function openStream(baseUrl: string, path: string, origin: string): Promise<CountStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { headers: { origin, accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      const stream: CountStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages: [],
        body: '',
        ended: new Promise((done) => res.once('close', () => done())),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.body += chunk;
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: counts$/m.test(block) && data !== undefined) stream.messages.push(JSON.parse(data) as Record<string, number | null>);
        }
      });
      resolve(stream);
    });
    req.on('error', reject);
  });
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`comment counts (${kind})`, () => {
    let db: TestDatabase | undefined;
    let a: TestNode;
    let b: TestNode;
    const streams: CountStream[] = [];
    const get = (path: string, headers: Record<string, string> = {}, node: TestNode = a): Promise<HttpResult> =>
      sendRequest({ baseUrl: node.baseUrl, method: 'GET', path, cookie: undefined, headers });
    const post = (node: TestNode, slug: string, body: string) => new HttpGuest(node.baseUrl).post(slug, { body, authorName: 'Counter' });

    before(async () => {
      db = await createTestDatabase(kind);
      // Two nodes on one database, as behind a balancer: a comment on one reaches counts watched on the other.
      a = await startNode({ db, rateLimits: false, edge: { embedOrigins: [SITE] }, countFlushMs: 100 });
      b = await startNode({ db, rateLimits: false, edge: { embedOrigins: [SITE] }, countFlushMs: 100 });
    });

    after(async () => {
      for (const stream of streams) stream.close();
      await a?.close();
      await b?.close();
      await db?.cleanup();
    });

    test('GET /api/counts: visible comments of each thread, null for one unknown or hidden; cacheable, with an ETag', async () => {
      const one = await createOpenThread(a.services, 'counted');
      const two = await createOpenThread(a.services, 'hidden');
      for (const text of ['first', 'second', 'third']) assert.equal((await post(a, one.slug, `comment ${text}`)).status, 201);
      const removed = await post(a, one.slug, 'to be removed');
      const { user: admin } = await a.store.accounts.upsertUser({ username: `admin-${kind}-${process.pid}`, passwordHash: 'x', role: 'admin' });
      await a.services.moderation.actOnComment({ commentId: (removed.body as { comment: { id: string } }).comment.id, action: 'remove', actor: admin });
      await a.services.moderation.setThreadHidden({ slug: two.slug, hidden: true, actor: admin });

      const res = await get(`/api/counts?slugs=${one.slug},${two.slug},no-such-thread`, { origin: SITE });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { counts: { [one.slug]: 3, [two.slug]: null, 'no-such-thread': null }, urls: {} });
      assert.equal(res.headers.get('access-control-allow-origin'), SITE);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=10, stale-while-revalidate=30');
      const etag = res.headers.get('etag')!;
      assert.equal((await get(`/api/counts?slugs=${one.slug},${two.slug},no-such-thread`, { 'if-none-match': etag }, b)).status, 304, 'the same counts, from any node');
      await post(b, one.slug, 'a fourth');
      const changed = await get(`/api/counts?slugs=${one.slug},${two.slug},no-such-thread`, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.equal((changed.body as { counts: Record<string, number> }).counts[one.slug], 4);
    });

    test('a CMS on its server (no Origin) is answered; a page of a site not in EMBED_ORIGINS is refused, and may read why', async () => {
      const { slug } = await createOpenThread(a.services, 'cms');
      assert.equal((await get(`/api/counts?slugs=${slug}`)).status, 200);
      const refused = await get(`/api/counts?slugs=${slug}`, { origin: FOREIGN });
      assert.equal(refused.status, 403);
      assert.equal((refused.body as { error: { code: string } }).error.code, 'origin_not_allowed');
      assert.equal(refused.headers.get('access-control-allow-origin'), FOREIGN);
      const stream = await openStream(b.baseUrl, `/api/counts/live?slugs=${slug}`, FOREIGN);
      streams.push(stream);
      await stream.ended;
      assert.equal(stream.status, 403);
      assert.match(stream.body, /origin_not_allowed/);
    });

    test('bad requests are invalid_request naming the field, never a 500', async () => {
      for (const [query, field] of [['slugs=Not_A_Slug', 'slugs'], ['', 'slugs'], ['url=ftp://x.example/a', 'url']] as const) {
        const res = await get(`/api/counts?${query}`, { origin: SITE });
        assert.equal(res.status, 400, query);
        const error = (res.body as { error: { code: string; fields: Record<string, string[]> } }).error;
        assert.equal(error.code, 'invalid_request');
        assert.ok(error.fields[field], `${query}: ${JSON.stringify(error)}`);
      }
    });

    test('the live stream: every count first, then one message per interval with only what changed, comments posted on the other node included', async () => {
      const busy = await createOpenThread(a.services, 'busy');
      const quiet = await createOpenThread(a.services, 'quiet');
      const stream = await openStream(b.baseUrl, `/api/counts/live?slugs=${busy.slug},${quiet.slug},unknown-thread`, SITE);
      streams.push(stream);
      assert.equal(stream.status, 200);
      assert.match(stream.headers['content-type'] ?? '', /^text\/event-stream/);
      assert.equal(stream.headers['access-control-allow-origin'], SITE);
      await waitFor('the first counts', () => stream.messages[0]);
      assert.deepEqual(stream.messages[0], { [busy.slug]: 0, [quiet.slug]: 0, 'unknown-thread': null });

      // Ten comments on node A: at most one message per interval (100 ms here), never one per comment, none naming the quiet thread.
      const started = Date.now();
      for (let i = 0; i < 5; i++) await Promise.all([post(a, busy.slug, `comment number ${i}`), post(a, busy.slug, `comment number ${i} again`)]);
      await waitFor('the count of ten', () => stream.messages.find((m) => m[busy.slug] === 10));
      const intervals = Math.ceil((Date.now() - started) / 100) + 1;
      const changes = stream.messages.slice(1);
      assert.ok(changes.length < 10 && changes.length <= intervals, `${changes.length} messages for 10 comments in ${intervals} intervals`);
      for (const message of changes) assert.deepEqual(Object.keys(message), [busy.slug]);
      assert.deepEqual(changes.map((m) => m[busy.slug]), [...changes.map((m) => m[busy.slug]!)].sort((x, y) => x - y), 'counts only grow here');
    });

    test('GET /count.js: a small plain script any site may load, revalidated by ETag', async () => {
      const res = await get('/count.js');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.ok((res.body as string).length < 6000, `${(res.body as string).length} bytes minified`);
      assert.match(res.body as string, /data-threadline-count/);
      assert.equal((await get('/count.js', { 'if-none-match': res.headers.get('etag')! })).status, 304);
    });

    test('a stopping node ends its streams (the browser opens them again elsewhere)', async () => {
      const { slug } = await createOpenThread(a.services, 'closing');
      const extra = await startNode({ db: db!, rateLimits: false, edge: { embedOrigins: [SITE] }, countFlushMs: 100 });
      const stream = await openStream(extra.baseUrl, `/api/counts/live?slugs=${slug}`, SITE);
      streams.push(stream);
      await waitFor('the first counts', () => stream.messages[0]);
      await extra.close();
      await stream.ended;
      assert.match(stream.body, /^retry: \d+/);
    });
  });
}
