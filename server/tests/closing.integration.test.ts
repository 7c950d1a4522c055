import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ThreadDetailSchema, type ThreadEventWire } from '../../lib/contract';
import type { HttpResult } from '../testing/http';
import { createOpenThread } from '../testing/nodes';
import { createViaSocket, record, subscribe } from '../testing/sockets';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

const threadOf = (res: HttpResult, status = 200) => ThreadDetailSchema.parse((expectStatus(res, status) as { thread: unknown }).thread);

/**
 * Closing on time over the real app, on SQLite and PostgreSQL: a moderator schedules and clears the
 * closing time with the thread settings call, bad times get a field error, posts over HTTP and the
 * socket are refused from the closing time on, the claim's lock reaches a subscribed reader as a
 * manual lock does, and unlocking after the time keeps the thread open.
 */
for (const kind of DATABASE_KINDS) {
  describe(`closing on time over the app, on ${kind}`, () => {
    const suite = useStaffNode(kind);

    test('scheduling takes a time with its offset, kept in UTC; bad or past times are refused by field', async () => {
      const t = await createOpenThread(suite.node.services, 'schedule');
      const ahead = new Date(Date.now() + 3 * 3_600_000);
      ahead.setUTCMilliseconds(0);
      // The moderator's 18:00 in UTC+02:00 is 16:00 UTC.
      const local = new Date(ahead.getTime() + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00');
      const scheduled = threadOf(await suite.mod.client.settings(t.slug, { closesAt: local }));
      assert.equal(scheduled.closesAt, ahead.toISOString());
      assert.equal(threadOf(await new WebClient(suite.node.baseUrl).get(`/api/threads/${t.slug}`)).closesAt, ahead.toISOString(), 'readers see it');

      const field = (res: HttpResult) => expectError(res, 400, 'invalid_request').fields?.closesAt;
      assert.ok(field(await suite.mod.client.settings(t.slug, { closesAt: 'tomorrow at six' })));
      assert.ok(field(await suite.mod.client.settings(t.slug, { closesAt: '2026-12-06T18:00:00' })), 'a time without its offset is ambiguous');
      assert.match(String(field(await suite.mod.client.settings(t.slug, { closesAt: new Date(Date.now() - 60_000).toISOString() }))), /future/);
      expectError(await new WebClient(suite.node.baseUrl).request('PATCH', `/api/threads/${t.slug}`, { json: { closesAt: ahead.toISOString() } }), 401, 'not_signed_in');

      const cleared = threadOf(await suite.mod.client.settings(t.slug, { closesAt: null }));
      assert.equal(cleared.closesAt, undefined, 'no closing time: absent');
    });

    test('from the closing time posts are refused; the claim locks the thread once, live; unlocking keeps it open', async () => {
      const { services, store } = suite.node;
      const t = await createOpenThread(services, 'closing');
      const thread = (await store.findThreadBySlug(t.slug))!;
      const reader = await suite.sockets.connect(suite.node.baseUrl);
      await subscribe(reader, t.slug, t.seq);
      const events = record(reader, 'thread:event');

      // The time has come (set in the store: the API takes only future times), and no poller has run.
      await store.updateThread({ threadId: thread.id, changes: { closesAt: new Date(Date.now() - 1_000).toISOString() } });
      const guest = new WebClient(suite.node.baseUrl);
      expectError(await guest.post(`/api/threads/${t.slug}/comments`, { body: 'Too late over HTTP', authorName: 'Late' }), 423, 'thread_locked');
      const ack = await createViaSocket(reader, { slug: t.slug, body: 'Too late over the socket', authorName: 'Late', parentId: null, clientId: 'late-1' });
      assert.deepEqual(ack.ok ? 'posted' : ack.error.code, 'thread_locked');

      const [first, second] = await Promise.all([services.moderation.closeDueThreads({ limit: 10 }), services.moderation.closeDueThreads({ limit: 10 })]);
      assert.equal(first + second, 1, 'locked once');
      const lock = await events.find('the lock event', (e: ThreadEventWire) => e.type === 'thread.updated' && e.thread.locked);
      assert.equal(lock.slug, t.slug);
      assert.equal(events.items.filter((e: ThreadEventWire) => e.type === 'thread.updated' && e.thread.locked).length, 1);

      const reopened = threadOf(await suite.mod.client.unlock(t.slug));
      assert.deepEqual([reopened.locked, reopened.closesAt], [false, undefined], 'the passed time goes with the unlock');
      assert.equal(await services.moderation.closeDueThreads({ limit: 10 }), 0, 'not locked again');
      expectStatus(await guest.post(`/api/threads/${t.slug}/comments`, { body: 'Open again', authorName: 'Back' }), 201);
    });
  });
}
