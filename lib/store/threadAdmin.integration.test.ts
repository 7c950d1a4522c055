import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createThreadService } from '../services/threadService';
import { openStore, type Store } from './index';
import { openDatabase, databaseTarget } from './openDatabase';
import type { Database } from './schema';
import { threadListQuery } from './threadReads';
import type { Thread } from '../domain/types';
import { createTestDatabase, type TestDatabase } from './testDatabases';

/**
 * Threads nobody wanted (issue 14.3), at the store: the thread lists are paged
 * by a keyset that holds on ties in creation time, hidden threads are left out
 * of the public list, and deleting a thread leaves no row of it in any table
 * but its audit entry. On SQLite and PostgreSQL.
 */
for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`threads nobody wanted, in the store, on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    /** The same database, for counting rows and reading plans. */
    let raw: Kysely<Database>;
    // The store's clock: each thread takes the next of these times (ties on purpose, out of order).
    let times: string[] = [];
    const clock = () => new Date(times.shift() ?? '2026-06-01T00:00:00.000Z');

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, now: clock });
      raw = openDatabase(databaseTarget({ databaseUrl: db.databaseUrl, dataDir: db.dataDir })).db;
    });
    after(async () => {
      await raw.destroy();
      await store.close();
      await db.cleanup();
    });
    afterEach(() => {
      times = [];
    });

    /** Every table of the schema and its rows (the migrations' bookkeeping aside), read from the database's own catalog. */
    async function countEveryTable(): Promise<Record<string, number>> {
      const names =
        kind === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(raw)).rows.map((r) => r.name)
          : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(raw)).rows.map((r) => r.name);
      const counts: Record<string, number> = {};
      for (const name of names.sort()) counts[name] = Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(raw)).rows[0]!.n);
      return counts;
    }

    /** A thread with something in every table that can point at a thread or its comments. */
    async function busyThread(slug: string): Promise<{ thread: Thread; comments: number }> {
      const thread = await store.createThread({ slug, title: `Busy ${slug}` });
      const post = (body: string, parentId: string | null = null, extra: { hold?: 'banned_word' } = {}) =>
        store.createComment({ threadId: thread.id, parentId, authorName: 'Pat', authorGuestId: `guest-${slug}-${body}`, body, clientId: `c-${body}`, ...extra }).then((r) => r.comment);
      const top = await post('top');
      const reply = await post('reply', top.id);
      await post('deeper', reply.id);
      const held = await post('held', null, { hold: 'banned_word' });
      const removed = await post('removed');
      await store.updateComment({ threadId: thread.id, commentId: removed.id, changes: { status: 'removed' } });
      await store.setLike({ threadId: thread.id, commentId: top.id, guestId: 'liker', liked: true });
      await store.setLike({ threadId: thread.id, commentId: reply.id, guestId: 'liker', liked: true });
      await store.moderation.createReport({ threadId: thread.id, commentId: reply.id, guestId: 'reporter', category: 'spam', reason: null });
      await store.moderation.createReport({ threadId: thread.id, commentId: top.id, guestId: 'reporter', category: 'other', reason: 'rude' });
      await store.moderation.resolveReports({ commentId: top.id, by: 'mod', resolution: 'kept' });
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      // Webhooks about it, one delivered and one still waiting: both carry a comment's text.
      const webhook = (n: number) => ({ eventId: `wh-${slug}-${n}`, eventType: 'comment.held', payload: `{"comment":"held ${n}"}`, urls: ['http://receiver.test/hook'], at: thread.createdAt, threadId: thread.id });
      await store.webhooks.enqueue(webhook(1));
      const claimed = await store.webhooks.claimDue({ now: '2100-01-01T00:00:00.000Z', leaseUntil: '2100-01-01T00:01:00.000Z', limit: 10 });
      await store.webhooks.markDelivered({ id: claimed.find((d) => d.eventId === `wh-${slug}-1`)!.id, at: thread.createdAt });
      await store.webhooks.enqueue(webhook(2));
      // Imported from elsewhere too: the source's ids map to the thread and to a comment of it.
      const source = `test:${slug}`;
      await store.imports.ensureThread({
        source,
        externalId: 'ext-thread',
        articleUrl: null,
        slug,
        title: thread.title,
        article: '',
        createdAt: thread.createdAt,
        locked: true,
        slowModeSeconds: 0,
        preModeration: false,
        hidden: false,
        threadSource: null,
        attachToSlug: true,
      });
      await store.imports.importComments({
        source,
        comments: [{ externalId: 'ext-1', threadId: thread.id, parentId: held.id === top.id ? null : top.id, status: 'visible', authorName: 'Old', authorGuestId: null, clientId: null, body: 'imported', createdAt: null, editedAt: null, locked: false, pinned: false, heldReason: null }],
      });
      // Notices about it (a reply, a decision) and people following and blocking it.
      await store.notifications.insert({
        at: thread.createdAt,
        notices: [
          { recipientId: `reader-${slug}`, kind: 'reply', threadId: thread.id, commentId: reply.id, actorId: `guest-${slug}-reply`, actorName: 'Pat', decision: null, reason: null },
          { recipientId: `guest-${slug}-removed`, kind: 'moderation', threadId: thread.id, commentId: removed.id, actorId: null, actorName: null, decision: 'removed', reason: 'rude' },
        ],
      });
      await store.notifications.setWatch({ ownerId: `reader-${slug}`, threadId: thread.id, mode: 'follow', at: thread.createdAt });
      await store.notifications.setWatch({ ownerId: `other-${slug}`, threadId: thread.id, mode: 'block', at: thread.createdAt });
      return { thread, comments: 6 };
    }

    test('a thread list pages newest first by (created_at, id): ties in time come in id order, each thread once, across pages', async () => {
      // Seven creation times for 23 threads: ties everywhere, and times given out of order.
      const stamps = ['2026-05-01T10:00:00.000Z', '2026-05-01T09:00:00.000Z', '2026-05-03T10:00:00.000Z', '2026-05-02T10:00:00.000Z', '2026-05-01T10:00:00.000Z'];
      times = Array.from({ length: 23 }, (_, i) => stamps[(i * 3) % stamps.length]!);
      const made: Thread[] = [];
      for (let i = 0; i < 23; i++) made.push(await store.createThread({ slug: `paged-${i}`, title: `Paged ${i}` }));
      // Three hidden: out of the public list, in the admins'.
      for (const thread of [made[2]!, made[11]!, made[20]!]) await store.updateThread({ threadId: thread.id, changes: { hidden: true } });
      const newestFirst = (a: Thread, b: Thread) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);
      const mine = (list: { slug: string }[]) => list.filter((t) => t.slug.startsWith('paged-')).map((t) => t.slug);
      const all = [...made].sort(newestFirst).map((t) => t.slug);
      const listed = [...made].filter((t) => ![made[2], made[11], made[20]].includes(t)).sort(newestFirst).map((t) => t.slug);

      for (const [which, expected] of [['all', all], ['listed', listed]] as const) {
        const walked: string[] = [];
        let cursor: { createdAt: string; id: string } | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await store.listThreads({ after: cursor, limit: 4, which });
          walked.push(...page.map((t) => t.slug));
          if (page.length < 4) break;
          cursor = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
        }
        assert.deepEqual(mine(walked.map((slug) => ({ slug }))), expected, `${which}: the order, each thread once`);
      }
      // The same walk through the service's opaque cursors.
      const threads = createThreadService({ store });
      const walked: string[] = [];
      for (let page = await threads.listThreads({ limit: 5 }); ; page = await threads.listThreads({ limit: 5, after: page.next! })) {
        walked.push(...page.threads.map((t) => t.slug));
        assert.ok(page.threads.length <= 5);
        if (page.next === null) break;
      }
      assert.deepEqual(mine(walked.map((slug) => ({ slug }))), listed, 'the cursor round-trips');
      assert.equal(new Set(walked).size, walked.length, 'no thread twice');
    });

    test('a page of the public list is one seek into its index, however many threads there are', async () => {
      const plan = async (which: 'listed' | 'all') => {
        // The store's own query (threadReads.ts), read back as its plan.
        const compiled = threadListQuery(raw, { after: { createdAt: '2026-05-01T10:00:00.000Z', id: 'k' }, limit: 51, which }).compile();
        return raw.connection().execute(async (conn) => {
          if (kind === 'sqlite') return JSON.stringify((await conn.executeQuery({ ...compiled, sql: `explain query plan ${compiled.sql}` })).rows);
          // A few rows in a test table: PostgreSQL would rightly scan and sort them; the question is whether it can
          // seek and read in order, so it is kept from the other ways and a Sort left in the plan means it cannot.
          const ways = ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'];
          for (const way of ways) await sql`set ${sql.raw(way)} = off`.execute(conn);
          try {
            return JSON.stringify((await conn.executeQuery({ ...compiled, sql: `explain ${compiled.sql}` })).rows);
          } finally {
            for (const way of ways) await sql`set ${sql.raw(way)} = on`.execute(conn);
          }
        });
      };
      const listed = await plan('listed');
      assert.match(listed, /threads_listed/, listed);
      assert.doesNotMatch(listed, /TEMP B-TREE|Sort/i, `no sort: ${listed}`);
      const every = await plan('all');
      assert.match(every, /threads_created/, every);
      assert.doesNotMatch(every, /TEMP B-TREE|Sort/i, `no sort: ${every}`);
    });

    test('deleting a thread removes its rows from every table; the other threads keep theirs, and the audit entry stays', async () => {
      const keeper = await busyThread('keeper');
      const before = await countEveryTable();
      const doomed = await busyThread('doomed');
      const during = await countEveryTable();
      for (const table of ['threads', 'comments', 'thread_events', 'reactions', 'reports', 'import_sources', 'webhook_deliveries', 'notifications', 'thread_watches']) {
        assert.ok(during[table]! > before[table]!, `the doomed thread has rows in ${table}`);
      }

      const deleted = await store.deleteThread({ threadId: doomed.thread.id, audit: { actorId: 'admin-1', actorName: 'ada', action: 'thread.delete', reason: 'spam run' } });
      assert.equal(deleted.comments, doomed.comments);
      assert.equal(deleted.thread.slug, 'doomed');
      assert.equal(deleted.queued.length, 2, 'the held comment and the reported one were in the queue');

      const afterwards = await countEveryTable();
      assert.deepEqual({ ...afterwards, audit_log: 0 }, { ...before, audit_log: 0 }, 'every table as it was before the doomed thread, but the audit log');
      assert.equal(afterwards.audit_log, before.audit_log! + 1);
      const [entry] = await store.moderation.listAudit({ limit: 1 });
      assert.deepEqual(
        { actor: entry!.actorName, action: entry!.action, thread: entry!.threadId, target: entry!.target, reason: entry!.reason },
        { actor: 'ada', action: 'thread.delete', thread: doomed.thread.id, target: 'doomed', reason: 'spam run' },
      );
      assert.deepEqual(entry!.details, { title: 'Busy doomed', comments: 6, likes: 2, reports: 2, webhooks: 2, createdAt: doomed.thread.createdAt });
      if (kind === 'sqlite') assert.deepEqual((await sql`pragma foreign_key_check`.execute(raw)).rows, [], 'no row points at a deleted one');

      // Gone for every read; the keeper is whole.
      assert.equal(await store.findThreadBySlug('doomed'), undefined);
      assert.equal((await store.listComments({ threadId: keeper.thread.id })).length, keeper.comments);
      await assert.rejects(store.deleteThread({ threadId: doomed.thread.id, audit: { actorId: null, actorName: 'ada', action: 'thread.delete' } }), { code: 'thread_not_found' });
      // A post with the id a node remembered is refused, and stores nothing.
      await assert.rejects(
        store.createComment({ threadId: doomed.thread.id, parentId: null, authorName: 'Late', authorGuestId: 'late', body: 'too late', clientId: null }),
        { code: 'thread_not_found' },
      );
      assert.deepEqual(await countEveryTable(), afterwards);

      // The slug is free again: a new thread takes it, with nothing of the old one.
      const reborn = await store.createThread({ slug: 'doomed', title: 'A new story' });
      assert.notEqual(reborn.id, doomed.thread.id);
      assert.equal((await store.findThreadBySlug('doomed'))?.commentCount, 0);
      assert.deepEqual(await store.eventsAfter({ threadId: reborn.id, afterSeq: 0 }).then((events) => events.map((e) => e.type)), ['thread.created']);
      // And a re-import of the old source makes its thread again, rather than finding ids that are gone.
      assert.deepEqual(await store.imports.findMapped({ source: 'test:doomed', kind: 'thread', externalIds: ['ext-thread'] }), new Map());
    });

    test('a hidden thread takes no post and no edit (thread_not_found, nothing written); shown again, it does', async () => {
      const thread = await store.createThread({ slug: 'hushed', title: 'Hushed' });
      const { comment } = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Pat', authorGuestId: 'g1', body: 'before', clientId: null });
      const { thread: hidden, event } = await store.updateThread({ threadId: thread.id, changes: { hidden: true } });
      assert.equal(hidden.hidden, true);
      assert.deepEqual(event.type === 'thread.updated' && event.thread, { locked: false, slowModeSeconds: 0, preModeration: false, hidden: true, commentPolicy: null, qa: false, closesAt: null });
      const seq = (await store.findThreadRowBySlug('hushed'))!.seq;
      await assert.rejects(store.createComment({ threadId: thread.id, parentId: null, authorName: 'Pat', authorGuestId: 'g1', body: 'during', clientId: null }), { code: 'thread_not_found' });
      await assert.rejects(store.editComment({ threadId: thread.id, commentId: comment.id, authorGuestId: 'g1', body: 'changed', editedAt: new Date().toISOString(), hold: null }), { code: 'thread_not_found' });
      assert.equal((await store.findThreadRowBySlug('hushed'))!.seq, seq, 'no seq taken');
      assert.equal((await store.listComments({ threadId: thread.id })).length, 1);
      await store.updateThread({ threadId: thread.id, changes: { hidden: false } });
      await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Pat', authorGuestId: 'g1', body: 'after', clientId: null });
      assert.equal((await store.listComments({ threadId: thread.id })).length, 2);
    });
  });
}
