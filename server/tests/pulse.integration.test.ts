import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { CommentResponseSchema, type CommentView } from '../../lib/contract';
import { PulseSchema, type Pulse } from '../../lib/contract/pulse';
import { createPulseService } from '../../lib/services/pulse/pulseService';
import { databaseTarget, openDatabase } from '../../lib/store/openDatabase';
import type { Database } from '../../lib/store/schema';
import { createOpenThread } from '../testing/nodes';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';
import { waitFor } from '../testing/wait';

/** Counts of each key, most first, ties by key: how the dashboard ranks. */
function ranked<K extends string>(keys: readonly K[]): [K, number][] {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The editors' pulse (issue 19.5) over the real app, on SQLite and PostgreSQL: comments, likes, held
 * comments and their decisions, reports and theirs are made through the API; then every figure of
 * `GET /api/moderation/pulse` (the site's and a thread's) is compared with a count the test makes
 * itself, by plain SQL over the rows, and "reading now" with the sockets the test opened.
 */
for (const kind of DATABASE_KINDS) {
  describe(`the pulse on ${kind}`, () => {
    // Read afresh on every request: the figures must follow each change at once here.
    const suite = useStaffNode(kind, { services: (store, defaults) => ({ ...defaults, pulse: createPulseService({ store, sharedForMs: 0 }) }) });

    const post = async (client: WebClient, slug: string, body: string): Promise<CommentView> =>
      CommentResponseSchema.parse(expectStatus(await client.comment(slug, { body, authorName: `Name ${client.guestId?.slice(0, 4) ?? ''}` }), 201, body)).comment;

    async function pulse(client: WebClient, query = ''): Promise<Pulse> {
      return PulseSchema.parse(expectStatus(await client.get(`/api/moderation/pulse${query}`), 200, `pulse${query}`));
    }

    /** The test's own look at the database, apart from the app's store. */
    async function rawDb<T>(use: (db: Kysely<Database>) => Promise<T>): Promise<T> {
      const { db } = openDatabase(databaseTarget({ databaseUrl: suite.db.databaseUrl, dataDir: suite.db.dataDir }));
      try {
        return await use(db);
      } finally {
        await db.destroy();
      }
    }

    /** Every figure of `p`, counted again from the rows (`threadId`: one thread's). */
    async function expectCounted(p: Pulse, threadId?: string) {
      const direct = await rawDb(async (db) => {
        const inScope = <T extends { thread_id: string | null }>(rows: T[]) => rows.filter((r) => threadId === undefined || r.thread_id === threadId);
        const comments = inScope(await db.selectFrom('comments').select(['id', 'thread_id', 'author_guest_id', 'status', 'created_at', 'edited_at']).execute());
        const events = inScope(await db.selectFrom('thread_events').select(['thread_id', 'type']).execute());
        const reports = inScope(await db.selectFrom('reports').selectAll().execute());
        const audit = inScope(await db.selectFrom('audit_log').select(['thread_id', 'action', 'comment_id', 'at']).execute());
        const threads = await db.selectFrom('threads').select(['id', 'slug']).execute();
        const held = Number((await sql<{ n: number | string }>`select count(*) as n from comments where status = 'pending' ${threadId ? sql`and thread_id = ${threadId}` : sql``}`.execute(db)).rows[0]!.n);
        return { comments, events, reports, audit, threads, held };
      });
      const since = Date.parse(p.at) - p.hours * 3600_000;
      const recent = direct.comments.filter((c) => c.created_at !== null && Date.parse(c.created_at) >= since);

      assert.equal(p.comments, recent.length, 'posts in the window');
      const lastHour = Date.parse(p.at) - 3600_000;
      const byMinute = ranked(recent.filter((c) => Date.parse(c.created_at!) >= Math.floor(lastHour / 60_000) * 60_000).map((c) => c.created_at!.slice(0, 16)));
      assert.deepEqual(
        p.perMinute.filter((m) => m.comments > 0).map((m) => [m.minute, m.comments]),
        byMinute.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
        'posts per minute',
      );
      assert.equal(p.perMinute.length, 60);

      const visible = new Set(direct.comments.filter((c) => c.status === 'visible').map((c) => c.id));
      const reportedNow = new Set(direct.reports.filter((r) => r.resolved_at === null && visible.has(r.comment_id)).map((r) => r.comment_id));
      assert.deepEqual(p.waiting, { held: direct.held, reported: reportedNow.size }, 'waiting');

      // Held comments decided (their audit entries), and reported ones decided (the reports each decision closed).
      const commentOf = new Map(direct.comments.map((c) => [c.id, c]));
      const heldWaits = direct.audit
        .filter((a) => a.action === 'comment.approve' || a.action === 'comment.reject')
        .map((a) => ({ no: a.action === 'comment.reject', seconds: (Date.parse(a.at) - Date.parse(commentOf.get(a.comment_id!)!.created_at!)) / 1000 }));
      const closed = new Map<string, { no: boolean; first: number; at: number }>();
      for (const r of direct.reports.filter((r) => r.resolution === 'kept' || r.resolution === 'remove')) {
        const key = `${r.comment_id} ${r.resolved_at}`;
        const seen = closed.get(key);
        closed.set(key, { no: r.resolution === 'remove', first: Math.min(seen?.first ?? Infinity, Date.parse(r.created_at)), at: Date.parse(r.resolved_at!) });
      }
      const decisions = [...heldWaits, ...[...closed.values()].map((c) => ({ no: c.no, seconds: (c.at - c.first) / 1000 }))];
      assert.equal(p.decisions, decisions.length, 'decisions');
      assert.equal(p.medianDecisionSeconds, medianOf(decisions.map((d) => d.seconds)), 'median time to a decision');
      assert.equal(p.rejectedShare, decisions.length ? decisions.filter((d) => d.no).length / decisions.length : null, 'rejected share');

      const slugOf = new Map(direct.threads.map((t) => [t.id, t.slug]));
      if (threadId === undefined) {
        assert.deepEqual(
          p.topThreads.map((t) => [t.slug, t.events, t.comments]),
          ranked(direct.events.map((e) => slugOf.get(e.thread_id)!)).map(([slug, events]) => [slug, events, direct.events.filter((e) => slugOf.get(e.thread_id) === slug && e.type === 'comment.created').length]),
          'busiest threads',
        );
      } else assert.deepEqual(p.topThreads, []);
      assert.deepEqual(
        p.topCommenters.map((c) => [c.personId, c.comments]),
        ranked(recent.map((c) => c.author_guest_id!)).slice(0, 8),
        'most active commenters',
      );
    }

    test('every figure is what a direct count of the rows says, for the site and for a thread', async () => {
      const { node, mod } = suite;
      const open = await createOpenThread(node.services, 'pulse-open');
      const held = await createOpenThread(node.services, 'pulse-held');
      expectStatus(await mod.client.settings(held.slug, { preModeration: true }), 200, 'pre-moderate');
      const [ann, bo, cy, dee, reporter] = Array.from({ length: 5 }, () => new WebClient(node.baseUrl));

      const a1 = await post(ann!, open.slug, 'Ann one');
      const a2 = await post(ann!, open.slug, 'Ann two');
      await post(ann!, open.slug, 'Ann three');
      const b1 = await post(bo!, open.slug, 'Bo one');
      await post(bo!, open.slug, 'Bo two');
      await post(cy!, open.slug, 'Cy one');
      expectStatus(await bo!.request('PUT', `/api/comments/${a1.id}/like`), 200, 'like');
      const heldOnes = [await post(ann!, held.slug, 'Held one'), await post(dee!, held.slug, 'Held two'), await post(dee!, held.slug, 'Held three'), await post(cy!, held.slug, 'Held four')];

      expectStatus(await mod.client.act(heldOnes[0]!.id, 'approve'), 200, 'approve');
      expectStatus(await mod.client.act(heldOnes[1]!.id, 'reject'), 200, 'reject');
      for (const c of [a1, a2, b1]) expectStatus(await reporter!.report(c.id, { category: 'spam' }), 201, 'report');
      expectStatus(await mod.client.act(a1.id, 'approve'), 200, 'keep');
      expectStatus(await mod.client.act(a2.id, 'remove'), 200, 'remove');

      const site = await pulse(mod.client);
      assert.equal(site.thread, null);
      // Spelled out once, so a mistake shared by the app and the counts above would still show.
      assert.equal(site.comments, 10);
      assert.deepEqual(site.waiting, { held: 2, reported: 1 });
      assert.equal(site.decisions, 4);
      assert.equal(site.rejectedShare, 0.5);
      await expectCounted(site);

      const threadId = (await node.store.findThreadRowBySlug(open.slug))!.id;
      const one = await pulse(mod.client, `?thread=${open.slug}`);
      assert.deepEqual(one.thread?.slug, open.slug);
      assert.equal(one.comments, 6);
      await expectCounted(one, threadId);
      await expectCounted(await pulse(mod.client, `?thread=${held.slug}&hours=1`), (await node.store.findThreadRowBySlug(held.slug))!.id);
    });

    test('"reading now" is the presence count of the open pages, for a thread and for the site', async () => {
      const { node, mod } = suite;
      const one = await createOpenThread(node.services, 'pulse-read-1');
      const two = await createOpenThread(node.services, 'pulse-read-2');
      for (const slug of [one.slug, one.slug, two.slug]) {
        const socket = await suite.sockets.connect(node.baseUrl);
        const ack = await socket.timeout(10_000).emitWithAck('thread:subscribe', { slug });
        assert.ok(ack.ok, JSON.stringify(ack));
      }
      await waitFor('the thread’s two readers', async () => (await pulse(mod.client, `?thread=${one.slug}`)).readersNow === 2);
      await waitFor('the site’s three readers', async () => (await pulse(mod.client)).readersNow === 3);
    });

    test('the pulse is for staff, and says what is wrong with a request', async () => {
      const { node, mod } = suite;
      expectError(await new WebClient(node.baseUrl).get('/api/moderation/pulse'), 401, 'not_signed_in');
      expectError(await mod.client.get('/api/moderation/pulse?thread=no-such-thread'), 404, 'thread_not_found');
      const bad = expectError(await mod.client.get('/api/moderation/pulse?hours=0'), 400, 'invalid_request');
      assert.ok(JSON.stringify(bad).includes('hours'), JSON.stringify(bad));
    });
  });
}
