import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { CommentResponseSchema } from '../../lib/contract/api';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { silentLogger } from '../log';
import { HttpGuest } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { deadUrl, startWebhookReceiver, type ReceivedWebhook } from '../testing/webhookReceiver';
import { waitFor } from '../testing/wait';
import { createWebhookDeliverer, EVENT_ID_HEADER, listenForWebhooks, SIGNATURE_HEADER, startWebhooks, verifySignature } from '../webhooks';
import type { WebhookPayload } from '../webhooks/payload';

const SECRET = 'webhook-secret-webhook-secret-0123';

function assertSigned(hook: ReceivedWebhook, nowSeconds = Math.floor(Date.now() / 1000)): WebhookPayload {
  const header = hook.headers[SIGNATURE_HEADER] as string | undefined;
  assert.ok(verifySignature({ secret: SECRET, header, body: hook.body, nowSeconds }), `signature ${header} does not verify`);
  // Any other secret, or a changed body, does not.
  assert.ok(!verifySignature({ secret: `${SECRET}x`, header, body: hook.body, nowSeconds }));
  assert.ok(!verifySignature({ secret: SECRET, header, body: `${hook.body} `, nowSeconds }));
  // Nor does the same request replayed later than the tolerance.
  assert.ok(!verifySignature({ secret: SECRET, header, body: hook.body, nowSeconds: nowSeconds + 301 }));
  assert.equal(hook.headers['content-type'], 'application/json');
  const payload = JSON.parse(hook.body) as WebhookPayload;
  assert.equal(hook.headers[EVENT_ID_HEADER], payload.id);
  return payload;
}

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`webhooks on ${kind}`, () => {
    let db: TestDatabase;
    let node: TestNode;
    const cleanups: (() => Promise<void>)[] = [];
    before(async () => {
      db = await createTestDatabase(kind);
      node = await startNode({ db, rateLimits: false });
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      // Every test finishes what it queued, so no test's deliverer picks up another's rows;
      // leftovers of a failed test are closed here so that they do not fail the next ones too.
      const left = await node.store.webhooks.list({ state: 'pending' });
      for (const d of left) await node.store.webhooks.markFailed({ id: d.id, at: new Date().toISOString(), error: 'left by a test', retryAt: null });
      assert.deepEqual(left.map((d) => d.url), []);
    });
    after(async () => {
      await node?.close();
      await db?.cleanup();
    });

    async function heldThread(): Promise<string> {
      const { slug } = await createOpenThread(node.services, 'held');
      const thread = (await node.store.findThreadRowBySlug(slug))!;
      await node.store.updateThread({ threadId: thread.id, changes: { preModeration: true } });
      return slug;
    }

    async function post(slug: string, body = 'please approve me') {
      const res = await new HttpGuest(node.baseUrl).post(slug, { body, authorName: 'Held Hal' });
      assert.equal(res.status, 201);
      return CommentResponseSchema.parse(res.body).comment;
    }

    /** Queues a notice the way the domain does, without a deliverer, and returns the outbox row's event id. */
    async function queueOne(urls: string[], clock: { now: () => number }): Promise<string> {
      const stop = listenForWebhooks({ services: node.services, urls, log: silentLogger, now: clock.now });
      try {
        const before = new Set((await node.store.webhooks.list()).map((d) => d.id));
        await post(await heldThread());
        const rows = await waitFor('the outbox rows', async () => {
          const added = (await node.store.webhooks.list()).filter((d) => !before.has(d.id));
          return added.length === urls.length && added;
        });
        assert.equal(new Set(rows.map((r) => r.eventId)).size, 1, 'one event, one row per URL');
        return rows[0]!.eventId;
      } finally {
        stop();
      }
    }

    test('a held comment and a report each reach the receiver, signed, with an event id', async () => {
      const receiver = await startWebhookReceiver();
      cleanups.push(receiver.close);
      const webhooks = startWebhooks({ services: node.services, urls: [receiver.url], secret: SECRET, log: silentLogger });
      cleanups.push(webhooks.close);

      const comment = await post(await heldThread());
      assert.equal(comment.status, 'pending');
      await waitFor('the held webhook', () => receiver.received.length === 1);
      const held = assertSigned(receiver.received[0]!);
      assert.equal(held.type, 'comment.held');
      assert.equal(held.comment.id, comment.id);
      assert.equal(held.comment.body, 'please approve me');
      assert.equal(held.comment.heldReason, 'pre_moderation');
      assert.equal(held.comment.author.name, 'Held Hal');
      assert.ok(!('guestId' in held.comment), 'the guest id stays on the server');

      const { slug } = await createOpenThread(node.services, 'reported');
      const visible = await post(slug, 'a rude comment');
      const report = await new HttpGuest(node.baseUrl).request('POST', `/api/comments/${visible.id}/report`, { json: { reason: 'rude <b>&</b>' } });
      assert.equal(report.status, 201);
      await waitFor('the report webhook', () => receiver.received.length === 2);
      const reported = assertSigned(receiver.received[1]!);
      assert.equal(reported.type, 'comment.reported');
      assert.equal(reported.comment.id, visible.id);
      assert.deepEqual(reported.report, { category: 'other', reason: 'rude <b>&</b>' });
      assert.equal(reported.thread.slug, slug);
      assert.notEqual(reported.id, held.id);
      await waitFor('both recorded as delivered', async () => {
        const delivered = await node.store.webhooks.list({ state: 'delivered' });
        return [held.id, reported.id].every((id) => delivered.some((d) => d.eventId === id));
      });
    });

    test('14.4 a report flood from 50 cookies on one comment is at most two deliveries, the last carrying the count; reports on other comments each arrive', async () => {
      const receiver = await startWebhookReceiver();
      cleanups.push(receiver.close);
      // Long enough that the 50 reports and their notices (queued behind each other on a busy machine) fit in one window.
      const windowMs = 4000;
      const webhooks = startWebhooks({ services: node.services, urls: [receiver.url], secret: SECRET, log: silentLogger, reportWindowMs: windowMs });
      cleanups.push(webhooks.close);
      const { slug } = await createOpenThread(node.services, 'flood');
      const target = await post(slug, 'a comment a mob dislikes');
      const others = [await post(slug, 'another comment'), await post(slug, 'a third comment')];
      const report = (commentId: string, category: string) => new HttpGuest(node.baseUrl).request('POST', `/api/comments/${commentId}/report`, { json: { category } });
      const about = (commentId: string) => receiver.received.map((r) => assertSigned(r)).filter((p) => p.comment.id === commentId);

      // Fifty readers, each with a cookie of its own, at once; two of them call it abuse.
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => report(target.id, i < 48 ? 'spam' : 'abuse')));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]));
      // The rest are folded into one later delivery that carries the count.
      const last = await waitFor('a delivery carrying all 50 reports', () => about(target.id).find((p) => p.reports?.open === 50), { timeoutMs: 10_000 });
      assert.deepEqual(last.reports, { open: 50, byCategory: { spam: 48, abuse: 2 } });
      assert.equal(last.type, 'comment.reported');
      await waitFor('nothing left to send', async () => (await node.store.webhooks.list({ state: 'pending' })).length === 0);
      const deliveries = about(target.id);
      const rows = await node.store.webhooks.list();
      const rowOf = (eventId: string) => rows.find((r) => r.eventId === eventId)!;
      const [first, second] = deliveries.map((p) => rowOf(p.id));
      const told = deliveries.map((p) => `${p.reports?.open} open, queued ${rowOf(p.id).createdAt}, due ${rowOf(p.id).nextAttemptAt}`);
      assert.ok(deliveries.length >= 1 && deliveries.length <= 2, `${deliveries.length} deliveries for one comment: ${told.join('; ')}`);
      assert.equal(new Set(deliveries.map((p) => p.id)).size, deliveries.length, 'each delivery is an event of its own');
      // When each was due, from the outbox: the first at once, the second a window after it (not a clock read by the test).
      assert.equal(first!.nextAttemptAt, first!.createdAt, 'the first report is sent at once');
      if (second) assert.equal(Date.parse(second.nextAttemptAt) - Date.parse(first!.nextAttemptAt), windowMs, 'the next a window later');

      // Reports on other comments are not folded into that one: each arrives, at once.
      for (const other of others) assert.equal((await report(other.id, 'off_topic')).status, 201);
      for (const other of others) {
        const [only] = await waitFor(`the webhook of ${other.id}`, () => about(other.id).length === 1 && about(other.id));
        assert.deepEqual(only!.reports, { open: 1, byCategory: { off_topic: 1 } });
      }
      // A later report of the flooded comment is told again, once the window since the last delivery has passed.
      assert.equal((await report(target.id, 'spam')).status, 201);
      await waitFor('the 51st report’s webhook', () => about(target.id).some((p) => p.reports?.open === 51), { timeoutMs: windowMs * 3 });
      assert.ok(about(target.id).length <= 3);
    });

    test('500s are retried with growing, jittered waits; the event id and a fresh signature each time', async () => {
      const receiver = await startWebhookReceiver({ plan: [500, 502, 200] });
      cleanups.push(receiver.close);
      const clock = manualClock();
      const eventId = await queueOne([receiver.url], clock);
      // random 0.5: each wait is 3/4 of the doubled base.
      const deliverer = createWebhookDeliverer({ store: node.store.webhooks, secret: SECRET, log: silentLogger, now: clock.now, random: () => 0.5, backoffBaseMs: 1000, maxAttempts: 5 });
      const row = async () => (await node.store.webhooks.list()).find((d) => d.eventId === eventId)!;

      assert.equal(await deliverer.runOnce(), 1);
      assert.equal((await row()).attempts, 1);
      assert.equal(Date.parse((await row()).nextAttemptAt) - clock.now(), 750);
      assert.equal((await row()).lastError, 'HTTP 500');
      assert.equal(await deliverer.runOnce(), 0, 'not due yet');
      clock.advance(750);
      assert.equal(await deliverer.runOnce(), 1);
      assert.equal(Date.parse((await row()).nextAttemptAt) - clock.now(), 1500, 'twice the wait');
      clock.advance(1500);
      assert.equal(await deliverer.runOnce(), 1);
      assert.equal((await row()).state, 'delivered');
      assert.equal(receiver.received.length, 3);
      const ids = receiver.received.map((r) => assertSigned(r, Math.floor(clock.now() / 1000)).id);
      assert.deepEqual(new Set(ids), new Set([eventId]));
      assert.equal(await deliverer.runOnce(), 0, 'nothing left');
    });

    test('gives up after the last attempt (5xx), at once on a 4xx, and retries refused connections', async () => {
      const failing = await startWebhookReceiver({ fallback: 503 });
      const refusing = await startWebhookReceiver({ fallback: 410 });
      cleanups.push(failing.close, refusing.close);
      const dead = await deadUrl();
      const clock = manualClock();
      const eventId = await queueOne([failing.url, refusing.url, dead], clock);
      const deliverer = createWebhookDeliverer({ store: node.store.webhooks, secret: SECRET, log: silentLogger, now: clock.now, random: () => 0, backoffBaseMs: 10, maxAttempts: 3 });
      const rows = async () => new Map((await node.store.webhooks.list()).filter((d) => d.eventId === eventId).map((d) => [d.url, d]));

      assert.equal(await deliverer.runOnce(), 3);
      let now = await rows();
      assert.equal(now.get(refusing.url)!.state, 'failed', 'a 4xx is not worth repeating');
      assert.equal(now.get(refusing.url)!.lastError, 'HTTP 410');
      assert.equal(now.get(failing.url)!.state, 'pending');
      assert.equal(now.get(failing.url)!.lastError, 'HTTP 503');
      assert.equal(now.get(dead)!.state, 'pending');
      assert.match(now.get(dead)!.lastError ?? '', /fetch failed|ECONNREFUSED/);
      for (let round = 2; round <= 3; round++) {
        clock.advance(60_000);
        assert.equal(await deliverer.runOnce(), 2);
      }
      now = await rows();
      for (const url of [failing.url, dead]) {
        assert.equal(now.get(url)!.state, 'failed', url);
        assert.equal(now.get(url)!.attempts, 3);
      }
      assert.equal(failing.received.length, 3);
      assert.equal(refusing.received.length, 1);
      clock.advance(60_000);
      assert.equal(await deliverer.runOnce(), 0, 'given up for good');
    });

    test('a receiver that never answers times out and is retried, then given up', async () => {
      // It never answers, so the (short) timeout fires however loaded the machine is.
      const slow = await startWebhookReceiver({ fallback: 'hang' });
      cleanups.push(slow.close);
      const clock = manualClock();
      const eventId = await queueOne([slow.url], clock);
      const deliverer = createWebhookDeliverer({ store: node.store.webhooks, secret: SECRET, log: silentLogger, now: clock.now, random: () => 0, backoffBaseMs: 10, maxAttempts: 2, timeoutMs: 200 });
      const row = async () => (await node.store.webhooks.list()).find((d) => d.eventId === eventId)!;
      assert.equal(await deliverer.runOnce(), 1);
      assert.equal((await row()).state, 'pending');
      assert.equal((await row()).lastError, 'timed out after 200 ms');
      clock.advance(60_000);
      assert.equal(await deliverer.runOnce(), 1);
      assert.equal((await row()).state, 'failed');
      assert.equal(slow.received.length, 2);
    });

    test('the background deliverer retries by itself (tiny backoff base), waking when something is queued', async () => {
      const receiver = await startWebhookReceiver({ plan: [500, 500] });
      cleanups.push(receiver.close);
      const webhooks = startWebhooks({ services: node.services, urls: [receiver.url], secret: SECRET, log: silentLogger, backoffBaseMs: 5, pollMs: 60_000 });
      cleanups.push(webhooks.close);
      await post(await heldThread());
      // The poll is a minute away: only the wake-up on queueing and the short backoff can deliver this in time.
      await waitFor('three attempts', () => receiver.received.length === 3, { timeoutMs: 5000 });
      const ids = new Set(receiver.received.map((r) => assertSigned(r).id));
      assert.equal(ids.size, 1);
    });

    test('nothing queued is lost across a restart: another store on the same database delivers it', async () => {
      const receiver = await startWebhookReceiver();
      cleanups.push(receiver.close);
      const clock = manualClock(Date.now());
      const eventId = await queueOne([receiver.url], clock);
      // A new process: its own store (connections) on the same database, nothing in memory.
      const restarted: Store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      cleanups.push(() => restarted.close());
      const deliverer = createWebhookDeliverer({ store: restarted.webhooks, secret: SECRET, log: silentLogger, now: clock.now });
      assert.equal(await deliverer.runOnce(), 1);
      assert.equal(receiver.received.length, 1);
      assert.equal(assertSigned(receiver.received[0]!).id, eventId);
    });

    test('in a cluster each delivery goes out once; a lease left by a dead node lapses and another node takes over', async () => {
      const receiver = await startWebhookReceiver();
      cleanups.push(receiver.close);
      const clock = manualClock(Date.now());
      const stores: Store[] = [];
      for (let i = 0; i < 3; i++) stores.push(await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }));
      cleanups.push(async () => void (await Promise.all(stores.map((s) => s.close()))));
      const start = (await node.store.webhooks.list()).length;
      for (let i = 0; i < 12; i++) await node.store.webhooks.enqueue({ eventId: `cluster${kind}${i}`, eventType: 'comment.held', payload: JSON.stringify({ id: i }), urls: [receiver.url], at: new Date(clock.now()).toISOString(), threadId: 'a-thread' });
      const deliverers = stores.map((store) => createWebhookDeliverer({ store: store.webhooks, secret: SECRET, log: silentLogger, now: clock.now, batch: 5 }));
      let attempted = 0;
      for (let round = 0; round < 4; round++) attempted += (await Promise.all(deliverers.map((d) => d.runOnce()))).reduce((a, b) => a + b, 0);
      assert.equal(attempted, 12);
      const ids = receiver.received.map((r) => r.headers[EVENT_ID_HEADER]);
      assert.equal(ids.length, 12, 'each delivered exactly once');
      assert.equal(new Set(ids).size, 12);
      assert.equal((await node.store.webhooks.list()).length, start + 12);

      // A node claims a delivery and dies before answering it.
      await node.store.webhooks.enqueue({ eventId: `lease${kind}`, eventType: 'comment.held', payload: '{}', urls: [receiver.url], at: new Date(clock.now()).toISOString(), threadId: 'a-thread' });
      const lease = 40_000;
      const claimed = await stores[0]!.webhooks.claimDue({ now: new Date(clock.now()).toISOString(), leaseUntil: new Date(clock.now() + lease).toISOString(), limit: 10 });
      assert.equal(claimed.length, 1);
      assert.equal(await deliverers[1]!.runOnce(), 0, 'leased to the dead node');
      clock.advance(lease);
      assert.equal(await deliverers[1]!.runOnce(), 1, 'the lease lapsed');
      assert.equal(receiver.received.at(-1)!.headers[EVENT_ID_HEADER], `lease${kind}`);
    });
  });
}
