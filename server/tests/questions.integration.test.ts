import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { CommentResponseSchema, ThreadDetailSchema, ThreadResponseSchema, type CommentView } from '../../lib/contract';
import type { Badge } from '../../lib/domain/identity';
import { STAFF_COOKIE } from '../http/staffSession';
import { createOpenThread } from '../testing/nodes';
import { record, subscribe } from '../testing/sockets';
import { expectError, expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

/**
 * Questions, answered live (issue 19.2), over the real app on SQLite and PostgreSQL: a moderator's
 * Q&A switch is a `thread.updated`; a badge holder's reply answers its question under the next seq;
 * a moderator's mark and unmark; an answer removed reopens its question; the Q&A views page.
 */
for (const kind of DATABASE_KINDS) {
  describe(`questions answered live on ${kind}`, () => {
    const suite = useStaffNode(kind, { rateLimits: false });
    const { sockets } = suite;

    /** A signed-in account with these badges, as the host site's SSO makes one; the node sees its badges at once. */
    async function person(badges: Badge[] | null) {
      const subject = `qa-${randomBytes(5).toString('hex')}`;
      const name = `Person ${randomBytes(3).toString('hex')}`;
      const { token, user } = await suite.node.services.auth.signInWith({ identity: { method: 'sso', provider: 'sso', subject, email: null, emailVerified: false, name, badges } });
      await suite.node.services.badges.refresh();
      return { client: new WebClient(suite.node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id };
    }

    async function post(client: WebClient, slug: string, body: string, parentId?: string): Promise<CommentView> {
      const res = await client.comment(slug, { body, authorName: 'Reader', ...(parentId && { parentId }) });
      return CommentResponseSchema.parse(expectStatus(res, 201, `post "${body}"`)).comment;
    }

    async function qaThread(label: string) {
      const { slug } = await createOpenThread(suite.node.services, label);
      expectStatus(await suite.mod.client.settings(slug, { qa: true }), 200, 'Q&A on');
      return slug;
    }

    const page = async (slug: string, query: string) => ThreadResponseSchema.parse(expectStatus(await new WebClient(suite.node.baseUrl).get(`/api/threads/${slug}?${query}`), 200, query));
    const tops = async (slug: string, sort: string) => (await page(slug, `sort=${sort}`)).comments.filter((c) => c.depth === 1).map((c) => c.body);

    test("a moderator's Q&A switch is a thread.updated every reader gets; bad input names the field", async () => {
      const { slug } = await createOpenThread(suite.node.services, 'qa-switch');
      const watcher = await sockets.connect(suite.node.baseUrl);
      const events = record(watcher, 'thread:event');
      await subscribe(watcher, slug);
      const on = z.object({ thread: ThreadDetailSchema }).parse(expectStatus(await suite.mod.client.settings(slug, { qa: true }), 200));
      assert.equal(on.thread.qa, true);
      const live = await events.find('Q&A on', (e) => e.type === 'thread.updated');
      assert.ok(live.type === 'thread.updated' && live.thread.qa === true);
      assert.equal((await page(slug, '')).thread.qa, true);
      const error = expectError(await suite.mod.client.settings(slug, { qa: 'yes' }), 400, 'invalid_request');
      assert.ok(error.fields?.qa, JSON.stringify(error));
      expectError(await new WebClient(suite.node.baseUrl).request('PATCH', `/api/threads/${slug}`, { json: { qa: false } }), 401, 'not_signed_in');
      expectStatus(await suite.mod.client.settings(slug, { qa: false }), 200, 'Q&A off');
      assert.equal((await page(slug, '')).thread.qa, undefined, 'absent when off');
    });

    test("a badge holder's reply anywhere under a question answers it, under the next seq, live; the first answer stays", async () => {
      const slug = await qaThread('qa-answer');
      const reader = new WebClient(suite.node.baseUrl);
      const expert = await person(['expert']);
      const journalist = await person(['journalist']);
      const plain = await person(null);
      const open = await post(reader, slug, 'open question');
      const asked = await post(reader, slug, 'asked question');
      const watcher = await sockets.connect(suite.node.baseUrl);
      const events = record(watcher, 'thread:event');
      await subscribe(watcher, slug);

      const followUp = await post(plain.client, slug, 'no badge: no answer', asked.id);
      const answer = await post(expert.client, slug, 'the answer, below a follow-up', followUp.id);
      const answered = await events.find('the question answered', (e) => e.type === 'comment.updated' && e.comment.id === asked.id);
      assert.ok(answered.type === 'comment.updated');
      assert.equal(answered.comment.answerId, answer.id);
      assert.equal(answered.seq, answer.seq + 1, 'the next seq after the answer');
      await post(journalist.client, slug, 'a later answer', asked.id);
      const views = (await page(slug, '')).comments;
      assert.equal(views.find((c) => c.id === asked.id)?.answerId, answer.id, 'the first answer stays');
      assert.equal(views.find((c) => c.id === open.id)?.answerId, undefined);
      // A reader catching up replays it.
      const catchUp = await subscribe(await sockets.connect(suite.node.baseUrl), slug, answer.seq);
      assert.ok(catchUp.missed.some((e) => e.type === 'comment.updated' && e.comment.id === asked.id && e.comment.answerId === answer.id));
    });

    test('outside Q&A a badge holder answers nothing', async () => {
      const { slug } = await createOpenThread(suite.node.services, 'qa-off');
      const question = await post(new WebClient(suite.node.baseUrl), slug, 'not a question');
      const staff = await person(['staff']);
      await post(staff.client, slug, 'a reply', question.id);
      assert.equal((await page(slug, '')).comments.find((c) => c.id === question.id)?.answerId, undefined);
    });

    test('a moderator marks any reply as the answer and unmarks it; a question or a thread not in Q&A cannot be', async () => {
      const slug = await qaThread('qa-mark');
      const reader = new WebClient(suite.node.baseUrl);
      const question = await post(reader, slug, 'question');
      const reply = await post(new WebClient(suite.node.baseUrl), slug, 'a reader knows', question.id);
      const answerOf = async () => (await page(slug, '')).comments.find((c) => c.id === question.id)?.answerId;

      expectStatus(await suite.mod.client.act(reply.id, 'answer'), 200, 'mark');
      assert.equal(await answerOf(), reply.id);
      expectError(await suite.mod.client.act(reply.id, 'answer'), 409, 'already_handled');
      expectError(await suite.mod.client.act(question.id, 'answer'), 409, 'not_answerable');
      expectError(await reader.post(`/api/comments/${reply.id}/answer`), 401, 'not_signed_in');
      expectStatus(await suite.mod.client.act(reply.id, 'unanswer'), 200, 'unmark');
      assert.equal(await answerOf(), undefined);
      expectError(await suite.mod.client.act(reply.id, 'unanswer'), 409, 'already_handled');

      const { slug: plainSlug } = await createOpenThread(suite.node.services, 'qa-mark-off');
      const other = await post(reader, plainSlug, 'not a question');
      const otherReply = await post(reader, plainSlug, 'reply', other.id);
      expectError(await suite.mod.client.act(otherReply.id, 'answer'), 409, 'not_answerable');
      const { entries } = expectStatus(await suite.admin.client.get('/api/moderation/audit'), 200) as { entries: { action: string }[] };
      assert.ok(entries.some((e) => e.action === 'comment.answer'), 'audited');
    });

    test('an answer removed opens its question again', async () => {
      const slug = await qaThread('qa-removed');
      const question = await post(new WebClient(suite.node.baseUrl), slug, 'question');
      const staff = await person(['staff']);
      const answer = await post(staff.client, slug, 'answer', question.id);
      assert.equal((await page(slug, '')).comments.find((c) => c.id === question.id)?.answerId, answer.id);
      expectStatus(await suite.mod.client.act(answer.id, 'remove'), 200, 'remove');
      assert.equal((await page(slug, '')).comments.find((c) => c.id === question.id)?.answerId, undefined);
    });

    test('the Q&A views: answered first, only answered, only open; answered first pages by its own cursor', async () => {
      const slug = await qaThread('qa-views');
      const reader = new WebClient(suite.node.baseUrl);
      const expert = await person(['expert']);
      const q = [];
      for (const body of ['q1', 'q2', 'q3', 'q4', 'q5']) q.push(await post(reader, slug, body));
      await post(expert.client, slug, 'a2', q[1]!.id);
      await post(expert.client, slug, 'a4', q[3]!.id);
      assert.deepEqual(await tops(slug, 'answered-first'), ['q2', 'q4', 'q1', 'q3', 'q5']);
      assert.deepEqual(await tops(slug, 'answered'), ['q2', 'q4']);
      assert.deepEqual(await tops(slug, 'unanswered'), ['q1', 'q3', 'q5']);
      const walked: string[] = [];
      let after: string | null = null;
      do {
        const p = await page(slug, `sort=answered-first&limit=1${after ? `&after=${after}` : ''}`);
        walked.push(...p.comments.filter((c) => c.depth === 1).map((c) => c.body));
        after = p.nextCursor;
      } while (after !== null);
      assert.deepEqual(walked, ['q2', 'q4', 'q1', 'q3', 'q5']);
      expectError(await reader.get(`/api/threads/${slug}?sort=answered-first&after=7`), 400, 'invalid_request');
    });
  });
}
