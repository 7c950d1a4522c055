import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initialState, type ThreadAction } from '../../../lib/client/threadState';
import { comment } from '../../../lib/client/commentFixture';
import type { ThreadResponse } from '../../../lib/contract/api';
import { createServerApi } from '../serverApi';
import { loadNextPage, reloadThread } from './threadLoading';


const nextPage: ThreadResponse = {
  thread: { slug: 's', title: 'S', locked: false, commentCount: 2, seq: 5, slowModeSeconds: 0, preModeration: false, hidden: false },
  comments: [comment('b', 4)],
  nextCursor: null,
};

/** A page of the thread with more branches to load, a record of what was dispatched, and an API answering as told. */
function setUp(answer: (url: string) => Response | Promise<Response>) {
  const state = initialState({ slug: 's', sort: 'oldest', seq: 5, locked: false, comments: [comment('a', 2)], nextCursor: '2', total: 2 });
  const dispatched: ThreadAction[] = [];
  const requested: string[] = [];
  const api = createServerApi(async (url) => {
    requested.push(url);
    return answer(url);
  });
  const recorded: [string, string | null][] = [];
  const pageLoaded = (sort: string, nextCursor: string | null) => recorded.push([sort, nextCursor]);
  return { loading: { api, slug: 's', current: () => state, dispatch: (a: ThreadAction) => dispatched.push(a), pageLoaded }, dispatched, requested, recorded };
}

describe('More comments', () => {
  test('a response that fails to parse resolves false (the button comes back), dispatching nothing', async () => {
    const { loading, dispatched } = setUp(() => new Response('{"thread": {"slug": "s", "se', { status: 200 }));
    assert.equal(await loadNextPage(loading), false);
    assert.deepEqual(dispatched, []);
  });

  test('going offline resolves false as well, and records nothing in the address', async () => {
    const { loading, dispatched, recorded } = setUp(() => Promise.reject(new TypeError('Failed to fetch')));
    assert.equal(await loadNextPage(loading), false);
    assert.deepEqual(dispatched, []);
    assert.deepEqual(recorded, []);
  });

  test('a page loaded is recorded with where the next starts (none here), for the address a reload renders', async () => {
    const { loading, recorded } = setUp(() => new Response(JSON.stringify(nextPage)));
    assert.equal(await loadNextPage(loading), true);
    assert.deepEqual(recorded, [['oldest', null]]);
  });

  test('a page appends its branches; an older page than the thread is caught up, and a failed catch-up leaves the branches as read', async () => {
    const older = { ...nextPage, thread: { ...nextPage.thread, seq: 4 } };
    const { loading, dispatched, requested } = setUp((url) => (url.includes('/events') ? new Response('not json', { status: 200 }) : new Response(JSON.stringify(older))));
    assert.equal(await loadNextPage(loading), true);
    assert.deepEqual(requested, ['/api/threads/s?sort=oldest&after=2', '/api/threads/s/events?after=4']);
    assert.deepEqual(dispatched, [{ type: 'page', comments: older.comments, nextCursor: null }]);
  });
});

describe('a catch-up that must reload the thread', () => {
  test('failing mid-way (offline) resolves false instead of rejecting, and changes nothing', async () => {
    const { loading, dispatched } = setUp(() => Promise.reject(new TypeError('Failed to fetch')));
    assert.equal(await reloadThread(loading), false);
    assert.deepEqual(dispatched, []);
  });

  test('a body cut off resolves false too', async () => {
    const { loading, dispatched } = setUp(() => new Response('{"thread":', { status: 200 }));
    assert.equal(await reloadThread(loading), false);
    assert.deepEqual(dispatched, []);
  });

  test('an answer replaces the page with the first page, in the reader’s order', async () => {
    const { loading, dispatched, requested } = setUp(() => new Response(JSON.stringify(nextPage)));
    assert.equal(await reloadThread(loading), true);
    assert.deepEqual(requested, ['/api/threads/s?sort=oldest']);
    assert.deepEqual(dispatched, [{ type: 'replace', seq: 5, settings: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null }, comments: nextPage.comments, nextCursor: null, total: 2 }]);
  });
});

describe('a thread gone while the page was open', () => {
  const notFound = () => new Response(JSON.stringify({ error: { code: 'thread_not_found', message: 'No thread has that slug.' } }), { status: 404, headers: { 'content-type': 'application/json' } });

  test('More comments answered thread_not_found (deleted, or hidden from this reader) shows the discussion removed', async () => {
    const { loading, dispatched, recorded } = setUp(notFound);
    assert.equal(await loadNextPage(loading), false);
    assert.deepEqual(dispatched, [{ type: 'removed' }]);
    assert.deepEqual(recorded, []);
  });

  test('a reload answered thread_not_found does too; any other refusal leaves the page as it was', async () => {
    const gone = setUp(notFound);
    assert.equal(await reloadThread(gone.loading), false);
    assert.deepEqual(gone.dispatched, [{ type: 'removed' }]);
    const busy = setUp(() => new Response(JSON.stringify({ error: { code: 'unavailable', message: '…', retryAfter: 5 } }), { status: 503, headers: { 'content-type': 'application/json' } }));
    assert.equal(await reloadThread(busy.loading), false);
    assert.deepEqual(busy.dispatched, []);
  });
});
