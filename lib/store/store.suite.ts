import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { importSeedDirectory } from '../seed/importSeeds';
import type { ImportThreadRequest, Store } from './store';
import { Migrator, sql, type Kysely } from 'kysely';
import { databaseTarget, openDatabase, openStore } from './index';
import { migrationProvider } from './migrations';
import type { ProvenIdentity } from '../domain/identity';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

/**
 * The store's contract, run unchanged against every engine
 * (sqlite.integration.test.ts, postgres.integration.test.ts).
 */
export function defineStoreSuite(kind: TestDatabaseKind): void {
  describe(`store on ${kind}`, () => {
    const opened: { db: TestDatabase; stores: Store[] }[] = [];

    async function freshStore(): Promise<{ store: Store; db: TestDatabase }> {
      const db = await createTestDatabase(kind);
      const entry = { db, stores: [] as Store[] };
      opened.push(entry);
      const open = async () => {
        const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        entry.stores.push(store);
        return store;
      };
      return { store: await open(), db };
    }

    afterEach(async () => {
      for (const { db, stores } of opened.splice(0)) {
        for (const s of stores) await s.close();
        await db.cleanup();
      }
    });

    function sampleImport(overrides: Partial<ImportThreadRequest> = {}): ImportThreadRequest {
      return {
        source: 'test:sample',
        slug: 'sample-article',
        title: 'Sample article',
        article: 'First paragraph.\n\nSecond paragraph.',
        locked: false,
        comments: [
          { key: 0, parentKey: null, status: 'visible', authorName: 'Ada', body: 'top one', createdAt: '2026-01-02T03:04:05.000Z' },
          { key: 1, parentKey: 0, status: 'unavailable', authorName: null, body: '', createdAt: null },
          { key: 2, parentKey: 1, status: 'visible', authorName: null, body: 'deep reply', createdAt: null },
          { key: 3, parentKey: null, status: 'visible', authorName: null, body: 'top two', createdAt: null },
        ],
        ...overrides,
      };
    }

    test('starts empty and migrating again changes nothing', async () => {
      const { store } = await freshStore();
      await store.migrate();
      assert.equal(await store.countThreads(), 0);
      assert.deepEqual(await store.listThreads(), []);
      assert.equal(await store.findThreadBySlug('anything'), undefined);
    });

    test('createThread records thread.created as seq 1', async () => {
      const { store } = await freshStore();
      const thread = await store.createThread({ slug: 'hello', title: 'Hello' });
      assert.equal(thread.seq, 1);
      assert.equal(thread.locked, false);
      const found = await store.findThreadBySlug('hello');
      assert.equal(found?.id, thread.id);
      assert.equal(found?.seq, 1);
      assert.equal(found?.commentCount, 0);
      const events = await store.eventsAfter({ threadId: thread.id, afterSeq: 0 });
      assert.deepEqual(
        events.map((e) => [e.seq, e.type]),
        [[1, 'thread.created']],
      );
    });

    test('importThread stores comments flat with parents, depths and one seq each, in one stream', async () => {
      const { store } = await freshStore();
      const { thread, created } = await store.importThread(sampleImport({ locked: true }));
      assert.equal(created, true);
      assert.equal(thread.locked, true);
      // thread.created + 4 comments + the lock
      assert.equal(thread.seq, 6);

      const comments = await store.listComments({ threadId: thread.id });
      assert.deepEqual(
        comments.map((c) => [c.seq, c.depth, c.status, c.body]),
        [
          [2, 1, 'visible', 'top one'],
          [3, 2, 'unavailable', ''],
          [4, 3, 'visible', 'deep reply'],
          [5, 1, 'visible', 'top two'],
        ],
      );
      const [top, placeholder, deep, second] = comments;
      assert.equal(top!.parentId, null);
      assert.equal(placeholder!.parentId, top!.id);
      assert.equal(deep!.parentId, placeholder!.id);
      assert.equal(second!.parentId, null);
      assert.equal(top!.authorName, 'Ada');
      assert.equal(top!.createdAt, '2026-01-02T03:04:05.000Z');
      assert.equal(deep!.authorName, null);
      assert.equal(deep!.createdAt, null);

      const events = await store.eventsAfter({ threadId: thread.id, afterSeq: 0 });
      assert.deepEqual(
        events.map((e) => [e.seq, e.type]),
        [
          [1, 'thread.created'],
          [2, 'comment.created'],
          [3, 'comment.created'],
          [4, 'comment.created'],
          [5, 'comment.created'],
          [6, 'thread.updated'],
        ],
      );
      const created2 = events[1]!;
      assert.equal(created2.type, 'comment.created');
      if (created2.type === 'comment.created') assert.deepEqual(created2.comment, top);

      const found = await store.findThreadBySlug('sample-article');
      assert.equal(found?.commentCount, 3, 'commentCount counts visible comments only');
      assert.equal(found?.locked, true);
      assert.equal(found?.article, 'First paragraph.\n\nSecond paragraph.');
    });

    test('importing the same source twice changes nothing', async () => {
      const { store } = await freshStore();
      const first = await store.importThread(sampleImport());
      const second = await store.importThread(sampleImport({ title: 'Changed title' }));
      assert.equal(second.created, false);
      assert.equal(second.thread.id, first.thread.id);
      assert.equal(await store.countThreads(), 1);
      assert.equal((await store.listComments({ threadId: first.thread.id })).length, 4);
      assert.equal((await store.findThreadBySlug('sample-article'))?.title, 'Sample article');
    });

    test('concurrent imports of the same source store it once', async () => {
      // On PostgreSQL these run on separate pooled connections, as two nodes would;
      // SQLite is one node by design (one connection, writes serialized).
      const { store } = await freshStore();
      const results = await Promise.all([store.importThread(sampleImport()), store.importThread(sampleImport()), store.importThread(sampleImport())]);
      assert.deepEqual(results.map((r) => r.created).sort(), [false, false, true]);
      assert.equal(await store.countThreads(), 1);
      assert.equal((await store.listComments({ threadId: results[0].thread.id })).length, 4);
    });

    test('concurrent imports of different sources wanting one slug each get their own', async () => {
      const { store } = await freshStore();
      const results = await Promise.all([0, 1, 2].map((i) => store.importThread(sampleImport({ source: `test:race-${i}` }))));
      assert.deepEqual(results.map((r) => r.thread.slug).sort(), ['sample-article', 'sample-article-2', 'sample-article-3']);
    });

    test('a taken slug gets a numbered suffix', async () => {
      const { store } = await freshStore();
      await store.importThread(sampleImport());
      const second = await store.importThread(sampleImport({ source: 'test:other' }));
      const third = await store.importThread(sampleImport({ source: 'test:third' }));
      assert.equal(second.thread.slug, 'sample-article-2');
      assert.equal(third.thread.slug, 'sample-article-3');
    });

    test('a failed import leaves nothing behind', async () => {
      const { store } = await freshStore();
      const broken = sampleImport({
        comments: [{ key: 0, parentKey: 99, status: 'visible', authorName: null, body: 'orphan', createdAt: null }],
      });
      await assert.rejects(store.importThread(broken));
      assert.equal(await store.countThreads(), 0);
      assert.equal(await store.findThreadBySlug('sample-article'), undefined);
    });

    test('each thread numbers its own events from 1, even when written concurrently', async () => {
      const { store } = await freshStore();
      const threads = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.importThread(sampleImport({ source: `test:${i}`, slug: `t-${i}` }))),
      );
      for (const { thread } of threads) {
        const seqs = (await store.eventsAfter({ threadId: thread.id, afterSeq: 0 })).map((e) => e.seq);
        assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
      }
    });

    test('eventsAfter returns only what came after, in order, up to the limit', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(sampleImport({ locked: true }));
      assert.deepEqual(
        (await store.eventsAfter({ threadId: thread.id, afterSeq: 3 })).map((e) => e.seq),
        [4, 5, 6],
      );
      assert.deepEqual(
        (await store.eventsAfter({ threadId: thread.id, afterSeq: 1, limit: 2 })).map((e) => e.seq),
        [2, 3],
      );
      assert.deepEqual(await store.eventsAfter({ threadId: thread.id, afterSeq: 6 }), []);
    });

    test('a like is stored once per guest, counted on the comment and recorded as an event with the new count', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(sampleImport());
      const [top] = await store.listTopLevel({ threadId: thread.id, order: 'asc', limit: 1 });
      const like = (guestId: string, liked = true) => store.setLike({ threadId: thread.id, commentId: top!.id, guestId, liked });

      const first = await like('g1');
      assert.equal(first.likes, 1);
      assert.equal(first.event?.type, 'comment.liked');
      assert.equal(first.event?.seq, thread.seq + 1);
      // Liking twice is a no-op: same count, no event, no seq taken.
      const again = await like('g1');
      assert.deepEqual(again, { likes: 1, event: null });
      assert.equal((await like('g2')).likes, 2);
      assert.equal((await store.findThreadRowBySlug(thread.slug))?.seq, thread.seq + 2);

      assert.equal((await like('g1', false)).likes, 1);
      assert.deepEqual(await like('g1', false), { likes: 1, event: null });
      assert.deepEqual(await like('g9', false), { likes: 1, event: null });
      assert.equal((await store.findComment({ id: top!.id }))?.likes, 1);
      assert.deepEqual([...(await store.likedBy({ guestId: 'g2', commentIds: [top!.id, 'other'] }))], [top!.id]);
      assert.equal((await store.likedBy({ guestId: 'g1', commentIds: [top!.id] })).size, 0);
      // A reader's likes on the whole thread (the personal read after a shared page loads).
      assert.deepEqual(await store.likedIn({ threadId: thread.id, guestId: 'g2' }), [top!.id]);
      assert.deepEqual(await store.likedIn({ threadId: thread.id, guestId: 'g1' }), []);

      // Catch-up replays the counts in order, each with its seq.
      const events = await store.eventsAfter({ threadId: thread.id, afterSeq: thread.seq });
      assert.deepEqual(
        events.map((e) => [e.seq, e.type, e.type === 'comment.liked' ? [e.commentId, e.likes] : null]),
        [
          [thread.seq + 1, 'comment.liked', [top!.id, 1]],
          [thread.seq + 2, 'comment.liked', [top!.id, 2]],
          [thread.seq + 3, 'comment.liked', [top!.id, 1]],
        ],
      );
    });

    test('a like on a comment readers cannot see, or not in the thread, is refused and takes no seq', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(sampleImport());
      const comments = await store.listComments({ threadId: thread.id });
      const unavailable = comments.find((c) => c.status === 'unavailable')!;
      const held = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'H', authorGuestId: 'h', body: 'held', clientId: null, hold: 'banned_word' });
      const gone = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'D', authorGuestId: 'd', body: 'bye', clientId: null });
      await store.updateComment({ threadId: thread.id, commentId: gone.comment.id, changes: { status: 'removed' } });
      const before = (await store.findThreadRowBySlug(thread.slug))!.seq;
      const code = async (commentId: string, threadId = thread.id) => {
        try {
          await store.setLike({ threadId, commentId, guestId: 'g', liked: true });
          return 'ok';
        } catch (err) {
          return (err as { code?: string }).code;
        }
      };
      assert.equal(await code(held.comment.id), 'comment_not_found');
      assert.equal(await code(unavailable.id), 'comment_not_found');
      assert.equal(await code('nope'), 'comment_not_found');
      assert.equal(await code(gone.comment.id), 'comment_gone');
      assert.equal((await store.findThreadRowBySlug(thread.slug))!.seq, before);
      // A locked thread still takes likes: a like adds no text to it.
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      assert.equal(await code(comments[0]!.id), 'ok');
    });

    test('likes from many guests at once all count, and one guest at once counts once', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(sampleImport());
      const [top] = await store.listTopLevel({ threadId: thread.id, order: 'asc', limit: 1 });
      const guests = Array.from({ length: 40 }, (_, i) => `g${i}`);
      const results = await Promise.all([
        ...guests.map((guestId) => store.setLike({ threadId: thread.id, commentId: top!.id, guestId, liked: true })),
        ...Array.from({ length: 10 }, () => store.setLike({ threadId: thread.id, commentId: top!.id, guestId: 'twice', liked: true })),
      ]);
      assert.equal((await store.findComment({ id: top!.id }))?.likes, guests.length + 1);
      const events = results.flatMap((r) => (r.event ? [r.event] : []));
      assert.equal(events.length, guests.length + 1);
      // Each event's count is the count after it, so in seq order they run 1, 2, 3…
      const counts = events.sort((a, b) => a.seq - b.seq).map((e) => (e.type === 'comment.liked' ? e.likes : -1));
      assert.deepEqual(counts, Array.from({ length: guests.length + 1 }, (_, i) => i + 1));
      const seqs = (await store.eventsAfter({ threadId: thread.id, afterSeq: thread.seq })).map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: guests.length + 1 }, (_, i) => thread.seq + 1 + i));
    });

    test('the top order pages by likes then seq, with no branch twice in one walk', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(
        sampleImport({
          comments: Array.from({ length: 6 }, (_, i) => ({ key: i, parentKey: null, status: 'visible' as const, authorName: 'A', body: `top ${i}`, createdAt: null })),
        }),
      );
      const tops = await store.listTopLevel({ threadId: thread.id, order: 'asc', limit: 10 });
      const likes = [1, 3, 0, 3, 2, 0];
      for (const [i, n] of likes.entries()) {
        for (let g = 0; g < n; g++) await store.setLike({ threadId: thread.id, commentId: tops[i]!.id, guestId: `g${g}`, liked: true });
      }
      const walk: string[] = [];
      let after: { seq: number; likes: number } | undefined;
      for (;;) {
        const page = await store.listTopLevel({ threadId: thread.id, order: 'top', after, limit: 2 });
        if (page.length === 0) break;
        walk.push(...page.map((c) => c.body));
        after = { seq: page.at(-1)!.seq, likes: page.at(-1)!.likes };
      }
      assert.deepEqual(walk, ['top 1', 'top 3', 'top 4', 'top 0', 'top 2', 'top 5']);
    });

    test('a thread pages by top-level comment in either order, each branch whole, pins apart', async () => {
      const { store } = await freshStore();
      const { thread } = await store.importThread(
        sampleImport({
          comments: [
            { key: 0, parentKey: null, status: 'visible', authorName: 'A', body: 'top 1', createdAt: null },
            { key: 1, parentKey: 0, status: 'visible', authorName: 'B', body: 'reply 1.1', createdAt: null },
            { key: 2, parentKey: null, status: 'visible', authorName: 'C', body: 'top 2', createdAt: null },
            { key: 3, parentKey: 1, status: 'visible', authorName: 'D', body: 'reply 1.1.1', createdAt: null },
            { key: 4, parentKey: null, status: 'deleted', authorName: null, body: '', createdAt: null },
            { key: 5, parentKey: 2, status: 'visible', authorName: 'E', body: 'reply 2.1', createdAt: null },
            { key: 6, parentKey: null, status: 'visible', authorName: 'F', body: 'top 4', createdAt: null },
          ],
        }),
      );
      const bodies = (cs: { body: string; status: string }[]) => cs.map((c) => c.body || c.status);
      const first = await store.listTopLevel({ threadId: thread.id, order: 'asc', limit: 2 });
      assert.deepEqual(bodies(first), ['top 1', 'top 2']);
      const second = await store.listTopLevel({ threadId: thread.id, order: 'asc', after: { seq: first.at(-1)!.seq }, limit: 2 });
      assert.deepEqual(bodies(second), ['deleted', 'top 4']);
      assert.deepEqual(await store.listTopLevel({ threadId: thread.id, order: 'asc', after: { seq: second.at(-1)!.seq }, limit: 2 }), []);
      const newest = await store.listTopLevel({ threadId: thread.id, order: 'desc', limit: 3 });
      assert.deepEqual(bodies(newest), ['top 4', 'deleted', 'top 2']);
      assert.deepEqual(bodies(await store.listTopLevel({ threadId: thread.id, order: 'desc', after: { seq: newest.at(-1)!.seq }, limit: 3 })), ['top 1']);

      const branches = await store.listBranches({ threadId: thread.id, rootIds: first.map((c) => c.id) });
      assert.deepEqual(bodies(branches), ['top 1', 'reply 1.1', 'top 2', 'reply 1.1.1', 'reply 2.1']);
      assert.ok(branches.every((c) => first.some((root) => root.id === c.rootId)));
      assert.deepEqual(await store.listBranches({ threadId: thread.id, rootIds: [] }), []);
      assert.deepEqual(await store.listBranches({ threadId: 'another-thread', rootIds: first.map((c) => c.id) }), []);
      const sizes = await store.countBranches({ threadId: thread.id, rootIds: [...first.map((c) => c.id), 'no-such-root'] });
      assert.deepEqual(Object.fromEntries(sizes), { [first[0]!.id]: 3, [first[1]!.id]: 2 }, 'each branch counted whole; an unknown root absent');
      assert.equal((await store.countBranches({ threadId: 'another-thread', rootIds: first.map((c) => c.id) })).size, 0);

      // A live reply lands in its branch.
      const reply = await store.createComment({ threadId: thread.id, parentId: branches[3]!.id, authorName: 'G', authorGuestId: 'g', body: 'reply 1.1.1.1', clientId: null });
      assert.equal(reply.comment.rootId, first[0]!.id);
      const top = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'G', authorGuestId: 'g', body: 'top 5', clientId: null });
      assert.equal(top.comment.rootId, top.comment.id);

      assert.deepEqual(await store.listPinned({ threadId: thread.id }), []);
      await store.updateComment({ threadId: thread.id, commentId: reply.comment.id, changes: { pinned: true } });
      assert.deepEqual((await store.listPinned({ threadId: thread.id })).map((c) => c.id), [reply.comment.id]);
    });

    test("a thread's count of visible comments follows every status change (kept by triggers, read from the thread row)", async () => {
      const { store } = await freshStore();
      const thread = await store.createThread({ slug: 'counted', title: 'Counted', article: '' });
      const count = async () => (await store.findThreadBySlug('counted'))?.commentCount;
      const post = (body: string) => store.createComment({ threadId: thread.id, parentId: null, authorName: 'G', authorGuestId: 'g', body, clientId: null });
      const a = await post('a');
      await post('b');
      assert.equal(await count(), 2);
      await store.updateComment({ threadId: thread.id, commentId: a.comment.id, changes: { status: 'removed' } });
      assert.equal(await count(), 1, 'removing takes one off');
      await store.updateComment({ threadId: thread.id, commentId: a.comment.id, changes: { body: 'edited', pinned: true } });
      assert.equal(await count(), 1, 'an edit or a pin leaves it alone');
      await store.updateComment({ threadId: thread.id, commentId: a.comment.id, changes: { status: 'visible' } });
      assert.equal(await count(), 2, 'restoring puts it back');
      await store.updateComment({ threadId: thread.id, commentId: a.comment.id, changes: { status: 'deleted' } });
      assert.equal(await count(), 1);
      assert.equal((await store.listThreads()).find((t) => t.slug === 'counted')?.commentCount, 1, 'listThreads reads the same count');
    });

    test('migration 0004 gives comments stored before it the root of their branch', async () => {
      const db = await createTestDatabase(kind);
      const opened = openDatabase(databaseTarget({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }));
      try {
        const schema = kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(opened.db)).rows[0]?.schema : undefined;
        const migrator = new Migrator({ db: opened.db, provider: migrationProvider, ...(schema && { migrationTableSchema: schema }) });
        const before = await migrator.migrateTo('0003_thread_status_index');
        assert.equal(before.error, undefined);
        const raw = opened.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
        await raw.insertInto('threads').values({ id: 't', slug: 'old', title: 'Old', article: '', locked: 0, seq: 4, created_at: '2026-01-01T00:00:00.000Z' }).execute();
        const row = (id: string, parent: string | null, depth: number, seq: number) => ({
          id, thread_id: 't', parent_id: parent, depth, status: 'visible', author_name: 'A', body: id, created_at: '2026-01-01T00:00:00.000Z', seq,
        });
        await raw.insertInto('comments').values([row('a', null, 1, 1), row('a1', 'a', 2, 2), row('a11', 'a1', 3, 3), row('b', null, 1, 4)]).execute();
      } finally {
        await opened.db.destroy();
      }
      const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      try {
        const roots = Object.fromEntries((await store.listComments({ threadId: 't' })).map((c) => [c.id, c.rootId]));
        assert.deepEqual(roots, { a: 'a', a1: 'a', a11: 'a', b: 'b' });
      } finally {
        await store.close();
        await db.cleanup();
      }
    });

    test('createComment keeps every posting rule, with seqs that never skip', async () => {
      const { store } = await freshStore();
      const thread = await store.createThread({ slug: 'rules', title: 'Rules' });
      const post = (overrides: Partial<Parameters<Store['createComment']>[0]> = {}) =>
        store.createComment({ threadId: thread.id, parentId: null, authorName: 'Ada', authorGuestId: 'guest-a', body: 'hello', clientId: null, refuseIfBannedAt: new Date().toISOString(), ...overrides });
      const refusal = async (promise: Promise<unknown>) => {
        try {
          await promise;
        } catch (err) {
          return (err as { code?: string }).code;
        }
        return 'posted';
      };

      const top = await post({ clientId: 'c-1' });
      assert.equal(top.comment.depth, 1);
      assert.equal(top.comment.status, 'visible');
      assert.equal(top.comment.seq, thread.seq + 1);
      assert.deepEqual(top.event && { type: top.event.type, seq: top.event.seq }, { type: 'comment.created', seq: top.comment.seq });
      const reply = await post({ parentId: top.comment.id });
      const deeper = await post({ parentId: reply.comment.id, authorGuestId: 'guest-b' });
      assert.deepEqual([reply.comment.depth, deeper.comment.depth], [2, 3]);

      // A retried clientId: the stored comment, nothing new, no seq taken.
      const retry = await post({ clientId: 'c-1', body: 'a different body' });
      assert.equal(retry.event, null);
      assert.equal(retry.comment.id, top.comment.id);
      assert.equal(retry.comment.body, 'hello');

      const held = await post({ hold: 'banned_word' });
      assert.deepEqual([held.comment.status, held.comment.heldReason], ['pending', 'banned_word']);
      assert.equal(await refusal(post({ threadId: 'no-such-thread' })), 'thread_not_found');
      assert.equal(await refusal(post({ parentId: 'no-such-comment' })), 'parent_not_found');
      assert.equal(await refusal(post({ parentId: held.comment.id })), 'parent_not_found');

      await store.updateComment({ threadId: thread.id, commentId: reply.comment.id, changes: { locked: true } });
      assert.equal(await refusal(post({ parentId: deeper.comment.id })), 'branch_locked');
      assert.equal(await refusal(post({ parentId: reply.comment.id })), 'branch_locked');
      assert.equal((await post({ parentId: top.comment.id })).comment.depth, 2, 'a sibling branch stays open');

      await store.moderation.createBan({ guestId: 'guest-b', reason: 'spam', until: null, createdBy: 'mod' });
      assert.equal(await refusal(post({ authorGuestId: 'guest-b' })), 'banned');
      await store.moderation.createBan({ guestId: 'guest-c', reason: 'over', until: '2000-01-01T00:00:00.000Z', createdBy: 'mod' });
      assert.equal(await refusal(post({ authorGuestId: 'guest-c' })), 'posted', 'an expired ban does not count');
      assert.equal(await refusal(post({ authorGuestId: 'guest-b', refuseIfBannedAt: undefined })), 'posted', 'the ban check is asked for');

      await store.updateThread({ threadId: thread.id, changes: { preModeration: true } });
      const premod = await post();
      assert.deepEqual([premod.comment.status, premod.comment.heldReason], ['pending', 'pre_moderation']);
      await store.updateThread({ threadId: thread.id, changes: { preModeration: false, slowModeSeconds: 60 } });
      await post({ authorGuestId: 'guest-d', clientId: 'slow-1' });
      assert.equal(await refusal(post({ authorGuestId: 'guest-d' })), 'slow_mode');
      assert.equal((await post({ authorGuestId: 'guest-d', clientId: 'slow-1' })).event, null, 'a retry is answered during the wait');

      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      assert.equal(await refusal(post({ authorGuestId: 'guest-e' })), 'thread_locked');
      assert.equal((await post({ clientId: 'c-1' })).comment.id, top.comment.id, 'a retry is answered after the lock');

      // Refusals and retries took no seq: the events run 1..N without a hole.
      const seqs = (await store.eventsAfter({ threadId: thread.id, afterSeq: 0, limit: 1000 })).map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      assert.equal((await store.findThreadById(thread.id))!.seq, seqs.length);
    });

    test('findComment looks within one thread only', async () => {
      const { store } = await freshStore();
      const a = await store.importThread(sampleImport());
      const b = await store.createThread({ slug: 'other', title: 'Other' });
      const [first] = await store.listComments({ threadId: a.thread.id });
      assert.equal((await store.findComment({ threadId: a.thread.id, id: first!.id }))?.body, 'top one');
      assert.equal(await store.findComment({ threadId: b.id, id: first!.id }), undefined);
    });

    test('text comes back byte for byte', async () => {
      const { store } = await freshStore();
      const body = 'emoji 🧵👍🏽, RTL שלום, combining é, CJK 漢字, quotes “’”, NUL-free\ttab\nnew line';
      const { thread } = await store.importThread(
        sampleImport({ comments: [{ key: 0, parentKey: null, status: 'visible', authorName: 'Zoë 🦊', body, createdAt: null }] }),
      );
      const [comment] = await store.listComments({ threadId: thread.id });
      assert.equal(comment!.body, body);
      assert.equal(comment!.authorName, 'Zoë 🦊');
    });

    test('listThreads counts visible comments per thread, newest thread first', async () => {
      let tick = Date.parse('2026-01-01T00:00:00Z');
      const db = await createTestDatabase(kind);
      const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, now: () => new Date((tick += 1000)) });
      opened.push({ db, stores: [store] });
      await store.importThread(sampleImport());
      await store.createThread({ slug: 'empty', title: 'Empty' });
      const list = await store.listThreads();
      assert.deepEqual(
        list.map((t) => [t.slug, t.commentCount]),
        [
          ['empty', 0],
          ['sample-article', 3],
        ],
      );
    });

    test('the seed folder imports once, with its whole tree; a malformed seed imports nothing', async () => {
      const { store } = await freshStore();
      const seeds = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-seeds-'));
      try {
        fs.copyFileSync(path.join(__dirname, '../../seeds/000_fd8725ff80c0125b.txt'), path.join(seeds, '000_fd8725ff80c0125b.txt'));
        fs.writeFileSync(path.join(seeds, '001_broken.txt'), 'A title\n\nBody.\n\n   1. odd indentation\n');
        const first = await importSeedDirectory({ store, dir: seeds });
        assert.deepEqual(
          first.map((r) => [r.file, r.outcome]),
          [
            ['000_fd8725ff80c0125b.txt', 'imported'],
            ['001_broken.txt', 'failed'],
          ],
        );
        assert.equal(first[1]!.errors?.[0]?.line, 5);
        assert.equal(await store.countThreads(), 1);

        const thread = await store.findThreadBySlug('jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent');
        assert.ok(thread);
        assert.equal(thread.locked, true);
        assert.equal(thread.commentCount, 24);
        const comments = await store.listComments({ threadId: thread.id });
        assert.equal(comments.length, 29);
        assert.equal(comments.filter((c) => c.status === 'unavailable').length, 5);
        assert.equal(Math.max(...comments.map((c) => c.depth)), 5);
        assert.equal(thread.seq, 1 + 29 + 1);

        const second = await importSeedDirectory({ store, dir: seeds });
        assert.equal(second[0]!.outcome, 'unchanged');
        assert.equal(await store.countThreads(), 1);
        assert.equal((await store.findThreadBySlug(thread.slug))?.seq, thread.seq);
      } finally {
        fs.rmSync(seeds, { recursive: true, force: true });
      }
    });
    describe('accounts for proven identities', () => {
      const identity = (over: Partial<ProvenIdentity> = {}): ProvenIdentity => ({
        method: 'sso', provider: 'sso', subject: 'host-1', email: 'ada@news.example', emailVerified: true, name: 'Ada', badges: null, ...over,
      });

      test('a first sign-in makes a commenter; the next finds the same account, and SSO badges replace its own', async () => {
        const { store } = await freshStore();
        const first = await store.accounts.accountForIdentity(identity());
        assert.equal(first.created, true);
        assert.equal(first.user.role, 'commenter');
        assert.equal(first.user.displayName, 'Ada');
        assert.ok(first.user.emailVerifiedAt);
        const again = await store.accounts.accountForIdentity(identity({ badges: ['journalist'] }));
        assert.equal(again.created, false);
        assert.equal(again.user.id, first.user.id);
        assert.deepEqual(again.user.badges, ['journalist']);
        assert.deepEqual((await store.accounts.listIdentities(first.user.id)).map((i) => [i.provider, i.subject]), [['sso', 'host-1']]);
      });

      test('a verified address links a second method to the account; an unverified one makes another account, under a free name', async () => {
        const { store } = await freshStore();
        const { user } = await store.accounts.accountForIdentity(identity());
        const linked = await store.accounts.accountForIdentity(identity({ method: 'oidc', provider: 'oidc:kc', subject: 'k-9', name: 'Someone' }));
        assert.equal(linked.user.id, user.id);
        assert.equal((await store.accounts.listIdentities(user.id)).length, 2);
        const other = await store.accounts.accountForIdentity(identity({ method: 'oidc', provider: 'oidc:kc', subject: 'k-10', emailVerified: false, name: 'ADA' }));
        assert.equal(other.created, true);
        assert.notEqual(other.user.id, user.id);
        assert.equal(other.user.displayName, 'ADA 2');
        assert.equal(other.user.emailVerifiedAt, null);
      });

      test("a person's sessions are listed, and all but this one can be revoked", async () => {
        const { store } = await freshStore();
        const { user } = await store.accounts.accountForIdentity(identity());
        const later = new Date(Date.now() + 60_000).toISOString();
        for (const id of ['s1', 's2', 's3']) await store.accounts.createSession({ id, userId: user.id, expiresAt: later, method: 'sso', userAgent: `browser ${id}` });
        const now = new Date().toISOString();
        assert.equal((await store.accounts.listSessions({ userId: user.id, now })).length, 3);
        assert.deepEqual((await store.accounts.revokeSessions({ userId: user.id, keep: 's2' })).sort(), ['s1', 's3']);
        assert.deepEqual((await store.accounts.listSessions({ userId: user.id, now })).map((s) => [s.id, s.method, s.userAgent]), [['s2', 'sso', 'browser s2']]);
        assert.equal((await store.accounts.findSession({ id: 's1', now }))?.user.id, undefined);
        assert.equal((await store.accounts.findSession({ id: 's2', now }))?.user.id, user.id);
      });

      test("a provider's verified address never links to a moderator's or an admin's account: it makes a new commenter", async () => {
        const { store } = await freshStore();
        const { user } = await store.accounts.accountForIdentity(identity());
        await store.accounts.setRole({ userId: user.id, role: 'admin' });
        const other = await store.accounts.accountForIdentity(identity({ method: 'oidc', provider: 'oidc:kc', subject: 'k-1' }));
        assert.equal(other.created, true);
        assert.notEqual(other.user.id, user.id);
        assert.equal(other.user.role, 'commenter');
        assert.equal((await store.accounts.accountForIdentity(identity())).user.id, user.id, 'its own linked method still signs it in');
      });

      test('staff accounts are counted and listed apart from commenters', async () => {
        const { store } = await freshStore();
        await store.accounts.accountForIdentity(identity());
        assert.equal(await store.accounts.countUsers(), 0);
        await store.accounts.upsertUser({ username: 'ada', passwordHash: 'x', role: 'moderator' });
        assert.equal(await store.accounts.countUsers(), 1);
        const staff = await store.accounts.listUsers();
        assert.deepEqual(staff.map((u) => [u.username, u.displayName]), [['ada', 'ada (moderator)']]);
      });
    });
  });
}
