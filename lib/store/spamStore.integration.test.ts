import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from './index';
import type { SpamObservation } from './spamStore';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the spam store on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let threads: string[];
    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      threads = [];
      for (let i = 0; i < 4; i++) threads.push((await store.createThread({ slug: `spam-store-${i}`, title: `Thread ${i}` })).id);
    });
    after(async () => {
      await store.close();
      await db.cleanup();
    });

    /** A post at `at` (ms), with both windows an hour long. */
    const observe = (over: Partial<SpamObservation> & { atMs: number }) =>
      store.spam.observe({
        guestId: 'g',
        address: '192.0.2.1',
        threadId: threads[0]!,
        editedCommentId: null,
        textHash: null,
        at: iso(over.atMs),
        textsSince: iso(over.atMs - HOUR),
        guestsSince: iso(over.atMs - HOUR),
        recordGuest: true,
        ...over,
      });

    test('a text counts the distinct threads it was posted in within the window, this one included', async () => {
      const hash = 'a'.repeat(64);
      const seen = [];
      for (const [i, thread] of [0, 1, 1, 2].entries()) seen.push((await observe({ guestId: `t${i}`, textHash: hash, threadId: threads[thread]!, atMs: T0 + i * 1000 })).threadsWithText);
      assert.deepEqual(seen, [1, 2, 2, 3], 'the same thread twice counts once');
      assert.equal((await observe({ guestId: 'later', textHash: hash, threadId: threads[3]!, atMs: T0 + 2 * HOUR })).threadsWithText, 1, 'older than the window: not counted');
      assert.equal((await observe({ guestId: 'other', textHash: 'b'.repeat(64), atMs: T0 })).threadsWithText, 1, 'another text');
    });

    test('new guests are counted per address within the window; a guest who has commented is not new', async () => {
      const address = '198.51.100.4';
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(await observe({ guestId: `burst${i}`, address, atMs: T0 + i }));
      assert.deepEqual(
        counts.map((f) => [f.guestIsNew, f.newGuestsFromAddress]),
        [[true, 1], [true, 2], [true, 3]],
      );
      assert.deepEqual(await observe({ guestId: 'burst0', address, atMs: T0 + 10 }).then((f) => [f.guestIsNew, f.newGuestsFromAddress]), [true, 3], 'a second post counts the guest once');
      assert.equal((await observe({ guestId: 'burst9', address: '198.51.100.5', atMs: T0 })).newGuestsFromAddress, 1, 'another address');
      assert.deepEqual(await observe({ guestId: 'burst0', address, atMs: T0 + 2 * HOUR }).then((f) => [f.guestIsNew, f.newGuestsFromAddress]), [false, 0], 'first seen before the window');

      // A guest with a comment already is no new guest, whatever the table remembers.
      const thread = await store.findThreadById(threads[0]!);
      await store.createComment({ threadId: thread!.id, parentId: null, authorName: 'Old', authorGuestId: 'regular', body: 'Hello', clientId: null });
      const regular = await observe({ guestId: 'regular', address, atMs: T0 + 20 });
      assert.deepEqual([regular.guestIsNew, regular.newGuestsFromAddress, regular.published], [false, 3, true]);
      const edit = await observe({ guestId: 'edits', address: '198.51.100.6', atMs: T0, recordGuest: false });
      assert.equal(edit.newGuestsFromAddress, 1, 'not recorded, the guest still counts itself as new');
      assert.equal((await observe({ guestId: 'next', address: '198.51.100.6', atMs: T0 + 1 })).newGuestsFromAddress, 1, 'an edit records no guest');
    });

    test('published: a visible comment of the guest’s, other than the one edited', async () => {
      const { comment } = await store.createComment({ threadId: threads[1]!, parentId: null, authorName: 'P', authorGuestId: 'pub', body: 'One', clientId: null });
      assert.equal((await observe({ guestId: 'pub', atMs: T0 })).published, true);
      assert.equal((await observe({ guestId: 'pub', atMs: T0, editedCommentId: comment.id, recordGuest: false })).published, false, 'editing the only visible comment');
      const held = await store.createComment({ threadId: threads[1]!, parentId: null, authorName: 'H', authorGuestId: 'held', body: 'Held', clientId: null, hold: 'spam_link_first_comment' });
      assert.equal(held.comment.status, 'pending');
      assert.equal((await observe({ guestId: 'held', atMs: T0 })).published, false, 'a held comment has not been let through');
    });

    test('the sweep keeps only what is within the windows', async () => {
      await observe({ guestId: 'old', address: '203.0.113.1', textHash: 'c'.repeat(64), atMs: T0 - 3 * HOUR });
      await observe({ guestId: 'new', address: '203.0.113.1', textHash: 'd'.repeat(64), atMs: T0 });
      await store.spam.sweep({ textsBefore: iso(T0 - HOUR), guestsBefore: iso(T0 - HOUR) });
      assert.equal((await observe({ guestId: 'probe1', address: '203.0.113.1', textHash: 'c'.repeat(64), threadId: threads[2]!, atMs: T0 - 3 * HOUR + 1 })).threadsWithText, 1, 'the old text is gone');
      assert.equal((await observe({ guestId: 'probe2', address: '203.0.113.1', textHash: 'd'.repeat(64), threadId: threads[2]!, atMs: T0 + 1 })).threadsWithText, 2, 'the recent one is kept');
    });

    test('a comment the outside service could not check is marked until a moderator keeps it or an edit is checked', async () => {
      const { comment } = await store.createComment({ threadId: threads[2]!, parentId: null, authorName: 'N', authorGuestId: 'nc', body: 'Not checked', clientId: null });
      await store.spam.markNotChecked({ commentId: comment.id, why: 'timeout', at: iso(T0) });
      await store.spam.markNotChecked({ commentId: comment.id, why: 'unavailable', at: iso(T0 + 1) });
      const listed = await store.spam.listNotChecked({ limit: 10 });
      assert.deepEqual(
        listed.map((i) => [i.comment.id, i.notChecked, i.threadSlug]),
        [[comment.id, 'unavailable', 'spam-store-2']],
      );
      assert.equal(await store.spam.clearNotChecked({ commentId: comment.id }), true);
      assert.equal(await store.spam.clearNotChecked({ commentId: comment.id }), false);
      assert.deepEqual(await store.spam.listNotChecked({ limit: 10 }), []);
    });
  });
}
