import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { CatchUp } from '../contract/api';
import { openStore, type Store } from '../store/index';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../store/testDatabases';
import { createCatchUpReads } from './catchUpReads';
import { createServices } from './index';

/** The real store, with its reads counted (every call still goes to the database). */
function countingStore(store: Store) {
  const calls = { findThreadRowBySlug: 0, eventsAfter: 0 };
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if ((name === 'findThreadRowBySlug' || name === 'eventsAfter') && typeof value === 'function') {
        return (...args: unknown[]) => {
          calls[name]++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { store: counted, calls };
}

const seqs = (c: CatchUp) => c.missed.map((e) => e.seq);

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`catch-up reads shared by readers who ask together (${kind})`, () => {
    let db: TestDatabase | undefined;
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      await db?.cleanup();
      store = undefined;
      db = undefined;
    });

    async function threadWithComments(count: number) {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      const services = createServices({ store, sessionSecret: 'catch-up-test-secret-catch-up-test', rateLimits: false });
      const { slug } = await services.threads.createThread({ title: 'Catch up' });
      for (let i = 0; i < count; i++) await services.comments.create({ slug, input: { parentId: null, body: `c${i}`, authorName: 'Ann' }, guestId: 'annguest', address: '127.0.0.1' });
      const { seq } = (await services.threads.catchUp({ slug, afterSeq: null })).thread;
      return { slug, seq, services };
    }

    test('readers asking at once share one thread lookup and one log read, each getting exactly its own events', async () => {
      const { slug, seq } = await threadWithComments(5);
      const counting = countingStore(store!);
      const catchUp = createCatchUpReads({ store: counting.store });
      // The first starts a read at once; the others, asking while it runs, share the next one.
      const answers = await Promise.all([seq, seq - 1, seq - 3, null, seq, seq - 3].map((afterSeq) => catchUp({ slug, afterSeq })));
      assert.deepEqual(answers.map(seqs), [[], [seq], [seq - 2, seq - 1, seq], [], [], [seq - 2, seq - 1, seq]]);
      for (const answer of answers) assert.equal(answer.thread.seq, seq);
      assert.ok(answers.every((a) => !a.resync));
      assert.equal(counting.calls.findThreadRowBySlug, 2);
      assert.equal(counting.calls.eventsAfter, 1, 'the first reader was up to date: no log read; the batch after it: one');
      // The same answers as one reader alone would get.
      const fresh = createCatchUpReads({ store: store! });
      for (const [i, afterSeq] of [seq, seq - 1, seq - 3].entries()) assert.deepEqual(await fresh({ slug, afterSeq }), answers[i]);
    });

    test('an up-to-date reader costs no log read', async () => {
      const { slug, seq } = await threadWithComments(2);
      const counting = countingStore(store!);
      const catchUp = createCatchUpReads({ store: counting.store });
      const answer = await catchUp({ slug, afterSeq: seq });
      assert.deepEqual(answer.missed, []);
      assert.equal(answer.thread.seq, seq);
      assert.equal(counting.calls.eventsAfter, 0);
    });

    test('a reader ahead of the database (restored from a backup) is told to resync, not that it is up to date', async () => {
      const { slug, seq } = await threadWithComments(2);
      const catchUp = createCatchUpReads({ store: store! });
      const answer = await catchUp({ slug, afterSeq: seq + 5 });
      assert.equal(answer.resync, true);
      assert.deepEqual(answer.missed, []);
      assert.equal(answer.thread.seq, seq);
      assert.equal((await catchUp({ slug, afterSeq: seq })).resync, false);
    });

    test('a reader who asks while a read runs gets a read that began after it asked (so sees later commits)', async () => {
      const { slug, seq, services } = await threadWithComments(1);
      const catchUp = createCatchUpReads({ store: store! });
      const first = catchUp({ slug, afterSeq: seq - 1 });
      const created = services.comments.create({ slug, input: { parentId: null, body: 'later', authorName: 'Ann' }, guestId: 'annguest', address: '127.0.0.1' });
      await created;
      const second = catchUp({ slug, afterSeq: seq - 1 });
      assert.ok(seqs(await first).includes(seq));
      assert.deepEqual(seqs(await second), [seq, seq + 1]);
    });

    test('an unknown thread fails every reader of the batch with thread_not_found', async () => {
      await threadWithComments(0);
      const catchUp = createCatchUpReads({ store: store! });
      const results = await Promise.allSettled([catchUp({ slug: 'nope', afterSeq: 0 }), catchUp({ slug: 'nope', afterSeq: null })]);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.equal((r.reason as { code?: string }).code, 'thread_not_found');
      }
    });
  });
}
