import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailoverReader } from '../testing/failoverReader';
import { waitFor } from '../testing/wait';
import { assertConverged, startWriter, storedSeqs } from './cluster';
import { useFaultCluster } from './faultCluster';

const READERS = 200;

const cluster = useFaultCluster();
const { sockets } = cluster;

test('SIGKILL a node while 200 clients read and comments flow: every reader ends with exactly the stored events', async () => {
  const [a, b] = await cluster.startNodes();
  const urls = [a.baseUrl, b.baseUrl];
  const t = await cluster.openThread('sigkill');

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

  const stored = await storedSeqs(cluster.store, t.slug, t.seq);
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
