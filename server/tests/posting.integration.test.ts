import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BODY_MAX,
  CatchUpSchema,
  CommentResponseSchema,
  CommentViewSchema,
  EDIT_WINDOW_MS,
  ErrorBodySchema,
  ErrorResponseSchema,
  NAME_MAX,
  ThreadResponseSchema,
  type CommentView,
  type ErrorBody,
} from '../../lib/contract';
import { createCommentService } from '../../lib/services/commentService';
import { UNLIMITED_BUDGET } from '../../lib/services/senderBudget';
import { createApp } from '../app';
import { silentLogger } from '../log';
import { SEED_SLUG } from '../testing/testApp';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread } from '../testing/nodes';
import { createViaSocket, record, subscribe } from '../testing/sockets';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/**
 * Posting, editing and deleting comments through the public HTTP API and the
 * socket's `comment:create`, against the real app on SQLite and PostgreSQL.
 */
for (const kind of DATABASE_KINDS) {
  describe(`posting comments on ${kind}`, () => {
    // The default services: the posting limit (10 a minute per guest) is on.
    const suite = useNode(kind, { seed: true });
    const { sockets } = suite;

    const guest = (cookie?: string) => new HttpGuest(suite.node.baseUrl, cookie);
    const thread = (label = 'posting') => createOpenThread(suite.node.services, label);

    function created(res: HttpResult, status = 201): CommentView {
      assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
      return CommentResponseSchema.parse(res.body).comment;
    }

    function failed(res: HttpResult, status: number, code: ErrorBody['code']): ErrorBody {
      assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${JSON.stringify(res.body)}`);
      const { error } = ErrorResponseSchema.parse(res.body);
      assert.equal(error.code, code);
      assert.ok(error.message.length > 0);
      return error;
    }

    async function threadView(slug: string) {
      const res = await guest().get(`/api/threads/${slug}`);
      assert.equal(res.status, 200);
      return ThreadResponseSchema.parse(res.body);
    }

    async function eventsAfter(slug: string, after: number) {
      const res = await guest().get(`/api/threads/${slug}/events?after=${after}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return CatchUpSchema.parse(res.body);
    }

    test('a top-level comment and replies: 201, depth, parentId, the next seq, a trimmed name, a guest cookie', async () => {
      const t = await thread();
      const ada = guest();
      const startedAt = Date.now();
      const first = await ada.post(t.slug, { body: '  Hello **world**\r\nsecond line  ', authorName: '  Ada \t  Lovelace \n' });
      const top = created(first);
      const finishedAt = Date.now();

      const cookie = first.setCookies.find((c) => c.startsWith('tl_guest='));
      assert.ok(cookie, 'the first post sets the guest cookie');
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);

      assert.equal(top.parentId, null);
      assert.equal(top.depth, 1);
      assert.equal(top.status, 'visible');
      assert.equal(top.author.name, 'Ada Lovelace', 'whitespace in the name is collapsed and trimmed');
      assert.equal(top.body, 'Hello **world**\nsecond line', 'the body is trimmed and its line breaks normalised');
      assert.match(top.html, /<strong>world<\/strong>/);
      assert.equal(top.seq, t.seq + 1);
      assert.equal(top.editedAt, null);
      assert.ok(top.createdAt !== null);
      const createdAt = Date.parse(top.createdAt);
      assert.ok(createdAt >= startedAt - 1000 && createdAt <= finishedAt + 1000, `createdAt ${top.createdAt} is the time of posting`);

      const second = await ada.post(t.slug, { parentId: top.id, body: 'a reply', authorName: 'Ada' });
      const reply = created(second);
      assert.deepEqual(second.setCookies, [], 'a returning guest keeps its cookie');
      assert.equal(reply.parentId, top.id);
      assert.equal(reply.depth, 2);
      assert.equal(reply.seq, t.seq + 2);

      const bob = guest();
      const deeper = created(await bob.post(t.slug, { parentId: reply.id, body: 'deeper', authorName: 'Bob' }));
      assert.notEqual(bob.cookie, ada.cookie, 'another visitor is another guest');
      assert.equal(deeper.parentId, reply.id);
      assert.equal(deeper.depth, 3);
      assert.equal(deeper.seq, t.seq + 3);

      const view = await threadView(t.slug);
      assert.equal(view.thread.seq, t.seq + 3);
      assert.equal(view.thread.commentCount, 3);
      assert.deepEqual(view.comments, [top, reply, deeper]);

      const events = await eventsAfter(t.slug, t.seq);
      assert.deepEqual(events.thread, { slug: t.slug, seq: t.seq + 3, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false });
      assert.equal(events.resync, false);
      assert.deepEqual(
        events.missed.map((e) => [e.seq, e.type, e.type === 'comment.created' ? e.comment.id : null]),
        [
          [t.seq + 1, 'comment.created', top.id],
          [t.seq + 2, 'comment.created', reply.id],
          [t.seq + 3, 'comment.created', deeper.id],
        ],
      );
    });

    test('fields the server owns are ignored, not trusted', async () => {
      const t = await thread();
      const before = Date.now();
      const comment = created(
        await guest().post(t.slug, {
          parentId: null,
          body: 'mine',
          authorName: 'Eve',
          id: 'hijacked',
          threadId: 'another-thread',
          depth: 7,
          seq: 9999,
          status: 'removed',
          author: { name: 'Mallory' },
          authorId: 'root',
          createdAt: '2000-01-01T00:00:00.000Z',
          editedAt: '2000-01-01T00:00:00.000Z',
          html: '<script>alert(1)</script>',
        }),
      );
      assert.notEqual(comment.id, 'hijacked');
      assert.match(comment.id, /^[a-z0-9]{12}$/);
      assert.equal(comment.parentId, null);
      assert.equal(comment.depth, 1);
      assert.equal(comment.seq, t.seq + 1);
      assert.equal(comment.status, 'visible');
      assert.equal(comment.author.name, 'Eve');
      assert.equal(comment.body, 'mine');
      assert.doesNotMatch(comment.html, /script/);
      assert.equal(comment.editedAt, null);
      assert.ok(Date.parse(comment.createdAt ?? '') >= before - 1000, 'createdAt is the server’s time');
      assert.deepEqual((await threadView(t.slug)).comments, [comment]);
    });

    test('validation errors are 400 invalid_request naming each field; nothing is stored', async () => {
      const t = await thread();
      const ok = { body: 'fine', authorName: 'Val' };
      const cases: [label: string, input: unknown, field: string, mentions?: string][] = [
        ['an empty body (after trimming)', { ...ok, body: ' \n\t ' }, 'body'],
        ['no body', { authorName: 'Val' }, 'body'],
        ['a body that is not text', { ...ok, body: 42 }, 'body'],
        [`a body of ${BODY_MAX + 1} characters after trimming`, { ...ok, body: `  ${'x'.repeat(BODY_MAX + 1)}\n` }, 'body'],
        ['a NUL in the body', { ...ok, body: 'a\u0000b' }, 'body'],
        [`a name of ${NAME_MAX + 1} characters`, { ...ok, authorName: 'n'.repeat(NAME_MAX + 1) }, 'authorName'],
        ['a blank name', { ...ok, authorName: '   ' }, 'authorName'],
        ['no name', { body: 'fine' }, 'authorName'],
        ['a NUL in the name', { ...ok, authorName: 'Val\u0000' }, 'authorName'],
        ['an unknown field', { ...ok, colour: 'red' }, '', 'colour'],
        ['a malformed clientId', { ...ok, clientId: 'has spaces' }, 'clientId'],
        ['a malformed parentId', { ...ok, parentId: 'NOT/AN/ID' }, 'parentId'],
        ['a body that is not an object', ['fine'], ''],
      ];
      for (const [label, input, field, mentions] of cases) {
        const error = failed(await guest().post(t.slug, input), 400, 'invalid_request');
        const messages = error.fields?.[field];
        assert.ok(messages && messages.length > 0, `${label}: fields[${JSON.stringify(field)}] in ${JSON.stringify(error.fields)}`);
        if (mentions) assert.ok(messages.some((m) => m.includes(mentions)), `${label}: ${JSON.stringify(messages)} names "${mentions}"`);
      }
      assert.equal((await threadView(t.slug)).thread.seq, t.seq, 'no rejected request stored anything');

      // The limits themselves are allowed, counted after trimming.
      const longest = created(await guest().post(t.slug, { body: ` ${'x'.repeat(BODY_MAX)}\n\n`, authorName: ` ${'n'.repeat(NAME_MAX)} ` }));
      assert.equal(longest.body.length, BODY_MAX);
      assert.equal(longest.author.name, 'n'.repeat(NAME_MAX));
      assert.equal(longest.seq, t.seq + 1);
    });

    test('an unknown parent or thread is a 404, and a failed post leaves no hole in the seq', async () => {
      const t = await thread();
      const other = await thread('elsewhere');
      const elsewhere = created(await guest().post(other.slug, { body: 'in the other thread', authorName: 'Oz' }));

      failed(await guest().post(t.slug, { parentId: 'zzzzzzzzzzzz', body: 'orphan', authorName: 'Pat' }), 404, 'parent_not_found');
      failed(await guest().post(t.slug, { parentId: elsewhere.id, body: 'cross-thread', authorName: 'Pat' }), 404, 'parent_not_found');
      failed(await guest().post('no-such-thread-here', { body: 'x', authorName: 'Pat' }), 404, 'thread_not_found');
      failed(await guest().post('Not%20A%20Slug', { body: 'x', authorName: 'Pat' }), 404, 'thread_not_found');

      const next = created(await guest().post(t.slug, { body: 'after the failures', authorName: 'Pat' }));
      assert.equal(next.seq, t.seq + 1, 'the refused replies took no seq');
      assert.deepEqual(
        (await eventsAfter(t.slug, 0)).missed.map((e) => e.seq),
        [t.seq, t.seq + 1],
      );
    });

    test('the seeded thread is locked: 423 thread_locked', async () => {
      const before = await threadView(SEED_SLUG);
      assert.equal(before.thread.locked, true);
      failed(await guest().post(SEED_SLUG, { body: 'too late', authorName: 'Lou' }), 423, 'thread_locked');
      failed(await guest().post(SEED_SLUG, { parentId: before.comments[0]!.id, body: 'too late', authorName: 'Lou' }), 423, 'thread_locked');
      const after = await threadView(SEED_SLUG);
      assert.equal(after.thread.seq, before.thread.seq);
      assert.equal(after.comments.length, before.comments.length);
    });

    test('a body that is not JSON is a 415; broken JSON is a 400 invalid_json', async () => {
      const t = await thread();
      const path = `/api/threads/${t.slug}/comments`;
      const json = JSON.stringify({ body: 'x', authorName: 'Jay' });
      failed(await guest().request('POST', path, { raw: 'body=x&authorName=Jay', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
      failed(await guest().request('POST', path, { raw: json, contentType: 'text/plain' }), 415, 'unsupported_media_type');
      failed(await guest().request('POST', path, { raw: json, contentType: '' }), 415, 'unsupported_media_type');
      failed(await guest().request('POST', path, { raw: '{"body": "x", ', contentType: 'application/json' }), 400, 'invalid_json');
      assert.equal((await threadView(t.slug)).thread.seq, t.seq);
      created(await guest().request('POST', path, { raw: json, contentType: 'Application/JSON; charset=utf-8' }));
    });

    test('429 rate_limited after 10 posts a minute, with retryAfter; a retry and other guests are not limited', async () => {
      const t = await thread();
      const busy = guest();
      const posted: CommentView[] = [];
      for (let i = 1; i <= 10; i++) posted.push(created(await busy.post(t.slug, { body: `post ${i}`, authorName: 'Busy', clientId: `busy-${i}` })));

      const limited = await busy.post(t.slug, { body: 'one too many', authorName: 'Busy', clientId: 'busy-11' });
      const error = failed(limited, 429, 'rate_limited');
      assert.ok(Number.isInteger(error.retryAfter) && error.retryAfter! >= 1 && error.retryAfter! <= 60, `retryAfter ${String(error.retryAfter)}`);
      assert.equal(limited.headers.get('retry-after'), String(error.retryAfter));
      failed(await busy.post(t.slug, { body: 'and another', authorName: 'Busy' }), 429, 'rate_limited');

      // Retrying a post that went through stores nothing, so it is answered even now.
      assert.deepEqual(created(await busy.post(t.slug, { body: 'post 3', authorName: 'Busy', clientId: 'busy-3' }), 200), posted[2]);
      // The limit is per guest.
      const calm = created(await guest().post(t.slug, { body: 'me too', authorName: 'Calm' }));
      assert.equal(calm.seq, t.seq + 11);
      assert.equal((await threadView(t.slug)).thread.commentCount, 11);
    });

    test('a repeated clientId from the same guest returns the first comment (200) and stores nothing', async () => {
      const t = await thread();
      const idem = guest();
      const first = created(await idem.post(t.slug, { body: 'once', authorName: 'Idem', clientId: 'retry-1' }));
      const again = created(await idem.post(t.slug, { body: 'once (sent again)', authorName: 'Idem', clientId: 'retry-1' }), 200);
      assert.deepEqual(again, first);
      const view = await threadView(t.slug);
      assert.deepEqual(view.comments, [first]);
      assert.equal(view.thread.seq, t.seq + 1);

      // The key is per guest: another guest's identical clientId is another comment.
      const other = created(await guest().post(t.slug, { body: 'once', authorName: 'Other', clientId: 'retry-1' }));
      assert.notEqual(other.id, first.id);
      // One guest cannot reuse a key on another thread.
      const t2 = await thread('second');
      const error = failed(await idem.post(t2.slug, { body: 'elsewhere', authorName: 'Idem', clientId: 'retry-1' }), 400, 'invalid_request');
      assert.ok(error.fields?.clientId?.length);
      assert.equal((await threadView(t2.slug)).thread.seq, t2.seq);
    });

    test('concurrent identical retries store exactly one comment', async () => {
      const t = await thread();
      const idem = guest();
      created(await idem.post(t.slug, { body: 'warm-up', authorName: 'Idem', clientId: 'warm-up' }));
      const results = await Promise.all(Array.from({ length: 8 }, () => idem.post(t.slug, { body: 'same', authorName: 'Idem', clientId: 'burst-1' })));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 201], JSON.stringify(results.map((r) => r.body)));
      const comments = results.map((r) => CommentResponseSchema.parse(r.body).comment);
      assert.equal(new Set(comments.map((c) => c.id)).size, 1, 'every answer is the same comment');

      const view = await threadView(t.slug);
      assert.equal(view.comments.filter((c) => c.body === 'same').length, 1);
      assert.equal(view.thread.seq, t.seq + 2);
      assert.deepEqual(
        (await eventsAfter(t.slug, t.seq)).missed.map((e) => e.seq),
        [t.seq + 1, t.seq + 2],
        'no seq taken by a losing retry',
      );
    });

    test('the author edits within the window; anybody else is refused', async () => {
      const t = await thread();
      const author = guest();
      const comment = created(await author.post(t.slug, { body: 'first draft', authorName: 'Ed' }));

      const res = await author.patch(comment.id, { body: '  second *draft*  ' });
      const edited = created(res, 200);
      assert.equal(edited.id, comment.id);
      assert.equal(edited.body, 'second *draft*');
      assert.match(edited.html, /<em>draft<\/em>/);
      assert.equal(edited.seq, comment.seq, 'a comment keeps the seq it was created with');
      assert.ok(edited.editedAt !== null && Date.parse(edited.editedAt) >= Date.parse(comment.createdAt!));
      assert.equal(edited.author.name, 'Ed');

      const missed = (await eventsAfter(t.slug, comment.seq)).missed;
      assert.equal(missed.length, 1);
      assert.equal(missed[0]!.type, 'comment.updated');
      assert.equal(missed[0]!.seq, comment.seq + 1);

      // The same text again changes nothing.
      assert.deepEqual(created(await author.patch(comment.id, { body: 'second *draft*' }), 200), edited);
      assert.equal((await threadView(t.slug)).thread.seq, comment.seq + 1);

      const stranger = guest();
      created(await stranger.post(t.slug, { body: 'my own', authorName: 'Stranger' }));
      failed(await stranger.patch(comment.id, { body: 'hijacked' }), 403, 'not_your_comment');
      failed(await guest().patch(comment.id, { body: 'hijacked' }), 403, 'not_your_comment');
      failed(await author.patch(comment.id, { body: '   ' }), 400, 'invalid_request');
      failed(await author.patch(comment.id, { body: 'x', authorName: 'New name' }), 400, 'invalid_request');
      failed(await author.patch('zzzzzzzzzzzz', { body: 'x' }), 404, 'comment_not_found');

      // A tampered cookie is not the author: it is ignored and a new guest is made.
      const [name, token] = author.cookie!.split('=') as [string, string];
      const [id, signature] = token.split('.') as [string, string];
      const forged = new HttpGuest(suite.node.baseUrl, `${name}=${id}.${signature.slice(0, -2)}xx`);
      const refused = await forged.patch(comment.id, { body: 'forged' });
      failed(refused, 403, 'not_your_comment');
      assert.ok(forged.cookie !== author.cookie && refused.setCookies.length === 1, 'a fresh guest cookie replaces the forged one');

      // Imported comments have no author guest: nobody can change them.
      const seeded = (await threadView(SEED_SLUG)).comments.find((c) => c.status === 'visible')!;
      failed(await author.patch(seeded.id, { body: 'mine now' }), 403, 'not_your_comment');
      failed(await author.remove(seeded.id), 403, 'not_your_comment');

      const view = await threadView(t.slug);
      assert.equal(view.comments.find((c) => c.id === comment.id)?.body, 'second *draft*');
    });

    test('an edit after 5 minutes is 403 edit_window_closed', async () => {
      const t = await thread();
      const author = guest();
      const comment = created(await author.post(t.slug, { body: 'old news', authorName: 'Ed' }));
      // A second app on the same store whose clock is just past the edit window.
      const services = suite.node.services;
      const later = createApp({
        services: {
          ...services,
          comments: createCommentService({ store: services.store, bus: services.bus, posts: UNLIMITED_BUDGET, now: () => Date.now() + EDIT_WINDOW_MS + 1000 }),
        },
        log: silentLogger,
      });
      const { port } = await later.listen({ port: 0, host: '127.0.0.1' });
      try {
        failed(await new HttpGuest(`http://127.0.0.1:${port}`, author.cookie).patch(comment.id, { body: 'new news' }), 403, 'edit_window_closed');
      } finally {
        await later.close();
      }
      assert.equal((await threadView(t.slug)).comments[0]?.body, 'old news');
    });

    test('deleting a comment without replies: status deleted, the API view leaves it out', async () => {
      const t = await thread();
      const author = guest();
      const doomed = created(await author.post(t.slug, { body: 'regrettable', authorName: 'Del' }));
      const stranger = guest();
      const kept = created(await stranger.post(t.slug, { body: 'stays', authorName: 'Kit' }));

      failed(await stranger.remove(doomed.id), 403, 'not_your_comment');
      failed(await author.remove('zzzzzzzzzzzz'), 404, 'comment_not_found');

      const deleted = created(await author.remove(doomed.id), 200);
      assert.deepEqual(
        { id: deleted.id, status: deleted.status, body: deleted.body, html: deleted.html, name: deleted.author.name, seq: deleted.seq },
        { id: doomed.id, status: 'deleted', body: '', html: '', name: null, seq: doomed.seq },
      );

      const view = await threadView(t.slug);
      assert.deepEqual(
        view.comments.map((c) => c.id),
        [kept.id],
      );
      assert.equal(view.thread.commentCount, 1);
      const last = (await eventsAfter(t.slug, kept.seq)).missed;
      assert.equal(last.length, 1);
      assert.equal(last[0]!.type, 'comment.updated');
      assert.ok(last[0]!.type === 'comment.updated' && last[0]!.comment.status === 'deleted' && last[0]!.comment.body === '');

      // Deleting again is a no-op; the comment can no longer be edited or answered.
      assert.equal(created(await author.remove(doomed.id), 200).status, 'deleted');
      assert.equal((await threadView(t.slug)).thread.seq, kept.seq + 1);
      failed(await author.patch(doomed.id, { body: 'back' }), 409, 'comment_gone');
      failed(await stranger.post(t.slug, { parentId: doomed.id, body: 'answer', authorName: 'Kit' }), 404, 'parent_not_found');
    });

    test('deleting a comment with replies keeps it as a placeholder until its branch is all deleted', async () => {
      const t = await thread();
      const alice = guest();
      const bob = guest();
      const top = created(await alice.post(t.slug, { body: 'top', authorName: 'Alice' }));
      const reply = created(await bob.post(t.slug, { parentId: top.id, body: 'reply', authorName: 'Bob' }));

      created(await alice.remove(top.id), 200);
      let view = await threadView(t.slug);
      assert.deepEqual(
        view.comments.map((c) => [c.id, c.status, c.body, c.author.name, c.depth]),
        [
          [top.id, 'deleted', '', null, 1],
          [reply.id, 'visible', 'reply', 'Bob', 2],
        ],
      );
      assert.equal(view.thread.commentCount, 1);

      created(await bob.remove(reply.id), 200);
      view = await threadView(t.slug);
      assert.deepEqual(view.comments, [], 'a branch of nothing but deleted comments is left out');
      assert.equal(view.thread.commentCount, 0);
      assert.equal(view.thread.seq, t.seq + 4);
    });

    test('comment:create over the socket is acknowledged with the comment, as the cookie’s guest', async () => {
      const t = await thread();
      const sam = guest();
      const viaHttp = created(await sam.post(t.slug, { body: 'via HTTP', authorName: 'Sam' }));
      const socket = await sockets.connect(suite.node.baseUrl, { cookie: sam.cookie });
      const events = record(socket, 'thread:event');
      await subscribe(socket, t.slug, viaHttp.seq);

      const request = { slug: t.slug, body: '  over the socket ', authorName: ' Sam ', clientId: 'sock-1', seq: 42, depth: 3 };
      const ack = await createViaSocket(socket, request);
      assert.ok(ack.ok, JSON.stringify(ack));
      assert.deepEqual(Object.keys(ack).sort(), ['comment', 'ok']);
      const comment = CommentViewSchema.parse(ack.comment);
      assert.deepEqual(
        [comment.body, comment.author.name, comment.depth, comment.parentId, comment.seq, comment.status],
        ['over the socket', 'Sam', 1, null, viaHttp.seq + 1, 'visible'],
      );
      const live = await events.find('the thread:event of the socket’s own comment', (e) => e.seq === comment.seq);
      assert.equal(live.type, 'comment.created');

      // The same guest as over HTTP: the HTTP retry with that clientId finds this comment.
      assert.deepEqual(created(await sam.post(t.slug, { body: 'x', authorName: 'Sam', clientId: 'sock-1' }), 200), comment);
      // A retry on the socket is answered ok with the same comment.
      const again = await createViaSocket(socket, request);
      assert.ok(again.ok);
      assert.deepEqual(again.comment, comment);

      const replyAck = await createViaSocket(socket, { slug: t.slug, parentId: viaHttp.id, body: 'a socket reply', authorName: 'Sam' });
      assert.ok(replyAck.ok, JSON.stringify(replyAck));
      assert.equal(replyAck.comment.depth, 2);
      assert.equal(replyAck.comment.parentId, viaHttp.id);
      assert.equal((await threadView(t.slug)).thread.seq, viaHttp.seq + 2);
    });

    test('comment:create failures are acknowledged as { ok: false, error: { code, message, fields? } }', async () => {
      const t = await thread();
      const socket = await sockets.connect(suite.node.baseUrl);
      const ok = { slug: t.slug, body: 'fine', authorName: 'Ack' };
      const cases: [label: string, request: unknown, code: ErrorBody['code'], field?: string][] = [
        ['an empty body', { ...ok, body: '  ' }, 'invalid_request', 'body'],
        ['a long name', { ...ok, authorName: 'n'.repeat(NAME_MAX + 1) }, 'invalid_request', 'authorName'],
        ['an unknown field', { ...ok, colour: 'red' }, 'invalid_request', ''],
        ['no slug', { body: 'fine', authorName: 'Ack' }, 'invalid_request', 'slug'],
        ['not an object', 'hello', 'invalid_request', ''],
        ['an unknown thread', { ...ok, slug: 'no-such-thread-here' }, 'thread_not_found'],
        ['the locked seeded thread', { ...ok, slug: SEED_SLUG }, 'thread_locked'],
        ['an unknown parent', { ...ok, parentId: 'zzzzzzzzzzzz' }, 'parent_not_found'],
      ];
      for (const [label, request, code, field] of cases) {
        const ack = await createViaSocket(socket, request as Record<string, unknown>);
        assert.equal(ack.ok, false, `${label}: ${JSON.stringify(ack)}`);
        if (ack.ok) continue;
        assert.deepEqual(Object.keys(ack).sort(), ['error', 'ok'], label);
        const error = ErrorBodySchema.strict().parse(ack.error);
        assert.equal(error.code, code, label);
        assert.ok(error.message.length > 0, label);
        if (field === undefined) assert.equal(error.fields, undefined, label);
        else assert.ok(error.fields?.[field]?.length, `${label}: fields[${JSON.stringify(field)}] in ${JSON.stringify(error.fields)}`);
      }
      assert.equal((await threadView(t.slug)).thread.seq, t.seq);
    });

    test('the posting limit is one per guest across HTTP and the socket', async () => {
      const t = await thread();
      const busy = guest();
      for (let i = 1; i <= 10; i++) created(await busy.post(t.slug, { body: `post ${i}`, authorName: 'Busy' }));
      const socket = await sockets.connect(suite.node.baseUrl, { cookie: busy.cookie });
      const ack = await createViaSocket(socket, { slug: t.slug, body: 'one more', authorName: 'Busy' });
      assert.equal(ack.ok, false);
      if (ack.ok) return;
      assert.equal(ack.error.code, 'rate_limited');
      assert.ok(Number.isInteger(ack.error.retryAfter) && ack.error.retryAfter! >= 1 && ack.error.retryAfter! <= 60);
      // A socket without the cookie is a guest of its own.
      const fresh = await sockets.connect(suite.node.baseUrl);
      const freshAck = await createViaSocket(fresh, { slug: t.slug, body: 'new here', authorName: 'New' });
      assert.ok(freshAck.ok, JSON.stringify(freshAck));
    });
  });
}
