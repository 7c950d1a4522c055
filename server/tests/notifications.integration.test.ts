import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { before, describe, test } from 'node:test';
import type { CommentView } from '../../lib/contract/api';
import { MarkReadResponseSchema, MutesResponseSchema, NotificationListSchema, ThreadWatchesResponseSchema, UnreadCountSchema } from '../../lib/contract/notifications';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { STAFF_COOKIE } from '../http/staffSession';
import type { HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { record, type ClientSocket } from '../testing/sockets';
import { expectError, expectStatus, staffMember, waitForStaffSocket, WebClient } from '../testing/staff';
import { useNodes } from '../testing/suites';

function blankPage(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>');
}

/** Long enough that only live delivery through Redis can be what a socket hears. */
const SLOW_SYNC_MS = 120_000;

/**
 * The bell across two nodes on PostgreSQL and Redis (docs/notifications.md): a reply posted through
 * node A reaches the parent's author's socket on node B (`notifications:changed`), the list over HTTP
 * links to the comment, marking read on one device updates the others; the moderators' queue count;
 * mutes and thread watches over the API, and bad input answered with stable codes, never a 500.
 */
describe('the bell across two nodes on PostgreSQL and Redis', () => {
  const suite = useNodes({ redis: true });
  const { sockets } = suite;
  let a: TestNode;
  let b: TestNode;

  before(async () => {
    // A page handler, so that the settings page's form posts are this server's (without one everything is the API's).
    ({ a, b } = await suite.startPair('bell', () => ({ passwordCost: TEST_PASSWORD_COST, syncIntervalMs: SLOW_SYNC_MS, pageHandler: blankPage })));
  });

  const tag = () => randomBytes(4).toString('hex');
  /** A commenter signed in (as the sign-in methods do) with a browser pointed at `node`. */
  async function person(name: string, node: TestNode): Promise<{ client: WebClient; id: string; token: string; name: string }> {
    const email = `${name.toLowerCase()}-${tag()}@example.test`;
    const identity: ProvenIdentity = { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name: `${name} ${tag()}`, badges: null };
    const { token, user } = await node.services.auth.signInWith({ identity, userAgent: 'test' });
    return { client: new WebClient(node.baseUrl, { [STAFF_COOKIE]: token }), id: user.id, token, name: user.displayName };
  }
  function comment(res: HttpResult): CommentView {
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return (res.body as { comment: CommentView }).comment;
  }
  async function bellSocket(node: TestNode, who: { client: WebClient; token: string }): Promise<ClientSocket> {
    const socket = await sockets.connect(node.baseUrl, { cookie: who.client.cookie });
    await waitForStaffSocket(node, socket, who.token);
    return socket;
  }

  test('a reply through node A rings the parent’s author’s bell on node B, live; the list links to it; read on one device, every device hears it', async () => {
    const t = await createOpenThread(a.services, 'bell');
    const ann = await person('Ann', b);
    const ben = await person('Ben', a);
    const phone = await bellSocket(b, ann);
    const laptop = await bellSocket(a, ann);
    const onPhone = record(phone, 'notifications:changed');
    const onLaptop = record(laptop, 'notifications:changed');
    const bensOwn = record(await bellSocket(a, ben), 'notifications:changed');

    const top = comment(await ann.client.on(b.baseUrl).comment(t.slug, { body: 'Ann asks', authorName: 'x' }));
    const reply = comment(await ben.client.on(a.baseUrl).comment(t.slug, { body: 'Ben answers Ann', authorName: 'x', parentId: top.id }));
    const rung = await onPhone.find('the reply on Ann’s phone (node B)', (c) => c.notification?.commentId === reply.id);
    // A new notice comes without a count: the page adds one (NotificationsChanged).
    assert.equal(rung.unread, undefined);
    assert.ok(rung.notification);
    assert.equal(rung.notification.kind, 'reply');
    assert.equal(rung.notification.actorName, ben.name);
    assert.equal(rung.notification.thread.slug, t.slug);
    assert.equal(rung.notification.href, `/articles/${t.slug}/comments/${reply.id}#c-${reply.id}`);
    await onLaptop.find('the reply on Ann’s laptop (node A)', (c) => c.notification?.commentId === reply.id);

    const list = NotificationListSchema.parse(expectStatus(await ann.client.on(b.baseUrl).get('/api/me/notifications'), 200));
    assert.deepEqual(
      list.notifications.map((n) => [n.kind, n.commentId, n.read, n.excerpt]),
      [['reply', reply.id, false, 'Ben answers Ann']],
    );
    assert.equal(list.unread, 1);

    const read = MarkReadResponseSchema.parse(expectStatus(await ann.client.on(a.baseUrl).post('/api/me/notifications/read', { ids: [list.notifications[0]!.id] }), 200));
    assert.deepEqual(read, { marked: 1, unread: 0 });
    await onPhone.latest('the phone hears it was read', (c) => c.unread === 0 && c.notification === null);
    assert.deepEqual(UnreadCountSchema.parse(expectStatus(await ann.client.on(b.baseUrl).get('/api/me/notifications/count'), 200)), { unread: 0 });
    assert.deepEqual(bensOwn.items, [], 'the replier is told nothing');
  });

  test('a moderator’s bell hears the desk’s queue count from the other node', async () => {
    const { client: moderator, account } = await staffMember(a, 'moderator', 'bell');
    const t = await createOpenThread(a.services, 'queue');
    expectStatus(await moderator.settings(t.slug, { preModeration: true }), 200);
    const desk = await sockets.connect(b.baseUrl, { cookie: moderator.cookie });
    await waitForStaffSocket(b, desk, moderator.sessionToken!);
    const counts = record(desk, 'moderation:count');
    const before = UnreadCountSchema.parse(expectStatus(await moderator.on(b.baseUrl).get('/api/me/notifications/count'), 200));
    assert.equal(typeof before.queue, 'number', `a moderator’s count carries the queue (${account.username})`);
    await new WebClient(a.baseUrl).comment(t.slug, { body: 'held for the desk', authorName: 'Guest' });
    await counts.find('the queue count on node B', (c) => c.queue === before.queue! + 1);
    const reader = await person('Reader', b);
    assert.equal(UnreadCountSchema.parse(expectStatus(await reader.client.get('/api/me/notifications/count'), 200)).queue, undefined, 'not for a commenter');
  });

  test('mutes and thread watches over the API; a muted person’s reply rings nothing', async () => {
    const t = await createOpenThread(a.services, 'mutes');
    const ann = await person('Ann', a);
    const ben = await person('Ben', a);
    const phone = record(await bellSocket(b, ann), 'notifications:changed');

    expectStatus(await ann.client.post('/api/me/mutes', { displayName: ben.name }), 200);
    assert.deepEqual(
      MutesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/mutes'), 200)).mutes.map((m) => [m.personId, m.displayName]),
      [[ben.id, ben.name]],
    );
    assert.deepEqual(expectStatus(await ann.client.get(`/api/me/mutes/${ben.id}`), 200), { personId: ben.id, muted: true });
    const top = comment(await ann.client.comment(t.slug, { body: 'Ann again', authorName: 'x' }));
    comment(await ben.client.comment(t.slug, { body: 'muted words', authorName: 'x', parentId: top.id }));
    await a.services.noticesSettled();
    assert.deepEqual(NotificationListSchema.parse(expectStatus(await ann.client.get('/api/me/notifications'), 200)).notifications, []);
    assert.equal(phone.items.length, 0);
    expectStatus(await ann.client.request('DELETE', `/api/me/mutes/${ben.id}`), 200);
    assert.deepEqual(MutesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/mutes'), 200)).mutes, []);

    assert.deepEqual(expectStatus(await ann.client.request('PUT', `/api/me/threads/${t.slug}`, { json: { mode: 'block' } }), 200), { slug: t.slug, mode: 'block' });
    assert.deepEqual(expectStatus(await ann.client.get(`/api/me/threads/${t.slug}`), 200), { slug: t.slug, mode: 'block' });
    assert.deepEqual(
      ThreadWatchesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/threads'), 200)).threads.map((w) => [w.slug, w.mode]),
      [[t.slug, 'block']],
    );
    comment(await ben.client.comment(t.slug, { body: 'on a blocked thread', authorName: 'x', parentId: top.id }));
    await a.services.noticesSettled();
    assert.equal(phone.items.length, 0);
    assert.deepEqual(expectStatus(await ann.client.request('DELETE', `/api/me/threads/${t.slug}`), 200), { slug: t.slug, mode: null });
    const heard = comment(await ben.client.comment(t.slug, { body: 'heard at last', authorName: 'x', parentId: top.id }));
    await phone.find('the reply once nothing silences it', (c) => c.notification?.commentId === heard.id);

    // A comment's menu mutes its author, a guest too, without the page knowing whom.
    const guest = new WebClient(a.baseUrl);
    const guestReply = comment(await guest.comment(t.slug, { body: 'a guest answers', authorName: 'Guesty', parentId: top.id }));
    await phone.find('the guest’s reply', (c) => c.notification?.commentId === guestReply.id);
    assert.deepEqual(expectStatus(await ann.client.post('/api/me/mutes', { commentId: guestReply.id }), 200), { muted: true });
    assert.equal(MutesResponseSchema.parse(expectStatus(await ann.client.get('/api/me/mutes'), 200)).mutes.length, 1);
    const muffled = comment(await guest.comment(t.slug, { body: 'the guest again', authorName: 'Guesty', parentId: top.id }));
    await a.services.noticesSettled();
    assert.equal(phone.items.find((c) => c.notification?.commentId === muffled.id), undefined, 'the muted guest rings nothing');
    expectError(await ann.client.post('/api/me/mutes', { commentId: top.id }), 400, 'cannot_mute_self');
    expectError(await ann.client.post('/api/me/mutes', { commentId: 'nosuchcomment' }), 404, 'comment_not_found');
  });

  test('bad input: stable codes and the field at fault, never a 500; signed out: sign_in_required', async () => {
    const ann = await person('Ann', a);
    const t = await createOpenThread(a.services, 'bad');
    expectError(await ann.client.get('/api/me/notifications?limit=0'), 400, 'invalid_request', 'a limit of 0');
    expectError(await ann.client.get('/api/me/notifications?limit=ten'), 400, 'invalid_request', 'a limit that is not a number');
    expectError(await ann.client.get('/api/me/notifications?limit=51'), 400, 'invalid_request', 'a limit too high');
    expectError(await ann.client.get('/api/me/notifications?before=%24%24'), 400, 'invalid_request', 'a cursor of the wrong alphabet');
    const forged = expectError(await ann.client.get('/api/me/notifications?before=bm90LWEtY3Vyc29y'), 400, 'invalid_request', 'a cursor this server did not hand out');
    assert.ok(JSON.stringify(forged).includes('before'), JSON.stringify(forged));
    expectError(await ann.client.get('/api/me/notifications?sort=new'), 400, 'invalid_request', 'an unknown parameter');
    expectError(await ann.client.post('/api/me/notifications/read', { ids: [] }), 400, 'invalid_request', 'no ids');
    expectError(await ann.client.post('/api/me/notifications/read', { all: false }), 400, 'invalid_request', 'all: false');
    expectError(await ann.client.post('/api/me/notifications/read', { ids: ['x'.repeat(500)] }), 400, 'invalid_request', 'an id too long');
    expectError(await ann.client.post('/api/me/notifications/read', { ids: ['a'], all: true }), 400, 'invalid_request', 'both');
    expectError(await ann.client.post('/api/me/notifications/read', ['all']), 400, 'invalid_request', 'an array');
    expectError(await ann.client.request('PUT', `/api/me/mutes/${ann.id}`), 400, 'cannot_mute_self');
    expectError(await ann.client.request('PUT', '/api/me/mutes/nobody-at-all'), 404, 'person_not_found');
    expectError(await ann.client.request('PUT', `/api/me/mutes/${'%E2%80%AE'.repeat(3)}`), 404, 'person_not_found');
    expectError(await ann.client.post('/api/me/mutes', { displayName: '' }), 400, 'invalid_request', 'an empty name');
    expectError(await ann.client.post('/api/me/mutes', { displayName: 'Nobody Goes By This' }), 404, 'person_not_found');
    expectError(await ann.client.request('PUT', `/api/me/threads/${t.slug}`, { json: { mode: 'watch' } }), 400, 'invalid_request', 'an unknown mode');
    expectError(await ann.client.request('PUT', `/api/me/threads/${t.slug}`, { json: {} }), 400, 'invalid_request', 'no mode');
    expectError(await ann.client.request('PUT', '/api/me/threads/no-such-thread-here', { json: { mode: 'follow' } }), 404, 'thread_not_found');
    expectError(await ann.client.request('PUT', '/api/me/threads/%00', { json: { mode: 'follow' } }), 404, 'thread_not_found');
    const guest = new WebClient(a.baseUrl);
    for (const path of ['/api/me/notifications', '/api/me/notifications/count', '/api/me/mutes', '/api/me/threads']) expectError(await guest.get(path), 401, 'sign_in_required', path);
    expectError(await guest.post('/api/me/notifications/read', { all: true }), 401, 'sign_in_required');
  });

  test('the settings page’s forms without JavaScript: mute by name, unmute, remove a thread, each back to the section', async () => {
    const t = await createOpenThread(a.services, 'forms');
    const ann = await person('Ann', a);
    const ben = await person('Ben', a);
    const form = (path: string, fields: Record<string, string>, client = ann.client) =>
      client.request('POST', path, { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
    const muted = await form('/account/notices/mute', { displayName: ben.name });
    assert.equal(muted.status, 303);
    assert.equal(muted.headers.get('location'), '/account?notices=mute#notices');
    assert.equal(await a.services.notifications.isMuted({ userId: ann.id, personId: ben.id }), true);
    const unknown = await form('/account/notices/mute', { displayName: 'Nobody Goes By This' });
    assert.equal(unknown.headers.get('location'), '/account?noticesError=person_not_found&field=displayName#notices');
    const self = await form('/account/notices/mute', { displayName: ann.name });
    assert.equal(self.headers.get('location'), '/account?noticesError=cannot_mute_self#notices');
    assert.equal((await form('/account/notices/unmute', { personId: ben.id })).headers.get('location'), '/account?notices=unmute#notices');
    assert.equal(await a.services.notifications.isMuted({ userId: ann.id, personId: ben.id }), false);
    await a.services.notifications.watch({ userId: ann.id, slug: t.slug, mode: 'follow' });
    assert.equal((await form('/account/notices/unwatch', { slug: t.slug })).headers.get('location'), '/account?notices=unwatch#notices');
    assert.deepEqual(await a.services.notifications.watches(ann.id), []);
    // Signed out: to the sign-in page, which comes back here.
    const signedOut = await form('/account/notices/mute', { displayName: ben.name }, new WebClient(a.baseUrl));
    assert.equal(signedOut.headers.get('location'), '/signin?next=%2Faccount');
    // A post from another site is refused.
    const forged = await ann.client.request('POST', '/account/notices/unmute', { raw: `personId=${ben.id}`, contentType: 'application/x-www-form-urlencoded', origin: 'https://elsewhere.example' });
    assert.equal(forged.status, 403);
  });
});
