import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { ParticipantsResponseSchema, PublicPersonResponseSchema } from '../../lib/contract/mentions';
import { MAX_MENTIONS_PER_COMMENT } from '../../lib/domain/notifications';
import type { Comment } from '../../lib/domain/types';
import { STAFF_COOKIE } from '../http/staffSession';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { record, subscribe } from '../testing/sockets';
import { expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNodes } from '../testing/suites';
import { waitFor } from '../testing/wait';

/** Stands in for Next.js: the form routes are reachable only with a page handler. */
function blankPage(_req: IncomingMessage, res: ServerResponse): void {
  res.end('page');
}

/**
 * Mentions end to end over HTTP (docs/mentions.md): a typed `@Name` of an account becomes a link in
 * the comment's HTML — from the API, the socket's event and the no-JavaScript form alike — and is
 * stored with the comment for the notices (Comment.mentions on the domain bus); the `@` suggestion's
 * participants API, its bad input; a person's public page.
 */
for (const kind of DATABASE_KINDS) {
  describe(`mentions over HTTP on ${kind}`, () => {
    const suite = useNodes({ kind });
    let node: TestNode;

    before(async () => {
      node = await suite.start({ passwordCost: TEST_PASSWORD_COST, pageHandler: blankPage });
    });

    /** A signed-in person (an SSO account) named `name`, with a client that carries their session. */
    async function person(name: string, badges: ('staff' | 'journalist' | 'expert')[] | null = null) {
      const subject = `m-${randomBytes(5).toString('hex')}`;
      const { token, user } = await node.services.auth.signInWith({ identity: { method: 'sso', provider: 'sso', subject, email: null, emailVerified: false, name, badges } });
      assert.equal(user.displayName, name);
      return { client: new WebClient(node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id, name };
    }

    const unique = (label: string) => `${label} ${randomBytes(3).toString('hex')}`;
    const comment = (res: HttpResult) => CommentResponseSchema.parse(expectStatus(res, 201)).comment;
    const links = (view: CommentView) => [...view.html.matchAll(/<a href="\/people\/([a-z0-9]+)" class="mention"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);

    test('a typed @Name of an account is a link, stored with the comment and carried by its event; guests and strangers stay text', async () => {
      const t = await createOpenThread(node.services, 'mentions');
      const ann = await person(unique('Ann'));
      const lee = await person(unique('Ann Lee'));
      const heard: Comment[] = [];
      const stop = node.services.bus.subscribe((published) => {
        if (published.event.type === 'comment.created' || published.event.type === 'comment.updated') heard.push(published.event.comment);
      });
      const reader = await suite.sockets.connect(node.baseUrl);
      const events = record(reader, 'thread:event');
      await subscribe(reader, t.slug, t.seq);
      try {
        const guest = new HttpGuest(node.baseUrl);
        const posted = comment(await guest.post(t.slug, { body: `thanks @${lee.name}! and @${ann.name.toUpperCase()}, and @Nobody Here, \`@${ann.name}\` stays code`, authorName: 'Guest Gus' }));
        assert.deepEqual(links(posted), [
          [lee.id, `@${lee.name}`],
          [ann.id, `@${ann.name.toUpperCase()}`],
        ]);
        assert.match(posted.html, /@Nobody Here/);
        assert.match(posted.html, new RegExp(`<code>@${ann.name}</code>`));
        // Stored: the notices read it from the domain's event, with the person's id and the name as written.
        await waitFor('the domain event', () => heard.some((c) => c.id === posted.id));
        assert.deepEqual(heard.find((c) => c.id === posted.id)?.mentions, [
          { id: lee.id, name: lee.name },
          { id: ann.id, name: ann.name.toUpperCase() },
        ]);
        assert.deepEqual((await node.store.findComment({ id: posted.id }))?.mentions?.map((m) => m.id), [lee.id, ann.id]);
        // Live readers get the links in the event's HTML.
        const live: ThreadEventWire = await events.find('the live event', (e) => e.type === 'comment.created' && e.comment.id === posted.id);
        assert.ok(live.type === 'comment.created' && links(live.comment).length === 2);
        // A page read later: the same links.
        const page = await guest.threadPage(t.slug, '');
        assert.equal(links(page.comments.find((c) => c.id === posted.id)!).length, 2);

        // An edit resolves the new text's names.
        const edited = CommentResponseSchema.parse(expectStatus(await guest.patch(posted.id, { body: `only @${ann.name} now` }), 200)).comment;
        assert.deepEqual(links(edited), [[ann.id, `@${ann.name}`]]);
        await waitFor('the edit on the bus', () => heard.some((c) => c.id === posted.id && c.mentions?.length === 1));
      } finally {
        stop();
      }
    });

    test(`a comment naming many people links at most ${MAX_MENTIONS_PER_COMMENT} distinct ones`, async () => {
      const t = await createOpenThread(node.services, 'many');
      const named = [];
      for (let i = 0; i < MAX_MENTIONS_PER_COMMENT + 2; i++) named.push(await person(unique(`Many${i}`)));
      const body = [...named, named[0]!].map((p) => `@${p.name}`).join(' ');
      const posted = comment(await new HttpGuest(node.baseUrl).post(t.slug, { body, authorName: 'Counter' }));
      const mentions = (await node.store.findComment({ id: posted.id }))?.mentions ?? [];
      assert.equal(mentions.length, MAX_MENTIONS_PER_COMMENT);
      assert.deepEqual(
        mentions.map((m) => m.id),
        named.slice(0, MAX_MENTIONS_PER_COMMENT).map((p) => p.id),
      );
      // 500 signs of nobody: posted as text, fast.
      const hostile = comment(await new HttpGuest(node.baseUrl).post(t.slug, { body: Array.from({ length: 500 }, (_, i) => `@x${i}`).join(' '), authorName: 'Hostile' }));
      assert.equal(links(hostile).length, 0);
      const ats = comment(await new HttpGuest(node.baseUrl).post(t.slug, { body: '@'.repeat(5000), authorName: 'Ats' }));
      assert.equal(links(ats).length, 0);
    });

    test('without JavaScript: the form’s plain @Name becomes a link', async () => {
      const t = await createOpenThread(node.services, 'form');
      const bea = await person(unique('Bea'));
      const reader = new HttpGuest(node.baseUrl);
      const res = await reader.request('POST', `/articles/${t.slug}/comments`, {
        raw: new URLSearchParams({ body: `hello @${bea.name}`, authorName: 'Formal' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(res.status, 303, JSON.stringify(res.body));
      const id = /posted=([a-z0-9]+)/.exec(res.headers.get('location') ?? '')?.[1];
      assert.ok(id, res.headers.get('location') ?? '');
      const page = await reader.threadPage(t.slug, '');
      assert.deepEqual(links(page.comments.find((c) => c.id === id)!), [[bea.id, `@${bea.name}`]]);
    });

    test('the @ suggestion: visible commenters with accounts, by prefix, never the asker, guests or the shadow-banned', async () => {
      const t = await createOpenThread(node.services, 'participants');
      const tag = randomBytes(2).toString('hex');
      const zed = await person(`Zed ${tag}`, ['journalist']);
      const zoe = await person(`Zoe ${tag}`);
      const zack = await person(`Zack ${tag}`);
      for (const who of [zed, zoe, zack]) comment(await who.client.comment(t.slug, { body: 'hi', authorName: 'x' }));
      comment(await new HttpGuest(node.baseUrl).post(t.slug, { body: 'a guest', authorName: `Zora ${tag}` }));
      await node.store.policy.setStanding({ personId: zack.id, shadowBanned: true, audit: { actorId: null, actorName: 'test', action: 'test' } });

      const ask = async (client: { request: WebClient['request'] } | HttpGuest, q: string) => {
        const res = await client.request('GET', `/api/threads/${t.slug}/participants?q=${encodeURIComponent(q)}`);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
        return ParticipantsResponseSchema.parse(expectStatus(res, 200)).participants;
      };
      const anonymous = new HttpGuest(node.baseUrl);
      assert.deepEqual(await ask(anonymous, 'z'), [
        { id: zoe.id, name: zoe.name, badges: [] },
        { id: zed.id, name: zed.name, badges: ['journalist'] },
      ]);
      assert.deepEqual((await ask(anonymous, 'ZE')).map((p) => p.name), [zed.name]);
      // Fullwidth letters fold as names do.
      assert.deepEqual((await ask(anonymous, '\uff3a\uff45')).map((p) => p.name), [zed.name]);
      assert.deepEqual((await ask(zed.client, 'z')).map((p) => p.name), [zoe.name], 'not the asker');
      assert.deepEqual(await ask(anonymous, 'nobody'), []);
      assert.equal((await ask(anonymous, '')).length, 2, 'no prefix: the recent ones');
    });

    test('bad input: a stable code and the field, never a 500', async () => {
      const t = await createOpenThread(node.services, 'bad');
      const guest = new HttpGuest(node.baseUrl);
      for (const query of [`q=${'a'.repeat(51)}`, 'q=%00', 'q=a%0Ab', 'q=a%E2%80%AEb', 'limit=0', 'limit=9', 'limit=x']) {
        const res = await guest.get(`/api/threads/${t.slug}/participants?${query}`);
        const error = ErrorResponseSchema.parse(expectStatus(res, 400, query)).error;
        assert.equal(error.code, 'invalid_request', query);
        assert.ok(error.fields && Object.keys(error.fields).length === 1, `${query}: ${JSON.stringify(error)}`);
      }
      // Bytes that are not UTF-8 (an unpaired surrogate's) read as U+FFFD, as every query does: no one, not an error.
      assert.deepEqual(expectStatus(await guest.get(`/api/threads/${t.slug}/participants?q=%ED%A0%80`), 200), { participants: [] });
      assert.equal((await guest.get('/api/threads/no-such-thread/participants?q=a')).status, 404);
      const hidden = await createOpenThread(node.services, 'hidden');
      const row = await node.store.findThreadRowBySlug(hidden.slug);
      await node.store.updateThread({ threadId: row!.id, changes: { hidden: true } });
      assert.equal(ErrorResponseSchema.parse(expectStatus(await guest.get(`/api/threads/${hidden.slug}/participants?q=a`), 404)).error.code, 'thread_not_found');
    });

    test("a person's public page: name, badges, member since, newest visible comments with links; a guest or a closed account is not found", async () => {
      const t = await createOpenThread(node.services, 'public');
      const kim = await person(unique('Kim'), ['expert']);
      const first = comment(await kim.client.comment(t.slug, { body: 'first words', authorName: 'x' }));
      const res = await new HttpGuest(node.baseUrl).get(`/api/people/${kim.id}/public`);
      const page = PublicPersonResponseSchema.parse(expectStatus(res, 200));
      assert.deepEqual(page.person.badges, ['expert']);
      assert.equal(page.person.name, kim.name);
      assert.deepEqual(Object.keys(page.person).sort(), ['badges', 'id', 'memberSince', 'name']);
      assert.deepEqual(page.comments.map((c) => [c.id, c.excerpt, c.url]), [[first.id, 'first words', `/articles/${t.slug}/comments/${first.id}#c-${first.id}`]]);
      assert.doesNotMatch(JSON.stringify(res.body), /sso|@|email/i);

      const guest = new HttpGuest(node.baseUrl);
      comment(await guest.post(t.slug, { body: 'a guest', authorName: 'Guesty' }));
      const guestId = (await node.store.listComments({ threadId: (await node.store.findThreadRowBySlug(t.slug))!.id })).find((c) => c.authorName === 'Guesty')!.authorGuestId!;
      for (const id of [guestId, 'nosuchperson', 'NOT-AN-ID']) {
        assert.equal(ErrorResponseSchema.parse(expectStatus(await guest.get(`/api/people/${id}/public`), 404)).error.code, 'person_not_found', id);
      }
      await node.store.accounts.removeUser((await node.store.accounts.findUserById(kim.id))!.username);
      assert.equal((await guest.get(`/api/people/${kim.id}/public`)).status, 404, 'closed');
    });
  });
}
