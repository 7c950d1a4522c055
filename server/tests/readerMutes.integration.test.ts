import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { CommentView } from '../../lib/contract/api';
import { MuteMergeResponseSchema, MutesResponseSchema } from '../../lib/contract/notifications';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { STAFF_COOKIE } from '../http/staffSession';
import type { HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/**
 * Readers' mutes (issue 19, docs/api.md "Readers' mutes"): the account's list is the notices' one
 * (`/api/me/mutes`), each entry with the author key its person's comments carry, so a page folds
 * them; a guest's browser mutes merge into the account on sign-in (`/api/me/mutes/merge`).
 */
for (const kind of DATABASE_KINDS) {
  describe(`readers' mutes on ${kind}`, () => {
    const suite = useNode(kind, { passwordCost: TEST_PASSWORD_COST });
    const tag = () => randomBytes(4).toString('hex');

    async function person(node: TestNode, name: string): Promise<{ client: WebClient; id: string }> {
      const email = `${name.toLowerCase()}-${tag()}@example.test`;
      const identity: ProvenIdentity = { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name: `${name} ${tag()}`, badges: null };
      const { token, user } = await node.services.auth.signInWith({ identity, userAgent: 'test' });
      return { client: new WebClient(node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id };
    }
    function comment(res: HttpResult): CommentView {
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { comment: CommentView }).comment;
    }

    test('a comment carries its author’s key; the mute list gives the same key, and a merge mutes the authors of a guest’s list', async () => {
      const { node } = suite;
      const t = await createOpenThread(node.services, 'mutes');
      const ann = await person(node, 'Ann');
      const ben = await person(node, 'Ben');
      const guest = new WebClient(node.baseUrl);
      const byBen = comment(await ben.client.comment(t.slug, { body: 'Ben speaks', authorName: 'x' }));
      const byBenAgain = comment(await ben.client.comment(t.slug, { body: 'Ben again', authorName: 'x' }));
      const byGuest = comment(await guest.comment(t.slug, { body: 'a guest speaks', authorName: 'Guesty' }));
      const byAnn = comment(await ann.client.comment(t.slug, { body: 'Ann speaks', authorName: 'x' }));
      assert.ok(byBen.author.key, 'a visible comment names its author’s key');
      assert.equal(byBenAgain.author.key, byBen.author.key, 'one person, one key');
      assert.notEqual(byGuest.author.key, byBen.author.key);
      assert.ok(!JSON.stringify(byGuest).includes('guestId'), 'no guest id on the wire');

      const merged = MuteMergeResponseSchema.parse(
        expectStatus(await ann.client.post('/api/me/mutes/merge', { commentIds: [byBen.id, byBenAgain.id, byGuest.id, byAnn.id, 'nosuchcomment'] }), 200),
      );
      assert.equal(merged.merged, 3, 'both of Ben’s and the guest’s: each names a mutable author');
      assert.deepEqual(merged.skipped.sort(), [byAnn.id, 'nosuchcomment'].sort(), 'one’s own comment and a missing one are skipped');
      assert.deepEqual(merged.mutes.map((m) => m.authorKey).sort(), [byBen.author.key, byGuest.author.key].sort());
      const listed = MutesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/mutes'), 200)).mutes;
      assert.deepEqual(listed.find((m) => m.personId === ben.id)?.authorKey, byBen.author.key);

      // Merging again changes nothing; unmuting by id takes the person off the list the page folds by.
      assert.equal(MuteMergeResponseSchema.parse(expectStatus(await ann.client.post('/api/me/mutes/merge', { commentIds: [byBen.id] }), 200)).mutes.length, 2);
      expectStatus(await ann.client.request('DELETE', `/api/me/mutes/${ben.id}`), 200);
      assert.deepEqual(MutesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/mutes'), 200)).mutes.map((m) => m.authorKey), [byGuest.author.key]);
    });

    test('a removed comment shows no author key', async () => {
      const { node } = suite;
      const t = await createOpenThread(node.services, 'mutes');
      const ben = await person(node, 'Ben');
      const byBen = comment(await ben.client.comment(t.slug, { body: 'soon gone', authorName: 'x' }));
      const deleted = expectStatus(await ben.client.request('DELETE', `/api/comments/${byBen.id}`), 200) as { comment: CommentView };
      assert.equal(deleted.comment.author.key, undefined);
    });

    test('bad input to the merge: stable codes and the field at fault; signed out: sign_in_required', async () => {
      const { node } = suite;
      const ann = await person(node, 'Ann');
      const fieldOf = (res: HttpResult) => Object.keys(expectError(res, 400, 'invalid_request').fields ?? {});
      assert.deepEqual(fieldOf(await ann.client.post('/api/me/mutes/merge', { commentIds: [] })), ['commentIds']);
      assert.deepEqual(fieldOf(await ann.client.post('/api/me/mutes/merge', { commentIds: ['NOT AN ID'] })), ['commentIds.0']);
      assert.deepEqual(fieldOf(await ann.client.post('/api/me/mutes/merge', { commentIds: Array.from({ length: 101 }, (_, i) => `c${i}`) })), ['commentIds']);
      assert.deepEqual(fieldOf(await ann.client.post('/api/me/mutes/merge', { commentIds: ['abc'], extra: 1 })).length, 1);
      expectError(await ann.client.post('/api/me/mutes/merge', {}), 400, 'invalid_request');
      expectError(await new WebClient(node.baseUrl).post('/api/me/mutes/merge', { commentIds: ['abc'] }), 401, 'sign_in_required');
    });
  });
}
