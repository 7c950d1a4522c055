import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from './index';
import type { NewMail } from './mailStore';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

/**
 * The mail outbox's store on both engines (docs/email.md, "The outbox"): a mail is claimed by one
 * node only, even when nodes claim at once; a lease keeps a mail in flight from others until it is
 * over; a dedupe key queues once; only a dead mail is sent again; sent ones lose their text and go.
 */
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
let n = 0;
const mail = (overrides: Partial<NewMail> = {}): NewMail => ({
  userId: null,
  to: `to-${++n}@example.test`,
  kind: 'verify',
  subject: `subject ${n}`,
  text: 'text',
  html: '<p>html</p>',
  headers: { 'List-Unsubscribe': '<https://x.example/u>' },
  messageId: `<m${n}@x.example>`,
  ...overrides,
});

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the mail outbox on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    // Another node's connections (PostgreSQL; SQLite is one node's database).
    let other: Store;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      other = kind === 'postgres' ? await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }) : store;
    });
    after(async () => {
      if (other !== store) await other.close();
      await store.close();
      await db.cleanup();
    });

    test('nodes claiming at once: every mail is claimed exactly once; a lease keeps it until it is over', async () => {
      const queued = Array.from({ length: 40 }, () => mail());
      for (const m of queued) assert.equal(await store.mail.enqueue(m, iso(T0)), true);
      // Rounds of six claims at once, half from each node, until nothing is left: a claim that loses a race skips the mail.
      const claims: Awaited<ReturnType<Store['mail']['claimDue']>> = [];
      for (let round = 0; round < 10; round++) {
        const got = (await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).mail.claimDue({ now: iso(T0 + 1000), leaseUntil: iso(T0 + 61_000), limit: 15 })))).flat();
        if (got.length === 0) break;
        claims.push(...got);
      }
      const ids = claims.map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length, 'no mail claimed twice');
      assert.equal(ids.length, 40, 'every mail claimed');
      assert.ok(claims.every((m) => m.attempts === 1), 'the attempt is counted at the claim');
      const byTo = new Map(claims.map((m) => [m.to, m]));
      assert.deepEqual(byTo.get(queued[0]!.to)?.headers, { 'List-Unsubscribe': '<https://x.example/u>' });
      assert.equal(byTo.get(queued[0]!.to)?.messageId, queued[0]!.messageId);

      // Within the lease nobody takes them (a node died with them); after it, one node does.
      assert.deepEqual(await store.mail.claimDue({ now: iso(T0 + 60_000), leaseUntil: iso(T0 + 120_000), limit: 100 }), []);
      const again = await Promise.all([store.mail.claimDue({ now: iso(T0 + 61_000), leaseUntil: iso(T0 + 121_000), limit: 100 }), other.mail.claimDue({ now: iso(T0 + 61_000), leaseUntil: iso(T0 + 121_000), limit: 100 })]);
      assert.equal(again.flat().length, 40);
      assert.ok(again.flat().every((m) => m.attempts === 2));
      for (const m of again.flat()) await store.mail.markSent({ id: m.id, at: iso(T0 + 62_000) });
      assert.deepEqual(await store.mail.claimDue({ now: iso(T0 + 10_000_000), leaseUntil: iso(T0 + 10_060_000), limit: 100 }), []);
      const sent = await store.mail.list({ state: 'sent', limit: 100 });
      assert.equal(sent.length, 40);
      assert.ok(sent.every((m) => m.text === '' && m.html === '' && m.subject === ''), 'a sent mail keeps no text');
      assert.equal(await store.mail.sweepSent({ before: iso(T0 + 62_001) }), 40);
      assert.equal(await store.mail.nextDueAt(), null);
    });

    test('a dedupe key queues once; a failure waits for its retry time; only a dead mail is sent again', async () => {
      assert.equal(await store.mail.enqueue(mail({ dedupeKey: 'queue:c1:u1' }), iso(T0)), true);
      assert.equal(await other.mail.enqueue(mail({ dedupeKey: 'queue:c1:u1' }), iso(T0)), false);
      const [first] = await store.mail.claimDue({ now: iso(T0), leaseUntil: iso(T0 + 60_000), limit: 10 });
      assert.ok(first);
      await store.mail.markFailed({ id: first.id, at: iso(T0 + 1000), error: '451 try later', retryAt: iso(T0 + 30_000) });
      assert.equal(await store.mail.nextDueAt(), iso(T0 + 30_000));
      assert.deepEqual(await store.mail.claimDue({ now: iso(T0 + 29_000), leaseUntil: iso(T0 + 89_000), limit: 10 }), [], 'not before its retry time');
      assert.equal(await store.mail.retry({ id: first.id, at: iso(T0 + 2000) }), false, 'a pending mail is no dead letter');
      const [second] = await store.mail.claimDue({ now: iso(T0 + 30_000), leaseUntil: iso(T0 + 90_000), limit: 10 });
      assert.equal(second?.lastError, '451 try later');
      await store.mail.markFailed({ id: first.id, at: iso(T0 + 31_000), error: '550 no such mailbox', retryAt: null });
      const [dead] = await store.mail.list({ state: 'dead', limit: 10 });
      assert.deepEqual([dead?.id, dead?.attempts, dead?.lastError], [first.id, 2, '550 no such mailbox']);
      assert.equal(await store.mail.retry({ id: first.id, at: iso(T0 + 40_000) }), true);
      assert.equal(await store.mail.retry({ id: first.id, at: iso(T0 + 40_000) }), false, 'once');
      const [revived] = await store.mail.claimDue({ now: iso(T0 + 40_000), leaseUntil: iso(T0 + 100_000), limit: 10 });
      assert.deepEqual([revived?.id, revived?.attempts, revived?.messageId], [first.id, 1, first.messageId]);
      await store.mail.markSent({ id: first.id, at: iso(T0 + 41_000) });
      assert.equal(await store.mail.enqueue(mail({ dedupeKey: 'queue:c1:u1' }), iso(T0 + 50_000)), false, 'the key holds while the sent mail is kept');
    });
  });
}
