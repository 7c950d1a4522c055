import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { threadRoom } from '../../lib/contract/socket';
import { syntheticComments } from '../../lib/seed/synthetic';
import { commentHtml, ENTRY_OVERHEAD_CHARS } from '../../lib/services/htmlCache';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest } from '../testing/http';
import { startNode, type TestNode } from '../testing/nodes';
import { SocketPool, subscribe } from '../testing/sockets';
import { waitFor } from '../testing/wait';

const THREADS = 200;
const COMMENTS_PER_THREAD = 200;
/** Readers opened at once: each subscribes to one thread, reads its first page, and leaves. */
const BATCH = 20;

/**
 * Issue 6: a node's memory stays bounded with many large threads opened
 * (docs/scaling.md, "Memory bounds of a node"). 200 threads × 200 comments are
 * each opened by a reader who reads the first page and leaves: afterwards no
 * room of a thread nobody watches is left, and the rendered-HTML cache, which
 * saw more text than its budget, holds no more than its budget.
 */
describe('memory of a node with many large threads opened (sqlite)', () => {
  let db: TestDatabase | undefined;
  let node: TestNode;
  const sockets = new SocketPool();
  const slugs: string[] = [];

  before(async () => {
    db = await createTestDatabase('sqlite');
    node = await startNode({ db, rateLimits: false, syncIntervalMs: 50, presenceFlushMs: 20 });
    for (let i = 0; i < THREADS; i += 1) {
      const { thread } = await node.store.importThread({
        source: `memory-bounds:${i}`,
        slug: `memory-bounds-${i}`,
        title: `Memory bounds ${i}`,
        article: '',
        locked: false,
        comments: syntheticComments({ comments: COMMENTS_PER_THREAD, maxDepth: 6, seed: i + 1 }),
      });
      slugs.push(thread.slug);
    }
  });
  after(async () => {
    sockets.closeAll();
    await node?.close();
    await db?.cleanup();
  });

  test('every thread opened and left: no thread room stays, the HTML cache stays within its budget', async () => {
    const rooms = () => [...node.app.io.of('/').adapter.rooms.keys()].filter((room) => room.startsWith(threadRoom('')));
    let charsSeen = 0;
    for (let start = 0; start < slugs.length; start += BATCH) {
      const batch = slugs.slice(start, start + BATCH);
      await Promise.all(
        batch.map(async (slug) => {
          const socket = await sockets.connect(node.baseUrl);
          await subscribe(socket, slug);
          const res = await new HttpGuest(node.baseUrl).get(`/api/threads/${slug}`);
          assert.equal(res.status, 200);
          const page = res.body as { comments: { body: string; html: string }[] };
          for (const c of page.comments) charsSeen += c.body.length + c.html.length + ENTRY_OVERHEAD_CHARS;
        }),
      );
      assert.ok(rooms().length > 0, 'readers are in their threads’ rooms');
      sockets.closeAll();
      // Socket.IO drops a room with its last socket: a thread nobody watches costs this node nothing.
      await waitFor('the batch’s rooms to be released', () => rooms().length === 0);
    }
    assert.ok(commentHtml.usedChars <= commentHtml.budgetChars, `HTML cache holds ${commentHtml.usedChars} chars, budget ${commentHtml.budgetChars}`);
    // The pages rendered more than the budget holds, so the cache had to evict to stay within it.
    assert.ok(charsSeen > commentHtml.budgetChars, `only ${charsSeen} chars seen: the test no longer exceeds the cache's budget`);
    assert.ok(commentHtml.size > 0);
    assert.equal(rooms().length, 0);
  });
});
