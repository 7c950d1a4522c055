import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comment } from '../../lib/client/commentFixture';
import type { ThreadResponse } from '../../lib/contract/api';
import { createServerApi } from './serverApi';

const page: ThreadResponse = {
  thread: { slug: 's', title: 'S', locked: false, commentCount: 1, seq: 3, slowModeSeconds: 0, preModeration: false, hidden: false },
  comments: [comment('a', 2)],
  nextCursor: null,
};

/** An API whose every request gets this answer (or this failure). */
function answering(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const api = createServerApi(async (url, init) => {
    calls.push({ url, init });
    return answer();
  });
  return { api, calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the pages’ API: every failure is an answer, never a throw', () => {
  test('a page that parses is the data', async () => {
    const { api, calls } = answering(() => json(page));
    assert.deepEqual(await api.threadPage('s', 'top', '0.5'), { ok: true, data: page });
    assert.equal(calls[0]!.url, '/api/threads/s?sort=top&after=0.5');
  });

  test('a body that is not JSON (cut off, or a proxy’s page) is bad_response, with its message', async () => {
    const { api } = answering(() => new Response('{"thread":{"slug"', { status: 200 }));
    assert.deepEqual(await api.threadPage('s', 'oldest', '7'), { ok: false, error: { code: 'bad_response', message: 'error.badResponse' } });
  });

  test('JSON of another shape is bad_response too', async () => {
    for (const body of [{}, { ...page, comments: [{ id: 'a' }] }, { ...page, thread: { ...page.thread, seq: '3' } }, [page], null]) {
      const { api } = answering(() => json(body));
      const result = await api.threadPage('s', 'oldest');
      assert.equal(result.ok, false, JSON.stringify(body));
      assert.equal(!result.ok && result.error.code, 'bad_response');
    }
  });

  test('no answer at all is offline', async () => {
    const { api } = answering(() => Promise.reject(new TypeError('Failed to fetch')));
    assert.deepEqual(await api.events('s', 3), { ok: false, error: { code: 'offline', message: 'error.offline' } });
    assert.deepEqual(await api.lockThread('s', true), { ok: false, error: { code: 'offline', message: 'error.offline' } });
  });

  test('a refusal keeps its code, status and retryAfter, and is worded by its code', async () => {
    const { api } = answering(() => json({ error: { code: 'rate_limited', message: 'You are posting too fast.', retryAfter: 12 } }, 429));
    assert.deepEqual(await api.postComment('s', { parentId: null, body: 'x', authorName: 'A' }), {
      ok: false,
      error: { code: 'rate_limited', message: 'error.rate_limited', status: 429, retryAfter: 12 },
    });
  });

  test('a refusal without a known code gets the call’s own fallback', async () => {
    const { api } = answering(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    assert.deepEqual(await api.report('a', { category: 'spam' }), { ok: false, error: { code: 'unknown', message: 'error.reportFailed', status: 502 } });
    const other = answering(() => json({ error: { code: 'from_the_future' } }, 400));
    assert.deepEqual(await other.api.moderateComment('a', 'pin'), { ok: false, error: { code: 'from_the_future', message: 'error.generic', status: 400 } });
  });

  test('a call without a body to read succeeds on the status alone, and sends JSON when it has a body', async () => {
    const { api, calls } = answering(() => new Response(null, { status: 204 }));
    assert.deepEqual(await api.threadSettings('s', { slowModeSeconds: 30 }), { ok: true, data: undefined });
    assert.equal(calls[0]!.url, '/api/threads/s');
    assert.equal(calls[0]!.init?.method, 'PATCH');
    assert.equal(calls[0]!.init?.body, '{"slowModeSeconds":30}');
    assert.deepEqual(calls[0]!.init?.headers, { 'content-type': 'application/json' });
  });

  test('likes and edits are checked like pages', async () => {
    assert.deepEqual(await answering(() => json({ likes: 2, liked: true, changed: true })).api.like('a', true), { ok: true, data: { likes: 2, liked: true, changed: true } });
    assert.equal((await answering(() => json({ likes: -1, liked: true, changed: true })).api.like('a', true)).ok, false);
    assert.deepEqual(await answering(() => json({ comment: page.comments[0] })).api.editComment('a', 'hi'), { ok: true, data: page.comments[0] });
    assert.equal((await answering(() => json({ comment: null })).api.deleteComment('a')).ok, false);
  });
});
