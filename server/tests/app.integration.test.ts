import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { ErrorResponseSchema, ThreadListResponseSchema, ThreadResponseSchema } from '../../lib/contract';
import type { ClientToServerEvents, ServerInfo, ServerToClientEvents, Welcome } from '../../lib/contract/socket';
import { GUEST_COOKIE, newGuestId, signGuestToken } from '../../lib/domain/guestToken';
import type { Socket } from 'socket.io-client';
import { SEED_SLUG, startTestApp, TEST_SESSION_SECRET, type TestApp } from '../testing/testApp';

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`HTTP API and socket on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(async () => {
      await t.close();
    });

    async function get(path: string, init?: RequestInit) {
      const res = await fetch(`${t.baseUrl}${path}`, init);
      return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
    }

    test('GET /api/threads lists the seeded article with its visible comment count', async () => {
      const { status, body } = await get('/api/threads');
      assert.equal(status, 200);
      const list = ThreadListResponseSchema.parse(body);
      assert.deepEqual(list, {
        threads: [{ slug: SEED_SLUG, title: 'Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent', locked: true, commentCount: 24 }],
        next: null,
      });
    });

    test('GET /api/threads/<slug> gives the whole thread in display order', async () => {
      const { status, headers, body } = await get(`/api/threads/${SEED_SLUG}`);
      assert.equal(status, 200);
      assert.equal(headers.get('cache-control'), 'no-store');
      const { thread, comments } = ThreadResponseSchema.parse(body);
      assert.deepEqual(thread, { slug: SEED_SLUG, title: thread.title, locked: true, seq: 31, commentCount: 24, slowModeSeconds: 0, preModeration: false, hidden: false });
      assert.equal(comments.length, 29);

      // Display order: every comment comes after its parent, and siblings are oldest first.
      const position = new Map(comments.map((c, i) => [c.id, i]));
      for (const c of comments) {
        if (c.parentId === null) assert.equal(c.depth, 1);
        else {
          const parent = comments[position.get(c.parentId)!]!;
          assert.ok(position.get(c.parentId)! < position.get(c.id)!);
          assert.equal(c.depth, parent.depth + 1);
        }
      }
      const topLevel = comments.filter((c) => c.depth === 1);
      assert.deepEqual(
        topLevel.map((c) => c.seq),
        [...topLevel.map((c) => c.seq)].sort((a, b) => a - b),
      );
      assert.ok(comments[0]!.body.startsWith('Sessions was not a great senator'));
      assert.ok(comments[1]!.body.startsWith('Well Trump has the right'));

      const placeholders = comments.filter((c) => c.status === 'unavailable');
      assert.equal(placeholders.length, 5);
      for (const p of placeholders) assert.deepEqual([p.body, p.html, p.author.name], ['', '', null]);

      const listComment = comments.find((c) => c.body.startsWith('LOL…you will'))!;
      assert.match(listComment.html, /<ol>\n<li>The approaching 100,000 COVID deaths/);
      assert.equal(listComment.createdAt, null);
      assert.equal(listComment.author.name, null);
    });

    test('?sort=newest reverses the top level only', async () => {
      const oldest = ThreadResponseSchema.parse((await get(`/api/threads/${SEED_SLUG}`)).body).comments;
      const newest = ThreadResponseSchema.parse((await get(`/api/threads/${SEED_SLUG}?sort=newest`)).body).comments;
      assert.deepEqual(
        newest.filter((c) => c.depth === 1).map((c) => c.id),
        oldest.filter((c) => c.depth === 1).map((c) => c.id).reverse(),
      );
      assert.ok(newest[0]!.body.startsWith('The pathetic little piss pot'));
      assert.ok(newest[1]!.body.startsWith('That was well known'), 'replies still follow their parent');
    });

    test('errors are JSON with a stable code', async () => {
      const cases: [string, number, string, RequestInit?][] = [
        ['/api/threads/no-such-thread', 404, 'thread_not_found'],
        ['/api/threads/NOT%20A%20SLUG', 404, 'thread_not_found'],
        ['/api/threads/%E0%A4%A', 400, 'invalid_request'],
        ['/api/nothing-here', 404, 'not_found'],
        ['/somewhere', 404, 'not_found'],
        ['/api/threads', 405, 'method_not_allowed', { method: 'DELETE' }],
      ];
      for (const [path, status, code, init] of cases) {
        const res = await get(path, init);
        assert.equal(res.status, status, path);
        assert.equal(ErrorResponseSchema.parse(res.body).error.code, code, path);
      }
      const bad = await get(`/api/threads/${SEED_SLUG}?sort=sideways`);
      assert.equal(bad.status, 400);
      const { error } = ErrorResponseSchema.parse(bad.body);
      assert.equal(error.code, 'invalid_request');
      assert.ok(error.fields?.sort?.length, 'names the field at fault');
    });

    test('a Socket.IO client connects on the same port and is answered', async () => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.baseUrl, { transports: ['websocket'], reconnection: false });
      try {
        const welcome = await new Promise<ServerInfo>((resolve, reject) => {
          socket.once('server:welcome', resolve);
          socket.once('connect_error', reject);
        });
        assert.equal(welcome.name, 'threadline');
        const ack = await socket.timeout(5000).emitWithAck('server:hello');
        assert.equal(ack.ok, true);
      } finally {
        socket.disconnect();
      }
    });

    test("the welcome says whether the connection's guest lasts: it does with the guest cookie, not without one", async () => {
      const welcomed = async (headers: Record<string, string>) => {
        const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: headers });
        try {
          return await new Promise<Welcome>((resolve, reject) => {
            socket.once('server:welcome', resolve);
            socket.once('connect_error', reject);
          });
        } finally {
          socket.disconnect();
        }
      };
      const cookie = `${GUEST_COOKIE}=${signGuestToken(newGuestId(), TEST_SESSION_SECRET)}`;
      assert.equal((await welcomed({ cookie })).identity, 'lasting');
      // A frame on another site whose browser keeps no cookie there: a guest for this connection only.
      assert.equal((await welcomed({})).identity, 'connection');
      assert.equal((await welcomed({ cookie: `${GUEST_COOKIE}=forged` })).identity, 'connection');
    });
  });
}
