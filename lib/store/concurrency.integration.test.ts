import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ThreadEvent } from '../domain/events';
import type { Comment } from '../domain/types';
import { openStore, type Store } from './index';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

const WRITERS = 50;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/**
 * Writers start a few event-loop turns apart (never waiting for each other),
 * so the reader's queries land between their transactions, also on SQLite's
 * single connection where a burst started in one turn would all queue ahead of it.
 */
const staggered = async (i: number) => {
  for (let turn = 0; turn < i % 10; turn++) await new Promise((resolve) => setImmediate(resolve));
};
const summary = (e: ThreadEvent) => [e.seq, e.type, e.type === 'comment.created' || e.type === 'comment.updated' ? e.comment.id : null] as const;

/**
 * A reader that follows a thread the way catch-up does, `eventsAfter(last)`
 * over and over while the writers run, and keeps everything it saw. If a row
 * ever committed below one the reader had already passed, the reader would
 * never see it.
 */
function startPoller(store: Store, threadId: string, afterSeq: number) {
  const seen: ThreadEvent[] = [];
  let stopRequested = false;
  let polls = 0;
  let batches = 0;
  const done = (async () => {
    let last = afterSeq;
    for (;;) {
      // Read the flag before the query: a query that starts after every writer finished sees everything.
      const final = stopRequested;
      const batch = await store.eventsAfter({ threadId, afterSeq: last });
      polls++;
      if (batch.length > 0) batches++;
      for (const event of batch) {
        seen.push(event);
        last = event.seq;
      }
      if (final) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    seen,
    polls: () => polls,
    /** Polls that found something new. */
    batches: () => batches,
    async stop() {
      stopRequested = true;
      await done;
    },
  };
}

/**
 * The per-thread seq under concurrent writers, on the real engines: every
 * change takes the thread's next seq in the transaction that makes it, so
 * seqs are contiguous, unique, and commit in order.
 */
for (const kind of ['postgres', 'sqlite'] as const satisfies readonly TestDatabaseKind[]) {
  describe(`concurrent writers on one thread (${kind})`, () => {
    const opened: { db: TestDatabase; stores: Store[] }[] = [];

    /** A fresh database, and `count` stores on it (on PostgreSQL, each its own pool: as separate nodes). */
    async function freshStores(count: number): Promise<Store[]> {
      const db = await createTestDatabase(kind);
      const entry = { db, stores: [] as Store[] };
      opened.push(entry);
      for (let i = 0; i < count; i++) entry.stores.push(await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }));
      return entry.stores;
    }

    // One schema at a time: see the last test of this file for why.
    afterEach(async () => {
      for (const { db, stores } of opened.splice(0)) {
        for (const s of stores) await s.close();
        await db.cleanup();
      }
    });

    // SQLite is one connection per process by design (docs/decisions.md): one store serves writers and reader.
    const storeCount = kind === 'postgres' ? 2 : 1;

    test(`${WRITERS} concurrent writers: seqs contiguous, no duplicates, and a polling reader misses none`, async () => {
      const stores = await freshStores(storeCount);
      const writer = stores[0]!;
      const readerStore = stores.at(-1)!;
      const thread = await writer.createThread({ slug: 'fifty-writers', title: 'Fifty writers' });
      assert.equal(thread.seq, 1);

      const poller = startPoller(readerStore, thread.id, thread.seq);
      const results = await Promise.all(
        Array.from({ length: WRITERS }, async (_, i) => {
          await staggered(i);
          return writer.createComment({ threadId: thread.id, parentId: null, authorName: `Writer ${i}`, authorGuestId: `writer${i}`, body: `comment ${i}`, clientId: `c${i}` });
        }),
      );
      await poller.stop();

      const end = thread.seq + WRITERS;
      for (const { comment, event } of results) {
        assert.ok(event, 'each writer stored a new comment');
        assert.equal(event.seq, comment.seq);
        assert.equal(event.type, 'comment.created');
      }
      assert.deepEqual(
        results.map((r) => r.comment.seq).sort((x, y) => x - y),
        range(thread.seq + 1, end),
        'one seq each, no hole, no duplicate',
      );

      const all = await readerStore.eventsAfter({ threadId: thread.id, afterSeq: 0 });
      assert.deepEqual(
        all.map((e) => e.seq),
        range(1, end),
      );
      assert.equal((await readerStore.findThreadBySlug(thread.slug))?.seq, end);
      const comments = await readerStore.listComments({ threadId: thread.id });
      assert.equal(comments.length, WRITERS);
      assert.deepEqual(
        comments.map((c) => c.seq),
        range(thread.seq + 1, end),
      );

      assert.deepEqual(
        poller.seen.map(summary),
        all.slice(1).map(summary),
        'the poller saw every event, in order, once',
      );
      assert.ok(poller.batches() >= 2, `the poller read alongside the writers (${poller.batches()} batches in ${poller.polls()} polls)`);
    });

    test(`${WRITERS} concurrent mixed writes (comments, replies, edits${storeCount > 1 ? ', from two nodes' : ''}): one gap-free sequence`, async () => {
      const stores = await freshStores(storeCount);
      const thread = await stores[0]!.createThread({ slug: 'mixed-writers', title: 'Mixed writers' });
      const roots: Comment[] = [];
      for (let i = 0; i < 5; i++) {
        const { comment } = await stores[0]!.createComment({ threadId: thread.id, parentId: null, authorName: 'Root', authorGuestId: `root${i}`, body: `root ${i}`, clientId: null });
        roots.push(comment);
      }
      const start = thread.seq + roots.length;

      const poller = startPoller(stores.at(-1)!, thread.id, start);
      const outcomes = await Promise.all(
        Array.from({ length: WRITERS }, async (_, i) => {
          await staggered(i);
          const store = stores[i % stores.length]!;
          const root = roots[i % roots.length]!;
          if (i % 3 === 2) {
            const { event } = await store.updateComment({ threadId: thread.id, commentId: root.id, changes: { body: `root edited by ${i}`, editedAt: new Date().toISOString() } });
            return event.seq;
          }
          const { event } = await store.createComment({
            threadId: thread.id,
            parentId: i % 3 === 0 ? root.id : null,
            authorName: `Writer ${i}`,
            authorGuestId: `mixed${i}`,
            body: `write ${i}`,
            clientId: null,
          });
          assert.ok(event);
          return event.seq;
        }),
      );
      await poller.stop();

      const end = start + WRITERS;
      assert.deepEqual(
        [...outcomes].sort((x, y) => x - y),
        range(start + 1, end),
      );
      const all = await stores[0]!.eventsAfter({ threadId: thread.id, afterSeq: start });
      assert.deepEqual(
        all.map((e) => e.seq),
        range(start + 1, end),
      );
      assert.deepEqual(poller.seen.map(summary), all.map(summary), 'the poller saw every event, in order, once');
      assert.ok(poller.batches() >= 2, `the poller read alongside the writers (${poller.batches()} batches in ${poller.polls()} polls)`);
      assert.equal((await stores.at(-1)!.findThreadBySlug(thread.slug))?.seq, end);
      const replies = (await stores[0]!.listComments({ threadId: thread.id })).filter((c) => c.parentId !== null);
      assert.ok(replies.every((c) => c.depth === 2));
      assert.equal(replies.length, Array.from({ length: WRITERS }, (_, i) => i).filter((i) => i % 3 === 0).length);
    });

    test('concurrent retries of one (guest, clientId) store one comment and take one seq', async () => {
      const stores = await freshStores(storeCount);
      const thread = await stores[0]!.createThread({ slug: 'retries', title: 'Retries' });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % stores.length]!.createComment({ threadId: thread.id, parentId: null, authorName: 'Retry', authorGuestId: 'oneguest', body: 'same', clientId: 'same-key' }),
        ),
      );
      assert.equal(results.filter((r) => r.event !== null).length, 1, 'one attempt stored it');
      assert.equal(new Set(results.map((r) => r.comment.id)).size, 1, 'every attempt answers with that comment');
      const next = await stores[0]!.createComment({ threadId: thread.id, parentId: null, authorName: 'Next', authorGuestId: 'other', body: 'next', clientId: null });
      assert.equal(next.comment.seq, thread.seq + 2, 'the losing attempts took no seq');
      assert.deepEqual(
        (await stores[0]!.eventsAfter({ threadId: thread.id, afterSeq: 0 })).map((e) => e.seq),
        range(1, thread.seq + 2),
      );
    });
  });
}

/**
 * `createTestDatabase('postgres')` gives each test a schema of its own in the
 * run's database, and `npm test` runs test files in parallel (one per CPU but
 * one), so several such schemas exist at once. Each must migrate on its own.
 */
describe('PostgreSQL: stores on two schemas of one database at once', () => {
  test('each schema gets its own migration tables and migrates', async () => {
    const first = await createTestDatabase('postgres');
    const second = await createTestDatabase('postgres');
    const stores: Store[] = [];
    try {
      stores.push(await openStore({ databaseUrl: first.databaseUrl, dataDir: first.dataDir }));
      stores.push(await openStore({ databaseUrl: second.databaseUrl, dataDir: second.dataDir }));
      const [a, b] = stores as [Store, Store];
      await a.createThread({ slug: 'in-the-first', title: 'In the first' });
      assert.equal(await a.countThreads(), 1);
      assert.equal(await b.countThreads(), 0, 'the schemas are separate');
    } finally {
      for (const s of stores) await s.close();
      await first.cleanup();
      await second.cleanup();
    }
  });
});
