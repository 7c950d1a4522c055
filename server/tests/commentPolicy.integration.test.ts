import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { CommentResponseSchema, PersonStandingResponseSchema, SiteSettingsResponseSchema, ThreadDetailSchema, type CommentView } from '../../lib/contract';
import { COMMENT_POLICIES, type CommentPolicy } from '../../lib/domain/commentPolicy';
import { STAFF_COOKIE } from '../http/staffSession';
import { createOpenThread, type TestNode } from '../testing/nodes';
import { createViaSocket, type ClientSocket } from '../testing/sockets';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

/** A commenter's account, signed in as a sign-in method would (no method is needed for that): its client carries the session. */
async function commenter(node: TestNode, label = 'reader'): Promise<{ client: WebClient; id: string }> {
  const subject = `${label}-${randomBytes(5).toString('hex')}`;
  const { token, user } = await node.services.auth.signInWith({
    identity: { method: 'sso', provider: 'sso', subject, email: null, emailVerified: false, name: subject, badges: null },
  });
  return { client: new WebClient(node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id };
}

type Outcome = 'posted' | 'held guest_review' | 'held' | `refused ${string}`;
type Transport = 'http' | 'socket' | 'form';

/** What each policy does to a guest's and to an account's post (lib/domain/commentPolicy.ts). */
const EXPECTED: Record<CommentPolicy, { guest: Outcome; account: Outcome }> = {
  guests: { guest: 'posted', account: 'posted' },
  'guests-premoderated': { guest: 'held guest_review', account: 'posted' },
  accounts: { guest: 'refused account_required', account: 'posted' },
};

/**
 * The comment policy on every transport (the JSON API, the socket, the no-JavaScript form), for
 * each policy set site-wide (by an admin, `PUT /api/settings`) and per thread (`PATCH /api/threads/<slug>`),
 * on SQLite and PostgreSQL; and the settings' and people's routes (admins, moderators, audited).
 */
for (const kind of DATABASE_KINDS) {
  describe(`the comment policy on ${kind}`, () => {
    // A page handler makes the node serve the article paths, the no-JavaScript form's among them (no Next.js here).
    const suite = useStaffNode(kind, { pageHandler: (_req, res) => void res.end('page') });

    async function setSitePolicy(commentPolicy: CommentPolicy) {
      const res = await suite.admin.client.request('PUT', '/api/settings', { json: { commentPolicy } });
      assert.equal(SiteSettingsResponseSchema.parse(expectStatus(res, 200)).settings.commentPolicy, commentPolicy);
    }

    /** One post by `client` on `transport`, as the outcome table writes it. */
    async function postVia(transport: Transport, client: WebClient, slug: string, sockets: ClientSocket[]): Promise<Outcome> {
      const body = `via ${transport} ${randomBytes(3).toString('hex')}`;
      if (transport === 'http') {
        const res = await client.comment(slug, { body, authorName: 'Guest' });
        if (res.status !== 201) return `refused ${(res.body as { error: { code: string } }).error.code}`;
        return outcomeOf(CommentResponseSchema.parse(res.body).comment, slug);
      }
      if (transport === 'socket') {
        const socket = await suite.sockets.connect(suite.node.baseUrl, { cookie: client.cookie });
        sockets.push(socket);
        const ack = await createViaSocket(socket, { slug, body, authorName: 'Guest' });
        if (!ack.ok) return `refused ${ack.error.code}`;
        return outcomeOf(ack.comment, slug);
      }
      const res = await client.request('POST', `/articles/${slug}/comments`, { raw: new URLSearchParams({ body, authorName: 'Guest' }).toString(), contentType: 'application/x-www-form-urlencoded' });
      assert.equal(res.status, 303);
      const location = new URL(res.headers.get('location') ?? '', suite.node.baseUrl);
      const error = location.searchParams.get('error');
      if (error) return `refused ${error}`;
      const held = location.searchParams.get('held');
      const id = held ?? location.searchParams.get('posted');
      assert.ok(id, location.href);
      const stored = await suite.node.store.findComment({ id });
      return stored?.status === 'pending' ? `held ${stored.heldReason ?? ''}`.trim() as Outcome : 'posted';
    }

    async function outcomeOf(view: CommentView, slug: string): Promise<Outcome> {
      const stored = await suite.node.store.findComment({ id: view.id });
      assert.equal(stored?.threadId, (await suite.node.store.findThreadRowBySlug(slug))?.id);
      return stored?.status === 'pending' ? (`held ${stored.heldReason}` as Outcome) : 'posted';
    }

    /** Every transport × guest and account under the thread's policy as it stands: one line each. */
    async function table(slug: string, policy: CommentPolicy, how: string) {
      const sockets: ClientSocket[] = [];
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const transport of ['http', 'socket', 'form'] as const) {
        // A guest of their own each time: the guest cookie is given by the first request.
        const guest = new WebClient(suite.node.baseUrl);
        const account = (await commenter(suite.node)).client;
        outcomes.push(`${how} ${policy} ${transport} guest: ${await postVia(transport, guest, slug, sockets)}`);
        outcomes.push(`${how} ${policy} ${transport} account: ${await postVia(transport, account, slug, sockets)}`);
        expected.push(`${how} ${policy} ${transport} guest: ${EXPECTED[policy].guest}`);
        expected.push(`${how} ${policy} ${transport} account: ${EXPECTED[policy].account}`);
      }
      for (const socket of sockets) socket.close();
      assert.deepEqual(outcomes, expected);
    }

    test('site-wide: each policy on every transport, for guests and accounts', async () => {
      try {
        for (const policy of COMMENT_POLICIES) {
          await setSitePolicy(policy);
          const t = await createOpenThread(suite.node.services, `site-${policy}`);
          await table(t.slug, policy, 'site');
        }
      } finally {
        await setSitePolicy('guests');
      }
    });

    test("per thread: each policy on every transport, over the site's", async () => {
      try {
        // The site asks for accounts; each thread says otherwise (and the last, accounts, over a site of guests).
        await setSitePolicy('accounts');
        for (const policy of COMMENT_POLICIES) {
          if (policy === 'accounts') await setSitePolicy('guests');
          const t = await createOpenThread(suite.node.services, `thread-${policy}`);
          const detail = ThreadDetailSchema.parse((expectStatus(await suite.admin.client.settings(t.slug, { commentPolicy: policy }), 200) as { thread: unknown }).thread);
          assert.equal(detail.commentPolicy, policy);
          await table(t.slug, policy, 'thread');
        }
      } finally {
        await setSitePolicy('guests');
      }
    });

    test('a thread back to the site’s policy (null), and the thread’s policy in its public detail', async () => {
      const t = await createOpenThread(suite.node.services, 'back');
      expectStatus(await suite.admin.client.settings(t.slug, { commentPolicy: 'accounts' }), 200);
      const detail = ThreadDetailSchema.parse((expectStatus(await new WebClient(suite.node.baseUrl).get(`/api/threads/${t.slug}`), 200) as { thread: unknown }).thread);
      assert.equal(detail.commentPolicy, 'accounts');
      expectError(await new WebClient(suite.node.baseUrl).comment(t.slug, { body: 'hi', authorName: 'G' }), 403, 'account_required');
      expectStatus(await suite.admin.client.settings(t.slug, { commentPolicy: null }), 200);
      expectStatus(await new WebClient(suite.node.baseUrl).comment(t.slug, { body: 'hi', authorName: 'G' }), 201);
    });

    test('only admins set a policy; bad settings are refused by field; every change is audited', async () => {
      const t = await createOpenThread(suite.node.services, 'who');
      expectError(await suite.mod.client.settings(t.slug, { commentPolicy: 'accounts' }), 403, 'forbidden');
      expectError(await suite.mod.client.request('PUT', '/api/settings', { json: { commentPolicy: 'accounts' } }), 403, 'forbidden');
      expectError(await new WebClient(suite.node.baseUrl).request('PUT', '/api/settings', { json: { commentPolicy: 'accounts' } }), 401, 'not_signed_in');
      const reader = await commenter(suite.node);
      expectError(await reader.client.request('PUT', '/api/settings', { json: { commentPolicy: 'accounts' } }), 401, 'not_signed_in');
      for (const json of [{ commentPolicy: 'everyone' }, { newAccountHold: -1 }, { rejections: 1.5 }, { rejectionWindowDays: 0 }, {}, { other: 1 }]) {
        expectError(await suite.admin.client.request('PUT', '/api/settings', { json }), 400, 'invalid_request', JSON.stringify(json));
      }
      expectError(await suite.admin.client.settings(t.slug, { commentPolicy: 'nobody' }), 400, 'invalid_request');
      const res = await suite.admin.client.request('PUT', '/api/settings', { json: { newAccountHold: 0, rejections: 3, rejectionWindowDays: 30 } });
      assert.deepEqual(SiteSettingsResponseSchema.parse(expectStatus(res, 200)).settings, { commentPolicy: 'guests', newAccountHold: 0, rejections: 3, rejectionWindowDays: 30 });
      const audit = await suite.node.store.moderation.listAudit({ limit: 20 });
      assert.ok(audit.some((e) => e.action === 'site.settings' && e.actorName === suite.admin.account.username));
    });

    test("trust: a new account's first comment held until approved, rejections send a guest back to review, trusting lets each through", async () => {
      const settings = async (json: unknown) => expectStatus(await suite.admin.client.request('PUT', '/api/settings', { json }), 200);
      const heldReason = async (view: CommentView) => {
        const stored = await suite.node.store.findComment({ id: view.id });
        return stored?.status === 'pending' ? stored.heldReason : 'visible';
      };
      const post = async (client: WebClient, slug: string, body: string) => CommentResponseSchema.parse(expectStatus(await client.comment(slug, { body, authorName: 'Someone' }), 201)).comment;
      try {
        await settings({ newAccountHold: 1, rejections: 2, rejectionWindowDays: 30 });
        const t = await createOpenThread(suite.node.services, 'trust');

        // A new account: its first comment waits (the desk says why); once one is published, the next is not held.
        const fresh = await commenter(suite.node, 'fresh');
        const first = await post(fresh.client, t.slug, 'my first words');
        assert.equal(await heldReason(first), 'new_account');
        assert.equal(first.status, 'pending', 'the author is told it waits');
        const [queued] = (await suite.node.services.moderation.queue({ limit: 50 })).filter((i) => i.comment.id === first.id);
        assert.equal(queued?.heldReason, 'new_account');
        expectStatus(await suite.mod.client.act(first.id, 'approve'), 200);
        assert.equal(await heldReason(await post(fresh.client, t.slug, 'my second words')), 'visible');

        // A trusted new account skips the hold.
        const trusted = await commenter(suite.node, 'trusted');
        expectStatus(await suite.mod.client.request('PUT', `/api/people/${trusted.id}/trusted`, { json: { trusted: true } }), 200);
        assert.equal(await heldReason(await post(trusted.client, t.slug, 'trusted from the start')), 'visible');

        // A guest whose comments moderators rejected twice goes back to review, until a moderator trusts them.
        const guest = new WebClient(suite.node.baseUrl);
        expectStatus(await suite.mod.client.settings(t.slug, { preModeration: true }), 200);
        for (const body of ['rejected one', 'rejected two']) {
          const held = await post(guest, t.slug, body);
          expectStatus(await suite.mod.client.act(held.id, 'reject'), 200);
        }
        expectStatus(await suite.mod.client.settings(t.slug, { preModeration: false }), 200);
        assert.equal(await heldReason(await post(guest, t.slug, 'after two rejections')), 'untrusted');
        assert.equal(await heldReason(await post(new WebClient(suite.node.baseUrl), t.slug, 'another guest')), 'visible');
        expectStatus(await suite.mod.client.request('PUT', `/api/people/${guest.guestId}/trusted`, { json: { trusted: true } }), 200);
        assert.equal(await heldReason(await post(guest, t.slug, 'trusted again')), 'visible');
      } finally {
        await settings({ newAccountHold: 0, rejections: 3, rejectionWindowDays: 30 });
      }
    });

    test('trusted and shadow-ban: moderators only, audited, answered with the person', async () => {
      const reader = await commenter(suite.node);
      for (const [path, json, field] of [
        ['trusted', { trusted: true }, 'trusted'],
        ['shadow-ban', { shadowBanned: true }, 'shadowBanned'],
      ] as const) {
        expectError(await new WebClient(suite.node.baseUrl).request('PUT', `/api/people/${reader.id}/${path}`, { json }), 401, 'not_signed_in');
        expectError(await reader.client.request('PUT', `/api/people/${reader.id}/${path}`, { json }), 401, 'not_signed_in');
        expectError(await suite.mod.client.request('PUT', `/api/people/${reader.id}/${path}`, { json: { yes: true } }), 400, 'invalid_request');
        expectError(await suite.mod.client.request('PUT', `/api/people/NOT%20AN%20ID/${path}`, { json }), 400, 'invalid_request');
        const { person } = PersonStandingResponseSchema.parse(expectStatus(await suite.mod.client.request('PUT', `/api/people/${reader.id}/${path}`, { json }), 200));
        assert.equal(person.id, reader.id);
        assert.equal(person[field], true);
      }
      const user = await suite.node.store.accounts.findUserById(reader.id);
      assert.deepEqual([user?.trusted, user?.shadowBanned], [true, true]);
      const audit = await suite.node.store.moderation.listAudit({ limit: 20 });
      for (const action of ['person.trust', 'person.shadow_ban']) assert.ok(audit.some((e) => e.action === action && e.target === reader.id), action);
    });
  });
}
