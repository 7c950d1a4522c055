import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ThreadEvent } from '../domain/events';
import { openStore, type Store } from './index';
import { createTestDatabase, type TestDatabase } from './testDatabases';

/**
 * Closing on time (issue 19.4), at the store, on SQLite and PostgreSQL: past its closing time a thread
 * refuses posts and edits before any poller has locked it; the claim locks a due thread once however
 * many nodes race for it, with one `thread.updated` event under the next seq; the site's rule gives a
 * thread made in the app its closing time, and an imported one none.
 */
for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`closing on time, in the store, on ${kind}`, () => {
    const START = Date.parse('2026-12-06T12:00:00.000Z');
    let clock = START;
    const now = () => new Date(clock);
    let db: TestDatabase | undefined;
    const stores: Store[] = [];

    /** `count` stores on one new database, as that many nodes would open it, sharing the test's clock. */
    async function nodes(count: number, options: { closeAfterDays?: number } = {}): Promise<Store[]> {
      db = await createTestDatabase(kind);
      for (let i = 0; i < count; i++) stores.push(await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, now, ...options }));
      return [...stores];
    }

    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      await db?.cleanup();
      db = undefined;
      clock = START;
    });

    const lockEvents = (events: ThreadEvent[]) => events.filter((e) => e.type === 'thread.updated' && e.thread.locked);
    const codeOf = async (promise: Promise<unknown>) => {
      try {
        await promise;
        return 'done';
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };

    test('from the closing time on, posts and edits are refused though nobody locked the thread yet', async () => {
      const [store] = (await nodes(1)) as [Store];
      const thread = await store.createThread({ slug: 'closing-rule', title: 'Closing' });
      const closesAt = new Date(START + 60_000).toISOString();
      const { event } = await store.updateThread({ threadId: thread.id, changes: { closesAt } });
      assert.equal(event.type === 'thread.updated' && event.thread.closesAt, closesAt, 'the schedule is an event like any change of settings');

      const post = (guest: string) => store.createComment({ threadId: thread.id, parentId: null, authorName: 'Pat', authorGuestId: guest, body: `From ${guest}`, clientId: null });
      const { comment } = await post('guest-early');
      clock = START + 59_999;
      assert.equal(await codeOf(post('guest-just-before')), 'done');

      clock = START + 60_000;
      assert.equal(await codeOf(post('guest-on-time')), 'thread_locked');
      const edit = store.editComment({ threadId: thread.id, commentId: comment.id, authorGuestId: 'guest-early', body: 'Changed after closing', editedAt: now().toISOString(), hold: null });
      assert.equal(await codeOf(edit), 'thread_locked');
      assert.equal((await store.findThreadById(thread.id))!.locked, false, 'the rule, not a lock, refused them');

      // Moved ahead again by a moderator: open again.
      await store.updateThread({ threadId: thread.id, changes: { closesAt: new Date(START + 120_000).toISOString() } });
      assert.equal(await codeOf(post('guest-after-move')), 'done');
      await store.updateThread({ threadId: thread.id, changes: { closesAt: null } });
      clock = START + 10 * 86_400_000;
      assert.equal(await codeOf(post('guest-no-schedule')), 'done', 'no closing time: never closes');
    });

    test('two nodes racing for due threads lock each once, with one event under its next seq', async () => {
      // PostgreSQL: two stores, as two nodes. SQLite is one node's database (several nodes need PostgreSQL,
      // README "Scale-out mode"), and two connections in one process would wait on each other's write
      // lock synchronously: there, the rounds race on one store, each in its own transaction.
      const [a, b] = kind === 'postgres' ? ((await nodes(2)) as [Store, Store]) : (await nodes(1)).concat(stores) as [Store, Store];
      const closesAt = new Date(START + 1_000).toISOString();
      const threads = [];
      for (let i = 0; i < 8; i++) {
        const thread = await a.createThread({ slug: `race-${i}`, title: `Race ${i}` });
        await a.updateThread({ threadId: thread.id, changes: { closesAt } });
        threads.push(thread);
      }
      const open = await a.createThread({ slug: 'race-open', title: 'Still open' });
      await a.updateThread({ threadId: open.id, changes: { closesAt: new Date(START + 60_000).toISOString() } });

      assert.deepEqual(await a.closeDueThreads({ limit: 100 }), [], 'nothing is due yet');
      clock = START + 1_000;
      // Small batches, many rounds on each node at once: the claims overlap.
      const round = async (store: Store) => {
        let total = 0;
        for (let n = -1; n !== 0; total += n) n = (await store.closeDueThreads({ limit: 3 })).length;
        return total;
      };
      const closed = await Promise.all([round(a), round(b), round(a), round(b)]);
      assert.equal(closed.reduce((x, y) => x + y, 0), threads.length, `each due thread locked once (by node: ${closed.join(', ')})`);

      for (const thread of threads) {
        const events = await b.eventsAfter({ threadId: thread.id, afterSeq: 0, limit: 100 });
        assert.equal(lockEvents(events).length, 1, `${thread.slug}: one lock event`);
        assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), `${thread.slug}: seqs without a hole`);
        const stored = (await b.findThreadById(thread.id))!;
        assert.deepEqual([stored.locked, stored.seq], [true, events.at(-1)!.seq]);
      }
      assert.equal((await a.findThreadById(open.id))!.locked, false, 'a thread not yet due stays open');
      assert.deepEqual(await b.closeDueThreads({ limit: 100 }), [], 'a locked thread is not claimed again');
    });

    test('the site rule gives a thread made in the app its closing time; an imported thread has none', async () => {
      const [store] = (await nodes(1, { closeAfterDays: 14 })) as [Store];
      const made = await store.createThread({ slug: 'site-rule', title: 'Made here' });
      assert.equal(made.closesAt, new Date(START + 14 * 86_400_000).toISOString());
      assert.equal((await store.findThreadBySlug('site-rule'))!.closesAt, made.closesAt, 'stored with it');
      const imported = await store.importThread({ source: 'test:old', slug: 'old-news', title: 'Old', article: '', locked: false, comments: [] });
      assert.equal(imported.thread.closesAt, null);

      clock = START + 14 * 86_400_000;
      const [closed] = await store.closeDueThreads({ limit: 10 });
      assert.equal(closed?.thread.slug, 'site-rule');
      assert.equal(closed?.event.type === 'thread.updated' && closed.event.thread.locked, true);
    });
  });
}
