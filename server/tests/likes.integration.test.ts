import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, LikeResponseSchema, ThreadResponseSchema, type CommentView } from '../../lib/contract';
import { GUEST_COOKIE } from '../../lib/domain/guestToken';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';
import { record, SocketPool, subscribe } from '../testing/sockets';

/**
 * Likes end to end (docs/api.md "Likes", docs/protocol.md `comment.liked`):
 * over HTTP and the socket, once per guest, live to every reader with the
 * new count, refused on what readers cannot see, rate limited, and the
 * reader's own likes marked on the pages they read.
 */

let db: TestDatabase | undefined;
let n: TestNode | undefined;

/** Stands in for Next.js: the form routes are reachable only with a page handler. */
function blankPage(_req: IncomingMessage, res: ServerResponse): void {
  res.end('page');
}
const sockets = new SocketPool();

before(async () => {
  db = await createTestDatabase('postgres');
  n = await startNode({ db, limits: { likes: { points: 4, durationSeconds: 60 } }, pageHandler: blankPage });
});
afterEach(() => sockets.closeAll());
after(async () => {
  await n?.close();
  await db?.cleanup();
});

function created(res: HttpResult): CommentView {
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return CommentResponseSchema.parse(res.body).comment;
}

function errorCode(res: HttpResult, status: number): string {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return ErrorResponseSchema.parse(res.body).error.code;
}

const like = (guest: HttpGuest, id: string) => guest.request('PUT', `/api/comments/${id}/like`);
const unlike = (guest: HttpGuest, id: string) => guest.request('DELETE', `/api/comments/${id}/like`);

describe('likes', () => {
  test('a like over HTTP reaches another reader live with the new count; twice is a no-op; undo', async () => {
    const t = await createOpenThread(n!.services, 'likes');
    const author = new HttpGuest(n!.baseUrl);
    const c = created(await author.post(t.slug, { body: 'like me', authorName: 'Ann' }));
    const watcher = await sockets.connect(n!.baseUrl);
    const events = record(watcher, 'thread:event');
    await subscribe(watcher, t.slug);

    const fan = new HttpGuest(n!.baseUrl);
    const first = await like(fan, c.id);
    assert.equal(first.status, 200);
    assert.deepEqual(LikeResponseSchema.parse(first.body), { likes: 1, liked: true, changed: true });
    const live = await events.find('comment.liked', (e) => e.type === 'comment.liked' && e.commentId === c.id);
    assert.ok(live.type === 'comment.liked');
    assert.equal(live.likes, 1);
    assert.deepEqual(LikeResponseSchema.parse((await like(fan, c.id)).body), { likes: 1, liked: true, changed: false });

    // The reader's own page marks it; another reader's does not, and shares the cached page.
    const mine = ThreadResponseSchema.parse((await fan.get(`/api/threads/${t.slug}`)).body).comments.find((x) => x.id === c.id);
    assert.deepEqual([mine?.likes, mine?.likedByMe], [1, true]);
    const theirs = ThreadResponseSchema.parse((await author.get(`/api/threads/${t.slug}`)).body).comments.find((x) => x.id === c.id);
    assert.deepEqual([theirs?.likes, theirs?.likedByMe], [1, undefined]);

    assert.deepEqual(LikeResponseSchema.parse((await unlike(fan, c.id)).body), { likes: 0, liked: false, changed: true });
    const undone = await events.find('the unlike', (e) => e.type === 'comment.liked' && e.likes === 0);
    assert.equal(undone.seq, live.seq + 1);
    // A reader who catches up replays both counts, in order.
    const catchUp = await subscribe(await sockets.connect(n!.baseUrl), t.slug, live.seq - 1);
    assert.deepEqual(
      catchUp.missed.map((e) => (e.type === 'comment.liked' ? e.likes : e.type)),
      [1, 0],
    );
  });

  test('over the socket, with an acknowledgement; errors are stable codes', async () => {
    const t = await createOpenThread(n!.services, 'likes-socket');
    const author = new HttpGuest(n!.baseUrl);
    const c = created(await author.post(t.slug, { body: 'socket like', authorName: 'Ann' }));
    const socket = await sockets.connect(n!.baseUrl);
    const ack = await socket.timeout(10_000).emitWithAck('comment:like', { commentId: c.id, liked: true });
    assert.deepEqual(ack, { ok: true, likes: 1, liked: true, changed: true });
    const bad = await socket.timeout(10_000).emitWithAck('comment:like', { commentId: 'nope', liked: true });
    assert.equal(!bad.ok && bad.error.code, 'comment_not_found');
    const invalid = await socket.timeout(10_000).emitWithAck('comment:like', { commentId: c.id } as never);
    assert.equal(!invalid.ok && invalid.error.code, 'invalid_request');

    const guest = new HttpGuest(n!.baseUrl);
    assert.equal(errorCode(await like(guest, 'unknown'), 404), 'comment_not_found');
    assert.equal(errorCode(await like(guest, 'NOT-AN-ID'), 404), 'comment_not_found');
    // A deleted comment is gone: no likes.
    assert.equal((await author.remove(c.id)).status, 200);
    assert.equal(errorCode(await like(guest, c.id), 409), 'comment_gone');
    // Nobody else can like (or learn of) a held comment.
    const thread = await n!.store.findThreadRowBySlug(t.slug);
    await n!.store.updateThread({ threadId: thread!.id, changes: { preModeration: true } });
    const held = CommentResponseSchema.parse((await author.post(t.slug, { body: 'held', authorName: 'Ann' })).body).comment;
    assert.equal(held.status, 'pending');
    assert.equal(errorCode(await like(guest, held.id), 404), 'comment_not_found');
  });

  test('a guest liking too fast gets 429 with Retry-After; repeats that change nothing are not counted', async () => {
    const t = await createOpenThread(n!.services, 'likes-limit');
    const author = new HttpGuest(n!.baseUrl);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(created(await author.post(t.slug, { body: `c${i}`, authorName: 'Ann' })).id);
    const flood = new HttpGuest(n!.baseUrl);
    assert.equal((await like(flood, ids[0]!)).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await like(flood, ids[0]!)).status, 200, 'a repeat');
    for (let i = 1; i < 4; i++) assert.equal((await like(flood, ids[i]!)).status, 200);
    const res = await like(flood, ids[4]!);
    assert.equal(errorCode(res, 429), 'rate_limited');
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    // Another guest is unaffected.
    assert.equal((await like(new HttpGuest(n!.baseUrl), ids[4]!)).status, 200);
  });

  test('the top sort pages by likes through the API, each branch once', async () => {
    const t = await createOpenThread(n!.services, 'likes-top');
    const author = new HttpGuest(n!.baseUrl);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(created(await author.post(t.slug, { body: `top ${i}`, authorName: 'Ann' })).id);
    const reply = created(await author.post(t.slug, { body: 'reply', authorName: 'Ann', parentId: ids[0] }));
    const counts = [0, 2, 1, 2, 0];
    for (const [i, count] of counts.entries()) {
      for (let g = 0; g < count; g++) assert.equal((await like(new HttpGuest(n!.baseUrl), ids[i]!)).status, 200);
    }
    const all = await author.readThread(t.slug, { sort: 'top', limit: 2 });
    assert.deepEqual(
      all.comments.map((c) => c.body),
      ['top 1', 'top 3', 'top 2', 'top 0', 'reply', 'top 4'],
    );
    assert.ok(all.comments.some((c) => c.id === reply.id));
    const bad = await author.get(`/api/threads/${t.slug}?sort=top&after=5`);
    assert.equal(errorCode(bad, 400), 'invalid_request');
  });

  test('without JavaScript: the form likes and unlikes from the page, back to the comment in its sort', async () => {
    const t = await createOpenThread(n!.services, 'likes-form');
    const author = new HttpGuest(n!.baseUrl);
    const c = created(await author.post(t.slug, { body: 'form like', authorName: 'Ann' }));
    // A first-time reader: the like gives them their guest cookie.
    const reader = new HttpGuest(n!.baseUrl);
    const submit = (fields: Record<string, string>, origin?: string | null) =>
      reader.request('POST', `/articles/${t.slug}/comments/${c.id}/like`, { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded', ...(origin !== undefined && { origin }) });

    const liked = await submit({ liked: 'true', sort: 'top' });
    assert.equal(liked.status, 303);
    assert.equal(liked.headers.get('location'), `/articles/${t.slug}?sort=top&liked=${c.id}#c-${c.id}`);
    assert.equal((await n!.store.findComment({ id: c.id }))?.likes, 1);
    assert.ok(reader.cookie?.startsWith(`${GUEST_COOKIE}=`), 'the like gave the reader a guest');
    const undone = await submit({ liked: 'false' });
    // Not the page everyone gets either: a shared cache's copy from before would still count her like.
    assert.equal(undone.headers.get('location'), `/articles/${t.slug}?unliked=${c.id}#c-${c.id}`);
    assert.equal((await n!.store.findComment({ id: c.id }))?.likes, 0);

    // A post that does not say it came from this site's page is refused and changes nothing.
    const forged = await submit({ liked: 'true' }, null);
    assert.equal(forged.headers.get('location'), `/articles/${t.slug}?likeError=form_token_invalid#c-${c.id}`);
    const unknown = await reader.request('POST', `/articles/${t.slug}/comments/nope/like`, {
      raw: new URLSearchParams({}).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(unknown.headers.get('location'), `/articles/${t.slug}?likeError=comment_not_found#c-nope`);
    assert.equal((await n!.store.findComment({ id: c.id }))?.likes, 0);
  });
});
