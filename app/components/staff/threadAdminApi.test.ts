import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminThreadListResponse } from '../../../lib/contract/api';
import { createThreadAdminApi } from './threadAdminApi';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function answering(answer: () => Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const api = createThreadAdminApi(async (url, init) => {
    calls.push({ url, init });
    return answer();
  });
  return { api, calls };
}

const list: AdminThreadListResponse = {
  threads: [{ slug: 'a-story', title: 'A story', locked: false, hidden: true, commentCount: 3, createdAt: '2026-05-01T10:00:00.000Z' }],
  next: 'MjAyNi0wNS0wMVQxMDowMDowMC4wMDBaIGFiYw',
};

test('the admins’ list: a page and its cursor, asked for after the cursor it is given', async () => {
  const { api, calls } = answering(() => json(list));
  assert.deepEqual(await api.threads(null), { ok: true, data: list });
  await api.threads(list.next);
  assert.deepEqual(calls.map((c) => c.url), ['/api/moderation/threads', `/api/moderation/threads?after=${list.next}`]);
});

test('an answer of another shape is bad_response, never a throw', async () => {
  for (const body of [{}, { threads: [{ slug: 'a' }], next: null }, { ...list, next: 7 }, null]) {
    const { api } = answering(() => json(body));
    const result = await api.threads(null);
    assert.equal(result.ok, false, JSON.stringify(body));
    assert.equal(!result.ok && result.error.code, 'bad_response');
  }
});

test('hide, show again and delete send what the routes take, and a refusal is the server’s code', async () => {
  const { api, calls } = answering(() => json({ thread: { slug: 'a-story', hidden: true } }));
  assert.deepEqual(await api.setHidden('a-story', true), { ok: true, data: true });
  assert.equal((await api.setHidden('a-story', false)).ok, false, 'an answer that is not what was asked for is not taken for it');
  assert.deepEqual(
    calls.map((c) => [c.init?.method, c.url]),
    [
      ['POST', '/api/threads/a-story/hide'],
      ['POST', '/api/threads/a-story/unhide'],
    ],
  );

  const deleting = answering(() => json({ deleted: { slug: 'a-story', title: 'A story', comments: 3 } }));
  assert.deepEqual(await deleting.api.deleteThread('a-story', 'spam'), { ok: true, data: { slug: 'a-story', title: 'A story', comments: 3 } });
  assert.equal(deleting.calls[0]!.init?.method, 'DELETE');
  assert.equal(deleting.calls[0]!.init?.body, JSON.stringify({ reason: 'spam' }));
  await deleting.api.deleteThread('a-story', null);
  assert.equal(deleting.calls[1]!.init?.body, undefined, 'no reason: no body');

  const refused = answering(() => json({ error: { code: 'forbidden', message: 'Only admins can do this.' } }, 403));
  const result = await refused.api.deleteThread('a-story', null);
  assert.deepEqual(result, { ok: false, error: { code: 'forbidden', message: 'error.forbidden', status: 403 } });
});
