import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ThreadEvent } from '../domain/events';
import type { Comment } from '../domain/types';
import { openStore, type Store } from './index';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

const WRITERS = 50;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
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
  const done = (async () => {
    let last = afterSeq;
    for (;;) {
      // Read the flag before the query: a query that starts after every writer finished sees everything.
      const final = stopRequested;
      const batch = await store.eventsAfter({ threadId, afterSeq: last });
      polls++;
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

    after(async () => {
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
        Array.from({ length: WRITERS }, (_, i) =>
          writer.createComment({ threadId: thread.id, parentId: null, authorName: `Writer ${i}`, authorGuestId: `writer${i}`, body: `comment ${i}`, clientId: `c${i}` }),
        ),
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
      assert.ok(poller.polls() >= 2, `the poller ran alongside the writers (${poller.polls()} polls)`);
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
