import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dereference, validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import { ERRORS } from '../../lib/contract/errors';
import { createServices } from '../../lib/services';
import { importSeedDirectory } from '../../lib/seed/importSeeds';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { createApp, type App } from '../app';
import { buildOpenApiDocument } from '../http/openapi';
import { silentLogger } from '../log';
import { sendRequest } from '../testing/http';
import { SEED_SLUG, SEEDS_DIR } from '../testing/testApp';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

/** What the pages handler answers: so a path the server's own routers do not take is told apart from one they refuse. */
const PAGE_MARK = 'x-test-page';

describe('OpenAPI document', () => {
  let db: TestDatabase;
  let store: Store;
  let app: App;
  let baseUrl: string;
  let doc: Doc;

  before(async () => {
    db = await createTestDatabase('sqlite');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    await importSeedDirectory({ store, dir: SEEDS_DIR });
    app = createApp({
      services: createServices({ store, sessionSecret: 'test-secret-test-secret-test-secret!' }),
      log: silentLogger,
      pageHandler: (_req, res) => void res.writeHead(404, { [PAGE_MARK]: '1' }).end(),
      metricsToken: 'metrics-token-metrics-token',
    });
    const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${port}`;
    const res = await fetch(`${baseUrl}/api/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Doc;
  });
  after(async () => {
    await app.close();
    await store.close();
    await db.cleanup();
  });

  test('is valid OpenAPI 3.1 (checked against the specification’s own schema, offline)', async () => {
    const result = await validate(structuredClone(doc) as never);
    assert.equal(result.valid, true, JSON.stringify(result));
    assert.equal((doc as unknown as { openapi: string }).openapi, '3.1.0');
  });

  test('lists exactly the routes the app serves: none missing, none invented', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    assert.deepEqual(documented.sort(), app.routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  test('the server really answers each documented route, and no other method or path under /api', async () => {
    const fill = (path: string) => path.replace('{slug}', SEED_SLUG).replace('{id}', 'nosuchcomment').replace('{username}', 'nobody');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        // No body, no session, another origin at worst: whatever the answer, it must come from a route, not "no such route".
        const res = await sendRequest({ baseUrl, method: method.toUpperCase(), path: fill(path), cookie: undefined, json: method === 'get' ? undefined : {} });
        const code = (res.body as { error?: { code?: string } }).error?.code;
        assert.ok(res.headers.get(PAGE_MARK) === null, `${method} ${path} went to the pages`);
        assert.notEqual(code, 'method_not_allowed', `${method} ${path}`);
        if (code === 'not_found') assert.ok(path === '/metrics', `${method} ${path} answered not_found`);
      }
    }
    // A method the document does not list for a path is refused as such.
    const res = await sendRequest({ baseUrl, method: 'DELETE', path: '/api/threads', cookie: undefined, json: {} });
    assert.equal(res.status, 405);
    const none = await sendRequest({ baseUrl, method: 'GET', path: '/api/nothing-here', cookie: undefined });
    assert.equal(none.status, 404);
  });

  test('building the document fails when a route has no documentation (a type error first), or is listed twice', () => {
    // @ts-expect-error -- a route must carry its documentation: without it, it does not compile.
    assert.throws(() => buildOpenApiDocument({ routes: [...app.routes, { method: 'GET', path: '/api/secret' }], version: '1' }), /undocumented \["GET \/api\/secret"\]/);
    assert.throws(() => buildOpenApiDocument({ routes: [...app.routes, app.routes[0]!], version: '1' }), /listed twice \["GET \/api\/health"\]/);
  });

  test('real responses validate against the document’s schemas', async () => {
    const resolved = (await dereference(structuredClone(doc) as never)) as unknown as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // The one format the contract uses; ISO 8601 as toISOString writes it.
    ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s));
    const check = async (method: string, docPath: string, path: string, init: { json?: unknown; cookie?: string } = {}) => {
      const res = await sendRequest({ baseUrl, method, path, cookie: init.cookie, json: init.json });
      const schema = resolved.paths[docPath]?.[method.toLowerCase()]?.responses[String(res.status)]?.content?.['application/json']?.schema;
      assert.ok(schema, `${method} ${path}: status ${res.status} is not documented`);
      const valid = ajv.validate(schema, res.body);
      assert.ok(valid, `${method} ${path} ${res.status}: ${ajv.errorsText()}`);
      return res;
    };
    await check('GET', '/api/threads', '/api/threads');
    await check('GET', '/api/threads', '/api/threads?limit=1');
    await check('GET', '/api/threads', '/api/threads?limit=0&after=x');
    await check('GET', '/api/threads/{slug}', `/api/threads/${SEED_SLUG}?limit=3`);
    await check('GET', '/api/threads/{slug}/events', `/api/threads/${SEED_SLUG}/events?after=10`);
    await check('GET', '/api/threads/{slug}', '/api/threads/no-such-thread');
    await check('GET', '/api/threads/{slug}', `/api/threads/${SEED_SLUG}?limit=0`);
    await check('GET', '/readyz', '/readyz');
    await check('GET', '/api/auth/me', '/api/auth/me');
    // The seeded thread is locked: posting answers thread_locked (423), documented with its code.
    const locked = await check('POST', '/api/threads/{slug}/comments', `/api/threads/${SEED_SLUG}/comments`, { json: { body: 'hi', authorName: 'A' } });
    assert.equal(locked.status, ERRORS.thread_locked.status);
    const thread = await store.createThread({ slug: 'openapi-open', title: 'Open' });
    const posted = await check('POST', '/api/threads/{slug}/comments', `/api/threads/${thread.slug}/comments`, { json: { body: 'hello *world*', authorName: 'Ann' } });
    assert.equal(posted.status, 201);
  });
});
