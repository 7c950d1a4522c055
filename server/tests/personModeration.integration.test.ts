import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ThreadResponseSchema, type CommentView, type ThreadEventWire } from '../../lib/contract';
import { PersonPageSchema, type PersonPage } from '../../lib/contract/people';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { STAFF_COOKIE } from '../http/staffSession';
import { createOpenThread } from '../testing/nodes';
import { createViaSocket, record, subscribe } from '../testing/sockets';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';
import { waitFor } from '../testing/wait';

/**
 * Moderation that sticks to a person (issue 16), over the real app on SQLite and PostgreSQL: bans of an
 * account on every session, bans of a guest's address range, badges on every view of a comment, and the
 * moderators' page of a person with their notes.
 */
for (const kind of DATABASE_KINDS) {
  describe(`people and their moderation on ${kind}`, () => {
    // Behind a trusted proxy, so each client says which address it comes from (X-Forwarded-For).
    const suite = useStaffNode(kind, { edge: { trustProxy: true }, rateLimits: false });
    const { sockets } = suite;

    /** A browser of a guest at `address`. */
    const from = (address: string) => {
      const client = new WebClient(suite.node.baseUrl);
      const request = client.request.bind(client);
      client.request = (method, path, options = {}) => request(method, path, { ...options, headers: { ...options.headers, 'x-forwarded-for': address } });
      return client;
    };

    /** A session of the account the identity names: each call is another device. */
    async function device(identity: ProvenIdentity, address = '192.0.2.10'): Promise<{ client: WebClient; token: string; userId: string }> {
      const { token, user } = await suite.node.services.auth.signInWith({ identity });
      const client = from(address);
      client.jar.set(STAFF_COOKIE, token);
      return { client, token, userId: user.id };
    }

    const identity = (label: string): ProvenIdentity => ({
      method: 'sso',
      provider: 'sso',
      subject: `${label}-${randomBytes(4).toString('hex')}`,
      email: `${label}-${randomBytes(3).toString('hex')}@example.org`,
      emailVerified: true,
      name: `${label} ${randomBytes(2).toString('hex')}`,
      badges: null,
    });

    async function post(client: WebClient, slug: string, body: string): Promise<CommentView> {
      return CommentResponseSchema.parse(expectStatus(await client.comment(slug, { body, authorName: 'Poster' }), 201, `post "${body}"`)).comment;
    }

    const ban = (json: unknown) => suite.mod.client.post('/api/bans', json);

    async function personPage(personId: string, query = ''): Promise<PersonPage> {
      return PersonPageSchema.parse(expectStatus(await suite.mod.client.get(`/api/people/${personId}${query}`), 200, 'person page'));
    }

    describe('bans that stick to a person', () => {
      test('an account banned on one device is refused on another, over HTTP and the socket, with why and until', async () => {
        const { slug } = await createOpenThread(suite.node.services, 'account-ban');
        const who = identity('banned');
        const first = await device(who);
        const second = await device(who);
        assert.equal(first.userId, second.userId, 'one account, two sessions');
        await post(first.client, slug, 'before the ban');
        const until = new Date(Date.now() + 3_600_000).toISOString();
        expectStatus(await ban({ guestId: first.userId, reason: 'abuse', until }), 201, 'ban');

        const refused = expectError(await second.client.comment(slug, { body: 'from my phone', authorName: 'x' }), 403, 'banned', 'second device');
        assert.deepEqual(refused.ban, { reason: 'abuse', until }, 'the refusal says why and until when');
        expectError(await first.client.comment(slug, { body: 'from my laptop', authorName: 'x' }), 403, 'banned', 'first device');

        const socket = await sockets.connect(suite.node.baseUrl, { cookie: `${STAFF_COOKIE}=${second.token}` });
        const ack = await createViaSocket(socket, { slug, body: 'over the socket' });
        assert.equal(ack.ok, false);
        assert.equal(!ack.ok && ack.error.code, 'banned');
        assert.deepEqual(!ack.ok && ack.error.ban, { reason: 'abuse', until });
      });

      test("a guest's range ban refuses a new guest cookie from the same /24, not another range nor a signed-in account, until it ends", async () => {
        const { slug } = await createOpenThread(suite.node.services, 'range-ban');
        const spammer = from('198.51.100.7');
        await post(spammer, slug, 'spam');
        const until = new Date(Date.now() + 4000).toISOString();
        const made = expectStatus(await ban({ guestId: spammer.guestId, reason: 'spam waves', until, addressRange: true }), 201, 'range ban') as { ban: { addressRange: string } };
        assert.equal(made.ban.addressRange, '198.51.100.0/24');

        const sameRange = from('198.51.100.200');
        const refused = expectError(await sameRange.comment(slug, { body: 'new cookie, same network', authorName: 'New' }), 403, 'banned', 'a new guest in the range');
        assert.deepEqual(refused.ban, { reason: 'spam waves', until });
        assert.ok(sameRange.guestId !== spammer.guestId, 'another guest cookie');
        await post(from('198.51.101.5'), slug, 'the next /24 is not banned');
        const account = await device(identity('subscriber'), '198.51.100.50');
        await post(account.client, slug, 'an account is judged by its own ban');

        await waitFor('the ban to end', async () => (await from('198.51.100.201').comment(slug, { body: 'after the ban', authorName: 'Later' })).status === 201, { timeoutMs: 15_000, intervalMs: 250 });
      });

      test('a given CIDR, and an IPv6 guest by its /64; a bad range is a field error', async () => {
        const { slug } = await createOpenThread(suite.node.services, 'cidr-ban');
        const v4 = from('203.0.113.9');
        await post(v4, slug, 'v4');
        expectStatus(await ban({ guestId: v4.guestId, reason: 'r', addressRange: '203.0.113.0/25' }), 201, 'CIDR ban');
        expectError(await from('203.0.113.100').comment(slug, { body: 'in', authorName: 'a' }), 403, 'banned');
        await post(from('203.0.113.200'), slug, 'out of the /25');

        const v6 = from('2001:db8:1:2::5');
        await post(v6, slug, 'v6');
        const made = expectStatus(await ban({ guestId: v6.guestId, reason: 'r', addressRange: true }), 201) as { ban: { addressRange: string } };
        assert.equal(made.ban.addressRange, '2001:db8:1:2::/64');
        expectError(await from('2001:db8:1:2::ffff').comment(slug, { body: 'in', authorName: 'a' }), 403, 'banned');
        await post(from('2001:db8:1:3::1'), slug, 'another /64');

        const bad = expectError(await ban({ guestId: v4.guestId, reason: 'r', addressRange: '203.0.113.0/2' }), 400, 'invalid_request');
        assert.ok(bad.fields?.addressRange);
        const unknown = expectError(await ban({ guestId: 'nobodyknown', reason: 'r', addressRange: true }), 400, 'invalid_request');
        assert.ok(unknown.fields?.addressRange, 'no address known: say so');
      });
    });

    describe('badges', () => {
      test('set by admins only; shown on the API views, live arrivals and pages kept per thread version, as soon as they change', async () => {
        const { slug } = await createOpenThread(suite.node.services, 'badges');
        const writer = await device(identity('journalist'));
        const first = await post(writer.client, slug, 'my article');
        const guestComment = await post(from('192.0.2.99'), slug, 'a guest');
        const view = async () => ThreadResponseSchema.parse(expectStatus(await suite.mod.client.get(`/api/threads/${slug}`), 200)).comments;
        assert.equal((await view()).find((c) => c.id === first.id)?.authorBadges, undefined, 'none yet (and the page is now kept)');

        expectError(await suite.mod.client.request('PUT', `/api/people/${writer.userId}/badges`, { json: { badges: ['staff'] } }), 403, 'forbidden', 'a moderator');
        expectError(await suite.admin.client.request('PUT', `/api/people/${writer.userId}/badges`, { json: { badges: ['boss'] } }), 400, 'invalid_request', 'an unknown badge');
        expectError(await suite.admin.client.request('PUT', `/api/people/nosuchperson/badges`, { json: { badges: ['staff'] } }), 404, 'person_not_found');
        const set = expectStatus(await suite.admin.client.request('PUT', `/api/people/${writer.userId}/badges`, { json: { badges: ['journalist', 'journalist'] } }), 200);
        assert.deepEqual(set, { person: { id: writer.userId, badges: ['journalist'] } });

        const comments = await view();
        assert.deepEqual(comments.find((c) => c.id === first.id)?.authorBadges, ['journalist'], 'the kept page went: the thread did not move');
        assert.equal(comments.find((c) => c.id === guestComment.id)?.authorBadges, undefined);

        const socket = await sockets.connect(suite.node.baseUrl);
        const events = record(socket, 'thread:event');
        const seq = ThreadResponseSchema.parse(expectStatus(await suite.mod.client.get(`/api/threads/${slug}`), 200)).thread.seq;
        await subscribe(socket, slug, seq);
        const second = await post(writer.client, slug, 'live');
        assert.deepEqual(second.authorBadges, ['journalist'], 'the author sees it in the answer');
        const arrived = await events.find('the live arrival', (e: ThreadEventWire) => e.type === 'comment.created' && e.comment.id === second.id);
        assert.deepEqual(arrived.type === 'comment.created' && arrived.comment.authorBadges, ['journalist']);

        const audit = (expectStatus(await suite.admin.client.get('/api/moderation/audit'), 200) as { entries: { action: string; target: string | null }[] }).entries;
        assert.ok(audit.some((e) => e.action === 'person.badges' && e.target === writer.userId), 'audited');
      });
    });

    describe("a person's page", () => {
      test('an account: comments across threads (paged), reports on them, actions, methods, sessions, bans and notes', async () => {
        const one = await createOpenThread(suite.node.services, 'page-one');
        const two = await createOpenThread(suite.node.services, 'page-two');
        const who = identity('person');
        const { client, userId } = await device(who);
        await device(who);
        const a = await post(client, one.slug, 'first');
        await post(client, two.slug, 'second');
        const c = await post(client, two.slug, 'third');
        expectStatus(await from('192.0.2.77').report(c.id, { category: 'spam' }), 201, 'report');
        expectStatus(await suite.mod.client.act(a.id, 'remove', 'rude'), 200, 'remove');
        expectStatus(await ban({ guestId: userId, reason: 'repeat offender' }), 201);

        const page = await personPage(userId, '?limit=2');
        assert.equal(page.person.kind, 'account');
        assert.equal(page.person.role, 'commenter');
        assert.equal(page.person.sessions, 2);
        assert.deepEqual(
          page.person.methods.map((m) => [m.method, m.provider, m.email]),
          [['sso', 'sso', who.email]],
        );
        assert.deepEqual(
          page.comments.items.map((i) => [i.comment.body, i.thread.slug]),
          [
            ['third', two.slug],
            ['second', two.slug],
          ],
        );
        assert.ok(page.comments.next);
        const older = await personPage(userId, `?limit=2&before=${page.comments.next}`);
        assert.deepEqual(
          older.comments.items.map((i) => [i.comment.body, i.comment.status]),
          [['first', 'removed']],
          'moderators read what was removed',
        );
        assert.equal(older.comments.next, null);
        assert.deepEqual(page.comments.counts, { visible: 2, removed: 1 });
        assert.deepEqual(
          page.reports.map((r) => [r.commentId, r.category]),
          [[c.id, 'spam']],
        );
        assert.ok(page.actions.some((e) => e.action === 'comment.remove' && e.commentId === a.id));
        assert.ok(page.actions.some((e) => e.action === 'guest.ban' && e.target === userId));
        assert.deepEqual(
          page.bans.map((b) => [b.reason, b.inForce, b.addressRange]),
          [['repeat offender', true, null]],
        );

        const note = expectStatus(await suite.mod.client.post(`/api/people/${userId}/notes`, { text: 'Warned by mail on Monday.' }), 201) as { note: { text: string } };
        assert.equal(note.note.text, 'Warned by mail on Monday.');
        expectError(await suite.mod.client.post(`/api/people/${userId}/notes`, { text: '  ' }), 400, 'invalid_request', 'an empty note');
        // NUL cannot be stored by PostgreSQL (once a 500); the other control characters are refused as in a comment.
        for (const text of ['a\u0000b', 'ring \u0007']) {
          const refused = expectError(await suite.mod.client.post(`/api/people/${userId}/notes`, { text }), 400, 'invalid_request', `a note of ${JSON.stringify(text)}`);
          assert.ok(refused.fields?.text?.length, JSON.stringify(refused));
        }
        const noted = await personPage(userId);
        assert.deepEqual(
          noted.notes.map((n) => [n.text, n.authorName]),
          [['Warned by mail on Monday.', suite.mod.account.username]],
        );
        assert.ok(!JSON.stringify(noted).includes(suite.mod.client.sessionToken!), 'no secrets');
      });

      test('a guest; staff only; an unknown id is not found', async () => {
        const { slug } = await createOpenThread(suite.node.services, 'guest-page');
        const guest = from('192.0.2.55');
        await post(guest, slug, 'as a guest');
        const page = await personPage(guest.guestId!);
        assert.equal(page.person.kind, 'guest');
        assert.equal(page.person.displayName, 'Poster');
        assert.equal(page.person.addressKnown, true);
        assert.equal(page.person.sessions, null);
        expectError(await guest.get(`/api/people/${guest.guestId!}`), 401, 'not_signed_in');
        expectError(await suite.mod.client.get('/api/people/nobody0'), 404, 'person_not_found');
        expectError(await suite.mod.client.get('/api/people/NOT%20AN%20ID'), 404, 'person_not_found');
        expectError(await suite.mod.client.get(`/api/people/${guest.guestId!}?before=zz`), 400, 'invalid_request');
      });
    });
  });
}
