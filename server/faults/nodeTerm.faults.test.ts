import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommentResponseSchema } from '../../lib/contract';
import { FailoverReader } from '../testing/failoverReader';
import { heldPost, HttpGuest } from '../testing/http';
import { waitFor, within } from '../testing/wait';
import { assertConverged, storedSeqs } from './cluster';
import { useFaultCluster } from './faultCluster';

const READERS = 40;
const DRAIN_MS = 1000;
const GRACE_MS = 5000;

const cluster = useFaultCluster();
const { sockets } = cluster;

test('SIGTERM a node: not ready at once, the POST in flight is answered, its readers move and catch up, exit 0 within the grace period', async () => {
  const [a, b] = await cluster.startNodes({ SHUTDOWN_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_GRACE_MS: String(GRACE_MS) });
  const urls = [a.baseUrl, b.baseUrl];
  const t = await cluster.openThread('sigterm');
  const readers = Array.from({ length: READERS }, () => new FailoverReader(sockets, urls, t.slug));
  await Promise.all(readers.map((r, i) => r.start({ node: i % 2, afterSeq: t.seq })));
  const onA = readers.filter((_, i) => i % 2 === 0);
  const guestA = new HttpGuest(a.baseUrl);
  const guestB = new HttpGuest(b.baseUrl);
  const before = await guestA.post(t.slug, { body: 'before the signal', authorName: 'Early' });
  assert.equal(before.status, 201);
  assert.equal((await fetch(`${a.baseUrl}/readyz`)).status, 200);

  const held = heldPost(a.baseUrl, t.slug, { body: 'in flight during the shutdown', authorName: 'Late' });
  // Connected with its headers sent; the node reads them long before the drain ends and it stops taking connections.
  await held.connected;

  const signalled = Date.now();
  a.signal('SIGTERM');
  const notReady = await waitFor(
    'readiness to turn 503',
    async () => {
      const res = await fetch(`${a.baseUrl}/readyz`);
      return res.status === 503 ? ((await res.json()) as { error: { code: string }; shuttingDown: boolean }) : undefined;
    },
    { timeoutMs: 500, intervalMs: 5 },
  );
  assert.equal(notReady.error.code, 'not_ready');
  assert.equal(notReady.shuttingDown, true);
  assert.ok(Date.now() - signalled < DRAIN_MS, 'not ready well before the node stops serving');
  // Meanwhile the other node takes posts.
  const during = await guestB.post(t.slug, { body: 'on B during the shutdown', authorName: 'Bea' });
  assert.equal(during.status, 201);

  await waitFor('every reader of the stopping node to move to the other', () => onA.every((r) => r.reader.moves >= 1 && r.reader.socket.connected), {
    timeoutMs: DRAIN_MS + GRACE_MS,
  });
  held.finish();
  const answer = await within('the POST in flight to be answered', held.answered, GRACE_MS);
  assert.equal(answer.status, 201, answer.text);
  const late = CommentResponseSchema.parse(JSON.parse(answer.text)).comment;

  const exit = await within('the node to exit', a.exited, DRAIN_MS + GRACE_MS + 2000);
  assert.deepEqual([exit.code, exit.signal], [0, null], a.output());
  assert.ok(exit.at - signalled <= DRAIN_MS + GRACE_MS, `exited ${exit.at - signalled} ms after the signal`);
  assert.match(a.output(), /stopped cleanly/);
  await assert.rejects(fetch(`${a.baseUrl}/healthz`), 'the stopped node takes no connections');

  const last = await guestB.post(t.slug, { body: 'after, on B', authorName: 'Bea' });
  const lastSeq = CommentResponseSchema.parse(last.body).comment.seq;
  await Promise.all(readers.map((r) => r.moving));
  await Promise.all(readers.map((r) => r.reader.waitUntilAt(lastSeq)));
  for (const r of readers) r.stop();

  const stored = await storedSeqs(cluster.store, t.slug, t.seq);
  assert.ok(stored.includes(late.seq), 'the post answered during the shutdown is stored');
  assertConverged(readers, stored);
  for (const r of onA) {
    assert.deepEqual(r.disconnects, ['transport close'], 'the server closed the connection (a reason the client reconnects after)');
    assert.equal(r.reader.baseUrl, b.baseUrl);
  }
});
