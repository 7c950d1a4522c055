import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, type CommentView } from '../../lib/contract';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import type { TestDatabase } from '../../lib/store/testDatabases';
import { FailoverReader } from '../testing/failoverReader';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import type { NodeProcess } from '../testing/nodeProcess';
import { startPostgresServer, type OwnPostgresServer } from '../testing/postgresServer';
import { connectTestRedis, deleteKeys, REDIS_URL, uniqueRedisPrefix } from '../testing/redis';
import { createViaSocket, SocketPool, type ClientSocket } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { assertConverged, startTwoNodes, startWriter, storedSeqs, type WriterAnswer } from './cluster';

const READERS = 50;
const OUTAGE_MS = 3000;
/** The bound: while the database is down a request is refused, never hung. */
const ANSWER_WITHIN_MS = 5000;
/** Posting works again on both nodes this soon after PostgreSQL is back. */
const RESUME_WITHIN_MS = 5000;

/**
 * PostgreSQL restarted under two real node processes (a PostgreSQL of the
 * test's own; Redis is the shared one under a prefix of the test's own) while
 * 50 readers follow a thread and a writer posts to both nodes: while it is
 * down every post is refused cleanly and fast, the nodes report not ready and
 * stay up; afterwards posting works again, nothing acknowledged is lost and
 * every reader ends with exactly the database's events.
 */
let pg: OwnPostgresServer | undefined;
let store: Store | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-pgfault-'));
const prefix = uniqueRedisPrefix();
const processes: NodeProcess[] = [];
const sockets = new SocketPool();

before(async () => {
  (await connectTestRedis()).disconnect(); // A clear failure when Redis is not there.
  pg = await startPostgresServer();
  // Migrated once here, so the two nodes start on a ready schema.
  store = await openStore({ databaseUrl: pg.url, dataDir });
});

after(async () => {
  sockets.closeAll();
  // A node that died on its own is the failure to explain: show what it printed last.
  for (const p of processes) if (p.child.exitCode !== null) console.error(`node ${p.baseUrl} exited (${p.child.exitCode}):\n${p.output().slice(-4000)}`);
  for (const p of processes) await p.kill();
  await store?.close();
  await pg?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const admin = await connectTestRedis();
  await deleteKeys(admin, prefix);
  admin.disconnect();
});

/** 503 `unavailable` with the same Retry-After in the header and the body, answered fast. */
function assertRefusedCleanly(answer: WriterAnswer): void {
  const what = `a post to ${answer.url} while PostgreSQL was down`;
  assert.equal(answer.status, 503, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { error } = ErrorResponseSchema.parse(answer.body);
  assert.equal(error.code, 'unavailable', what);
  assert.ok(error.retryAfter !== undefined && error.retryAfter >= 1, `${what}: a retryAfter`);
  assert.equal(answer.retryAfter, String(error.retryAfter), `${what}: the Retry-After header`);
  assert.ok(answer.ms < ANSWER_WITHIN_MS, `${what} took ${answer.ms} ms`);
}

async function readiness(baseUrl: string): Promise<{ status: number; code: string | undefined }> {
  const res = await fetch(`${baseUrl}/readyz`);
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

async function socketPost(socket: ClientSocket, slug: string, body: string) {
  const started = Date.now();
  const ack = await createViaSocket(socket, { slug, body, authorName: 'Sol' });
  return { ack, ms: Date.now() - started };
}

const startedAt = (a: WriterAnswer) => a.at - a.ms;

test('PostgreSQL restarted mid-stream under two nodes: 503 unavailable while down, posting resumes, nothing acknowledged is lost, readers converge', async (t) => {
  const [a, b] = await startTwoNodes({ db: { kind: 'postgres', databaseUrl: pg!.url, dataDir, cleanup: async () => {} } satisfies TestDatabase, redisUrl: REDIS_URL, prefix });
  processes.push(a, b);
  const urls = [a.baseUrl, b.baseUrl];
  const thread = await createOpenThread(createServices({ store: store!, sessionSecret: TEST_SESSION_SECRET }), 'postgres restart');
  const slug = thread.slug;
  const readers = Array.from({ length: READERS }, () => new FailoverReader(sockets, urls, slug));
  await Promise.all(readers.map((r, i) => r.start({ node: i % 2, afterSeq: thread.seq })));
  const posters = await Promise.all(urls.map((url) => sockets.connect(url)));
  /** Comments acknowledged over sockets (the writer keeps its own). */
  const socketAcks: CommentView[] = [];

  const writer = startWriter({ urls, slug, intervalMs: 25 });
  await waitFor('posts to be acknowledged by both nodes', () => urls.every((url) => writer.acks.filter((ack) => ack.url === url).length >= 10), {
    timeoutMs: 10_000,
  });
  for (const [i, socket] of posters.entries()) {
    const { ack } = await socketPost(socket, slug, `by socket before, node ${i}`);
    assert.ok(ack.ok, JSON.stringify(ack));
    socketAcks.push(ack.comment);
  }

  // ── PostgreSQL down ──
  const stopping = Date.now();
  await pg!.stop();
  const stoppedAt = Date.now();
  t.diagnostic(`PostgreSQL stopped (in ${stoppedAt - stopping} ms) after ${writer.acknowledged.length} acknowledged posts`);
  for (const url of urls) {
    const ready = await readiness(url);
    assert.deepEqual(ready, { status: 503, code: 'not_ready' }, `${url}/readyz while PostgreSQL is down`);
  }
  for (const [i, socket] of posters.entries()) {
    const { ack, ms } = await socketPost(socket, slug, `by socket while down, node ${i}`);
    assert.ok(!ack.ok, `a socket post while PostgreSQL is down is refused: ${JSON.stringify(ack)}`);
    assert.equal(ack.error.code, 'unavailable');
    assert.ok(ack.error.retryAfter !== undefined && ack.error.retryAfter >= 1, 'a socket refusal carries retryAfter');
    assert.ok(ms < ANSWER_WITHIN_MS, `a socket post while down took ${ms} ms`);
  }
  // A few seconds of posts on both nodes, all answered.
  const duringOutage = await waitFor(
    'a few seconds of posts to both nodes while PostgreSQL is down',
    () => {
      const during = writer.answers.filter((ans) => startedAt(ans) >= stoppedAt);
      const each = urls.every((url) => during.filter((ans) => ans.url === url).length >= 10);
      return each && Date.now() - stoppedAt >= OUTAGE_MS ? during : undefined;
    },
    { timeoutMs: OUTAGE_MS + 20_000 },
  );
  for (const answer of duringOutage) assertRefusedCleanly(answer);
  t.diagnostic(`${duringOutage.length} posts refused while down, the slowest answered in ${Math.max(...duringOutage.map((ans) => ans.ms))} ms`);
  for (const p of processes) assert.equal(p.child.exitCode, null, `a node process exited while PostgreSQL was down:\n${p.output()}`);

  // ── PostgreSQL back ──
  await pg!.start();
  const backAt = Date.now();
  const resumed = await waitFor(
    'posting to work again on both nodes',
    () => {
      const ok = urls.map((url) => writer.answers.find((ans) => ans.url === url && ans.status === 201 && startedAt(ans) >= backAt));
      return ok.every((ans) => ans !== undefined) ? Math.max(...ok.map((ans) => ans!.at)) - backAt : undefined;
    },
    { timeoutMs: 3 * RESUME_WITHIN_MS },
  );
  assert.ok(resumed <= RESUME_WITHIN_MS, `posting worked again on both nodes ${resumed} ms after PostgreSQL was back`);
  t.diagnostic(`posting worked again on both nodes ${resumed} ms after PostgreSQL was back`);
  for (const url of urls) {
    await waitFor(`${url}/readyz to answer 200 again`, async () => (await readiness(url)).status === 200, { timeoutMs: RESUME_WITHIN_MS });
  }
  for (const [i, socket] of posters.entries()) {
    const { ack } = await socketPost(socket, slug, `by socket after, node ${i}`);
    assert.ok(ack.ok, `a socket post after the restart: ${JSON.stringify(ack)}`);
    socketAcks.push(ack.comment);
  }
  const ackedBeforeEnd = writer.acknowledged.length;
  await waitFor('more posts after the restart', () => writer.acknowledged.length >= ackedBeforeEnd + 20, { timeoutMs: 10_000 });
  await writer.stop();

  // Nothing else went wrong: every answer is a 201, or a clean 503 around the outage.
  const refused = writer.answers.filter((ans) => ans.status !== 201);
  for (const answer of refused) assertRefusedCleanly(answer);
  assert.ok(
    refused.every((ans) => ans.at >= stoppedAt - ANSWER_WITHIN_MS && startedAt(ans) <= backAt + resumed),
    'posts were refused only around the outage',
  );
  assert.deepEqual(writer.failures.filter((f) => !/: 503 /.test(f)), [], 'no post failed other than with 503');

  // Nothing acknowledged is lost, nothing is stored twice, and the events have no hole.
  const acknowledged = [
    ...writer.answers.filter((ans) => ans.status === 201).map((ans) => CommentResponseSchema.parse(ans.body).comment),
    ...socketAcks,
  ];
  const stored = await storedSeqs(store!, slug, thread.seq);
  assert.deepEqual(stored, Array.from({ length: stored.length }, (_, i) => thread.seq + 1 + i), 'the thread’s events run without holes');
  const threadRow = await store!.findThreadRowBySlug(slug);
  assert.equal(threadRow?.seq, stored.at(-1), 'the thread’s seq is its last event');
  const comments = await store!.listComments({ threadId: threadRow!.id });
  for (const c of acknowledged) {
    assert.ok(stored.includes(c.seq), `acknowledged seq ${c.seq} is stored`);
    assert.equal(comments.filter((s) => s.id === c.id).length, 1, `acknowledged comment ${c.id} is stored once`);
    assert.equal(comments.filter((s) => s.body === c.body).length, 1, `acknowledged post "${c.body}" is stored once`);
  }
  t.diagnostic(`${acknowledged.length} acknowledged, ${refused.length} refused with 503, ${comments.length} stored`);

  // Readers converge on exactly the database's events; the nodes kept serving them throughout.
  const last = stored.at(-1)!;
  await Promise.all(readers.map((r) => r.reader.waitUntilAt(last, 20_000)));
  for (const r of readers) r.stop();
  assertConverged(readers, stored);
  for (const r of readers) assert.equal(r.reader.moves, 0, 'no reader lost its connection: the nodes stayed up');
  for (const p of processes) {
    assert.equal(p.child.exitCode, null, `a node process exited:\n${p.output()}`);
    assert.equal((await fetch(`${p.baseUrl}/healthz`)).status, 200);
  }
});
