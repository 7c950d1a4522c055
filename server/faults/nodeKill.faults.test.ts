import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { FailoverReader } from '../testing/failoverReader';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import type { NodeProcess } from '../testing/nodeProcess';
import { connectTestRedis, deleteKeys, REDIS_URL, uniqueRedisPrefix } from '../testing/redis';
import { SocketPool } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { assertConverged, startTwoNodes, startWriter, storedSeqs } from './cluster';

const READERS = 200;

let db: TestDatabase | undefined;
let store: Store | undefined;
const prefix = uniqueRedisPrefix();
const processes: NodeProcess[] = [];
const sockets = new SocketPool();

before(async () => {
  (await connectTestRedis()).disconnect(); // A clear failure when Redis is not there.
  db = await createTestDatabase('postgres');
  store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
});

after(async () => {
  sockets.closeAll();
  for (const p of processes) await p.kill();
  await store?.close();
  await db?.cleanup();
  const admin = await connectTestRedis();
  await deleteKeys(admin, prefix);
  admin.disconnect();
});

test('SIGKILL a node while 200 clients read and comments flow: every reader ends with exactly the stored events', async () => {
  const [a, b] = await startTwoNodes({ db: db!, redisUrl: REDIS_URL, prefix });
  processes.push(a, b);
  const urls = [a.baseUrl, b.baseUrl];
  const t = await createOpenThread(createServices({ store: store!, sessionSecret: TEST_SESSION_SECRET }), 'sigkill');

  // Half the readers on each node; each knows both URLs.
  const readers = Array.from({ length: READERS }, () => new FailoverReader(sockets, urls, t.slug));
  for (let i = 0; i < READERS; i += 20) {
    await Promise.all(readers.slice(i, i + 20).map((r, j) => r.start({ node: (i + j) % 2, afterSeq: t.seq })));
  }
  const onA = readers.filter((_, i) => i % 2 === 0);

  const writer = startWriter({ urls, slug: t.slug, intervalMs: 20 });
  await waitFor('comments to flow on both nodes', () => writer.acknowledged.length >= 40, { timeoutMs: 20_000 });
  await a.kill();
  const acknowledgedAtKill = writer.acknowledged.length;
  await waitFor('every reader of the dead node to move to the other', () => onA.every((r) => r.reader.moves >= 1 && r.reader.socket.connected), {
    timeoutMs: 20_000,
  });
  // Comments keep flowing on the survivor for a while after the move.
  await waitFor('more comments on the surviving node', () => writer.acknowledged.length >= acknowledgedAtKill + 40, { timeoutMs: 20_000 });
  await writer.stop();
  await Promise.all(readers.map((r) => r.moving));

  const stored = await storedSeqs(store!, t.slug, t.seq);
  const last = stored.at(-1)!;
  await waitFor('every reader to reach the last stored seq', () => readers.every((r) => r.reader.last >= last || r.reader.errors.length > 0), {
    timeoutMs: 30_000,
  });
  for (const r of readers) r.stop();

  for (const seq of writer.acknowledged) assert.ok(stored.includes(seq), `acknowledged seq ${seq} is stored`);
  assert.deepEqual(stored, Array.from({ length: stored.length }, (_, i) => t.seq + 1 + i), 'the stored seqs have no gap');
  assert.ok(
    writer.failures.every((f) => f.startsWith(a.baseUrl)),
    `only posts to the killed node failed: ${writer.failures.join('; ')}`,
  );
  assertConverged(readers, stored);
  for (const r of onA) assert.ok(r.disconnects.length >= 1 && r.reader.baseUrl === b.baseUrl, 'the dead node’s readers moved to the survivor');
  for (const r of readers.filter((_, i) => i % 2 === 1)) assert.equal(r.reader.moves, 0, 'the survivor’s readers stayed put');
});
