import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, type CommentView } from '../../lib/contract';
import type { Ack } from '../../lib/contract/socket';
import { GUEST_COOKIE, newGuestId, signGuestToken } from '../../lib/domain/guestToken';
import { DEFAULT_LIMITS, limitRule, type LimitName, type LimitRules } from '../../lib/services/limits';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, TEST_SESSION_SECRET, type StartNodeOptions, type TestNode } from '../testing/nodes';
import { startNginx } from '../testing/nginx';
import { REDIS_URL } from '../testing/redis';
import { createViaSocket, type ClientSocket, type ConnectOptions } from '../testing/sockets';
import { useNodes } from '../testing/suites';
import { waitFor } from '../testing/wait';

/**
 * Budgets that follow the sender (docs/security.md, "Rate limits"): posts,
 * likes, reports, socket events, new connections and open connections are
 * counted per network address (an IPv6 address by its /64; behind TRUST_PROXY
 * the forwarded one) as well as per guest, on every transport. Each test plays
 * the attack, a spammer dropping its cookie on every connection, and checks
 * that ordinary readers sharing an address (an office) are not held up.
 */

const suite = useNodes({ kind: 'sqlite', closeNodes: 'afterEach' });
const { sockets } = suite;

/** Linux routes all of 127/8 to loopback: this is another client address on the same machine. */
const ELSEWHERE = '127.0.0.2';

function node(options: Omit<StartNodeOptions, 'db'> = {}): Promise<TestNode> {
  return suite.start({ pageHandler: blankPage, ...options });
}

/** Stands in for Next.js, so the no-JavaScript form routes are reachable and a page visit gives a guest. */
function blankPage(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('page');
}

/** The default number of points of a limit (README's table). */
function defaultPoints(name: LimitName): number {
  const rule = (DEFAULT_LIMITS as Partial<LimitRules>)[name];
  return rule && rule !== 'off' ? rule.points : NaN;
}

const comment = (body: string) => ({ body, authorName: 'Sam' });

function created(res: HttpResult, what: string): CommentView {
  assert.equal(res.status, 201, `${what}: expected 201, got ${res.status} ${JSON.stringify(res.body)}`);
  return CommentResponseSchema.parse(res.body).comment;
}

/** A 429 `rate_limited` (or `code`) with `retryAfter` in the body and the same number in `Retry-After`. */
function limited(res: { status: number; headers: Headers; body: unknown }, what: string, code = 'rate_limited'): void {
  assert.equal(res.status, 429, `${what}: expected 429, got ${res.status} ${JSON.stringify(res.body)}`);
  const { error } = ErrorResponseSchema.parse(res.body);
  assert.equal(error.code, code, what);
  if (code === 'rate_limited') {
    assert.ok(error.retryAfter !== undefined && error.retryAfter >= 1 && error.retryAfter <= 60, `${what}: retryAfter ${error.retryAfter}`);
    assert.equal(res.headers.get('retry-after'), String(error.retryAfter), what);
  }
}

/** Splits acks into the accepted and the refused; every refusal must be `rate_limited` with a `retryAfter`. */
function tally(acks: Ack<object>[], what: string): { accepted: number; refused: number } {
  let accepted = 0;
  for (const ack of acks) {
    if (ack.ok) accepted++;
    else {
      assert.equal(ack.error.code, 'rate_limited', `${what}: ${JSON.stringify(ack.error)}`);
      assert.ok(ack.error.retryAfter !== undefined && ack.error.retryAfter >= 1 && ack.error.retryAfter <= 60, `${what}: ${JSON.stringify(ack.error)}`);
    }
  }
  return { accepted, refused: acks.length - accepted };
}

function connectMany(n: TestNode, count: number, options: ConnectOptions = {}): Promise<ClientSocket[]> {
  return Promise.all(Array.from({ length: count }, () => sockets.connect(n.baseUrl, options)));
}

const like = (socket: ClientSocket, commentId: string, liked: boolean) => socket.timeout(10_000).emitWithAck('comment:like', { commentId, liked });

/** A reader of the article page without JavaScript: one guest (their first post gives them the cookie), posting from the page. */
async function formReader(n: TestNode, slug: string): Promise<{ post(body: string): Promise<string>; like(commentId: string): Promise<string> }> {
  const guest = new HttpGuest(n.baseUrl);
  const submit = async (path: string, fields: Record<string, string>) => {
    const res = await guest.request('POST', path, { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 303);
    return res.headers.get('location') ?? '';
  };
  return {
    post: (body) => submit(`/articles/${slug}/comments`, { body, authorName: 'Nojs' }),
    like: (commentId) => submit(`/articles/${slug}/comments/${commentId}/like`, { liked: 'true' }),
  };
}

const report = (n: TestNode, commentId: string, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
  request(n, 'POST', `/api/comments/${commentId}/report`, { json: { category: 'spam' }, ...options });

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One HTTP request without a cookie (a new guest each time), from a chosen local address and with chosen headers. */
function request(
  n: TestNode,
  method: string,
  path: string,
  options: { json?: unknown; localAddress?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, n.baseUrl);
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { origin: url.origin, ...options.headers, ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, ...(options.localAddress && { localAddress: options.localAddress }) }, (res) => resolve(readAnswer(res)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A response's status, headers and body (parsed when it is JSON). */
function readAnswer(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('error', reject);
    res.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      resolve({ status: res.statusCode ?? 0, headers, body });
    });
  });
}

/** A Socket.IO handshake by hand, as a script would send it: a long-polling GET, or a WebSocket upgrade (101 when accepted). */
function rawHandshake(n: TestNode, transport: 'polling' | 'websocket', options: { localAddress?: string; query?: string } = {}): Promise<Answer> {
  const path = `/socket.io/?EIO=4&transport=${transport}${options.query ?? ''}`;
  if (transport === 'polling') return request(n, 'GET', path, options);
  const url = new URL(path, n.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
      ...(options.localAddress && { localAddress: options.localAddress }),
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: new Headers(), body: null });
    });
    req.on('response', (res) => resolve(readAnswer(res)));
    req.on('error', reject);
    req.end();
  });
}

describe('14.1 budgets that follow the sender', () => {
  test('14.1 forty cookieless sockets from one address cannot post, like or report past the address budgets; another address is unaffected', async () => {
    const n = await node();
    const t = await createOpenThread(n.services, 'flood');
    // Each connection without a cookie is a guest of its own, with fresh per-guest budgets.
    const flood = await connectMany(n, 40);
    assert.equal(new Set(flood.map((s) => s.id)).size, 40);

    // 40 × 10 posts: each guest stays within its own budget (10 a minute).
    const postAcks = await Promise.all(flood.flatMap((s, i) => Array.from({ length: 10 }, (_, j) => createViaSocket(s, { slug: t.slug, ...comment(`spam ${i}.${j}`) }))));
    const posts = tally(postAcks, 'a post of the flood');
    assert.equal(posts.accepted, defaultPoints('postsAddress'), `${posts.accepted} of 400 posts from 40 cookieless sockets were stored`);

    // Likes: every guest changes its like on one comment back and forth, within its own budget (60 a minute).
    const target = postAcks.find((a) => a.ok)!;
    assert.ok(target.ok);
    const likeAcks = (
      await Promise.all(
        flood.map(async (s) => {
          const acks = [];
          for (let k = 0; k < 20; k++) acks.push(await like(s, target.comment.id, k % 2 === 0));
          return acks;
        }),
      )
    ).flat();
    const likes = tally(likeAcks, 'a like of the flood');
    assert.equal(likes.accepted, defaultPoints('likesAddress'), `${likes.accepted} of 800 likes from 40 cookieless sockets were taken`);

    // Reports over HTTP, each from a new guest (no cookie): counted against the address too.
    let reported = 0;
    for (let k = 0; k < defaultPoints('reportsAddress') + 10; k++) {
      const res = await report(n, target.comment.id);
      if (res.status === 201) reported++;
      else limited(res, `report ${k}`);
    }
    assert.equal(reported, defaultPoints('reportsAddress'), 'reports from one address');

    // Another address is not held up by the flood: it connects, posts, likes and reports.
    const neighbour = await sockets.connect(n.baseUrl, { localAddress: ELSEWHERE });
    const own = await createViaSocket(neighbour, { slug: t.slug, ...comment('from next door') });
    assert.ok(own.ok, JSON.stringify(own));
    assert.equal((await like(neighbour, target.comment.id, true)).ok, true);
    assert.equal((await report(n, target.comment.id, { localAddress: ELSEWHERE })).status, 201);
  });

  test('14.1 an office of 30 readers behind one address reads and comments normally within the defaults', async () => {
    const n = await node();
    const t = await createOpenThread(n.services, 'office');
    const office = await connectMany(n, 30);
    for (const s of office) assert.equal((await s.timeout(10_000).emitWithAck('thread:subscribe', { slug: t.slug })).ok, true);
    // Everyone comments and answers someone, likes a few comments, and a few report one: all in the same minute.
    const tops = await Promise.all(office.map((s, i) => createViaSocket(s, { slug: t.slug, ...comment(`view ${i}`) })));
    for (const ack of tops) assert.ok(ack.ok, JSON.stringify(ack));
    const ids = tops.map((a) => (a.ok ? a.comment.id : ''));
    const replies = await Promise.all(office.map((s, i) => createViaSocket(s, { slug: t.slug, ...comment(`reply ${i}`), parentId: ids[(i + 1) % ids.length] })));
    for (const ack of replies) assert.ok(ack.ok, JSON.stringify(ack));
    const likes = await Promise.all(office.flatMap((s, i) => [1, 2, 3, 4, 5].map((k) => like(s, ids[(i + k) % ids.length]!, true))));
    for (const ack of likes) assert.ok(ack.ok, JSON.stringify(ack));
    for (let k = 0; k < 10; k++) assert.equal((await report(n, ids[k]!)).status, 201);
    // Reading is not limited: everyone loads the page again.
    for (let k = 0; k < 30; k++) assert.equal((await new HttpGuest(n.baseUrl).get(`/api/threads/${t.slug}`)).status, 200);
  });

  test('14.1 an author editing a comment in a loop is limited per guest and per address; the same text again costs nothing; another author edits meanwhile', async () => {
    const n = await node({ limits: { edits: limitRule('3/60'), editsAddress: limitRule('5/60') } });
    const t = await createOpenThread(n.services, 'edit-loop');
    const author = new HttpGuest(n.baseUrl);
    const mine = created(await author.post(t.slug, comment('first words')), 'the post');
    const edit = (guest: HttpGuest, id: string, body: string) => guest.request('PATCH', `/api/comments/${id}`, { json: { body } });

    for (let i = 1; i <= 3; i++) assert.equal((await edit(author, mine.id, `words, take ${i}`)).status, 200, `edit ${i}`);
    // The same text again writes nothing and sends nothing: it is answered, and costs no budget.
    assert.equal((await edit(author, mine.id, 'words, take 3')).status, 200, 'the same text again');
    limited(await edit(author, mine.id, 'words, take 4'), 'a 4th change within the minute');
    assert.equal((await n.store.findComment({ id: mine.id }))?.body, 'words, take 3', 'the refused edit changed nothing');

    // The address's budget: other authors there edit until it is spent (5), then none does.
    const others = [new HttpGuest(n.baseUrl), new HttpGuest(n.baseUrl)];
    const theirs = await Promise.all(others.map(async (g, i) => created(await g.post(t.slug, comment(`other ${i}`)), `other ${i}`)));
    assert.equal((await edit(others[0]!, theirs[0]!.id, 'other 0, fixed')).status, 200);
    assert.equal((await edit(others[1]!, theirs[1]!.id, 'other 1, fixed')).status, 200);
    limited(await edit(others[1]!, theirs[1]!.id, 'other 1, fixed twice'), 'the address\'s 6th edit');

    // From another address, an author edits as usual.
    const cookie = `${GUEST_COOKIE}=${signGuestToken(newGuestId(), TEST_SESSION_SECRET)}`;
    const elsewhere = await request(n, 'POST', `/api/threads/${t.slug}/comments`, { json: comment('from elsewhere'), localAddress: ELSEWHERE, headers: { cookie } });
    assert.equal(elsewhere.status, 201);
    const id = CommentResponseSchema.parse(elsewhere.body).comment.id;
    const fixed = await request(n, 'PATCH', `/api/comments/${id}`, { json: { body: 'from elsewhere, fixed' }, localAddress: ELSEWHERE, headers: { cookie } });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
  });

  test('14.1 a post or like over the socket, over HTTP and through the no-JavaScript form spends one budget per address', async () => {
    const n = await node({ limits: { postsAddress: limitRule('3/60'), likesAddress: limitRule('3/60') } });
    const t = await createOpenThread(n.services, 'transports');
    const [socket] = await connectMany(n, 1);
    const form = await formReader(n, t.slug);

    const first = await createViaSocket(socket!, { slug: t.slug, ...comment('over the socket') });
    assert.ok(first.ok, JSON.stringify(first));
    created(await new HttpGuest(n.baseUrl).post(t.slug, comment('over HTTP')), 'a post over HTTP');
    assert.match(await form.post('through the form'), new RegExp(`^/articles/${t.slug}\\?posted=[a-z0-9]+#c-`));
    // The address's fourth post, whichever way and whoever sends it, is refused.
    limited(await new HttpGuest(n.baseUrl).post(t.slug, comment('one too many')), 'a 4th post over HTTP');
    const overSocket = await createViaSocket((await connectMany(n, 1))[0]!, { slug: t.slug, ...comment('one too many') });
    assert.ok(!overSocket.ok && overSocket.error.code === 'rate_limited' && (overSocket.error.retryAfter ?? 0) >= 1, JSON.stringify(overSocket));
    assert.match(await (await formReader(n, t.slug)).post('one too many'), /\?error=rate_limited#comment-form$/);

    const target = first.comment.id;
    assert.equal((await like(socket!, target, true)).ok, true);
    assert.equal((await new HttpGuest(n.baseUrl).request('PUT', `/api/comments/${target}/like`)).status, 200);
    assert.match(await form.like(target), new RegExp(`#c-${target}$`));
    limited(await new HttpGuest(n.baseUrl).request('PUT', `/api/comments/${target}/like`), 'a 4th like over HTTP');
    const likeOverSocket = await like((await connectMany(n, 1))[0]!, target, true);
    assert.ok(!likeOverSocket.ok && likeOverSocket.error.code === 'rate_limited', JSON.stringify(likeOverSocket));
    assert.match(await (await formReader(n, t.slug)).like(target), /likeError=rate_limited/);
    assert.equal((await n.store.findComment({ id: target }))?.likes, 3);
  });

  test('14.1 new connections per address are limited: the one over the budget is refused with 429, the open ones go on', async () => {
    const n = await node({ limits: { socketHandshakes: limitRule('4/60') } });
    const t = await createOpenThread(n.services, 'handshakes');
    const open = await connectMany(n, 4);
    const refused = await sockets.tryConnect(n.baseUrl);
    assert.ok('error' in refused, 'the 5th connection from the address is refused');
    // What a script sees, over either transport: 429 with the stable code and Retry-After.
    limited(await rawHandshake(n, 'polling'), 'a polling handshake');
    limited(await rawHandshake(n, 'websocket'), 'a WebSocket handshake');
    // An empty sid is no connection's (Engine.IO makes a new one): it is a handshake like the others.
    limited(await rawHandshake(n, 'polling', { query: '&sid=' }), 'a polling handshake with an empty sid');
    limited(await rawHandshake(n, 'websocket', { query: '&sid=' }), 'a WebSocket handshake with an empty sid');
    // The connections already open are unaffected…
    for (const s of open) assert.equal((await s.timeout(10_000).emitWithAck('server:hello')).ok, true);
    assert.equal((await createViaSocket(open[0]!, { slug: t.slug, ...comment('still here') })).ok, true);
    // …and so is another address.
    await sockets.connect(n.baseUrl, { localAddress: ELSEWHERE });
    assert.equal((await rawHandshake(n, 'websocket', { localAddress: ELSEWHERE })).status, 101);
  });

  test('14.1 open connections per address are capped: one more is refused until one closes; another address is unaffected', async () => {
    const n = await node({ socketsPerAddress: 3 });
    const open = await connectMany(n, 3);
    const refused = await sockets.tryConnect(n.baseUrl);
    assert.ok('error' in refused, 'a 4th open connection from the address is refused');
    limited(await rawHandshake(n, 'polling'), 'a polling handshake over the cap', 'too_many_connections');
    limited(await rawHandshake(n, 'websocket'), 'a WebSocket handshake over the cap', 'too_many_connections');
    for (const s of open) assert.equal((await s.timeout(10_000).emitWithAck('server:hello')).ok, true);
    await sockets.connect(n.baseUrl, { localAddress: ELSEWHERE });
    // One closes: its place is free again once the server has seen it go.
    open[0]!.disconnect();
    await waitFor('a connection in the freed place', async () => {
      const again = await sockets.tryConnect(n.baseUrl);
      return 'socket' in again;
    });
  });

  test('14.1 behind TRUST_PROXY the forwarded address is counted, an IPv6 one by its /64, and a client cannot choose it', async () => {
    const n = await node({ edge: { trustProxy: true }, limits: { postsAddress: limitRule('2/60') } });
    const t = await createOpenThread(n.services, 'proxied');
    // What nginx sends with `proxy_add_x_forwarded_for`: the client's own header, then the address nginx saw.
    const from = (...hops: string[]) => ({ headers: { 'x-forwarded-for': hops.join(', ') } });
    const post = (hops: string[], body: string) => request(n, 'POST', `/api/threads/${t.slug}/comments`, { json: comment(body), ...from(...hops) });

    assert.equal((await post(['2001:db8:1:2::a'], 'one')).status, 201);
    assert.equal((await post(['2001:db8:1:2:ffff:ffff:ffff:ffff'], 'two, same /64')).status, 201);
    limited(await post(['2001:db8:1:2::b'], 'three, same /64'), 'a 3rd post from the /64');
    // A client that writes an address of its own in front is still counted by the one the proxy added.
    limited(await post(['203.0.113.9', '2001:db8:1:2::c'], 'spoofed'), 'a post with a forged first hop');
    const socket = await sockets.connect(n.baseUrl, from('2001:db8:1:2::d'));
    const overSocket = await createViaSocket(socket, { slug: t.slug, ...comment('over the socket, same /64') });
    assert.ok(!overSocket.ok && overSocket.error.code === 'rate_limited', JSON.stringify(overSocket));
    // The next /64, and an IPv4 client (also as a dual-stack socket would show it), have budgets of their own.
    assert.equal((await post(['2001:db8:1:3::a'], 'next /64')).status, 201);
    assert.equal((await post(['198.51.100.7'], 'IPv4')).status, 201);
    assert.equal((await post(['::ffff:198.51.100.7'], 'IPv4, mapped')).status, 201);
    limited(await post(['198.51.100.7'], 'IPv4 again'), 'the mapped address is the same IPv4 client');
  });

  test('14.1 without TRUST_PROXY, X-Forwarded-For is ignored: every post counts against the TCP peer', async () => {
    const n = await node({ limits: { postsAddress: limitRule('2/60') } });
    const t = await createOpenThread(n.services, 'not proxied');
    for (const [k, address] of ['198.51.100.1', '198.51.100.2'].entries()) {
      assert.equal((await request(n, 'POST', `/api/threads/${t.slug}/comments`, { json: comment(`p${k}`), headers: { 'x-forwarded-for': address } })).status, 201);
    }
    limited(await request(n, 'POST', `/api/threads/${t.slug}/comments`, { json: comment('p3'), headers: { 'x-forwarded-for': '198.51.100.3' } }), 'a 3rd post from 127.0.0.1');
  });

  test('14.1 RATE_LIMITS=off lifts the address budgets and the connection caps', async () => {
    const n = await node({
      rateLimits: false,
      socketsPerAddress: 2,
      limits: { postsAddress: limitRule('2/60'), socketHandshakes: limitRule('2/60'), socketEventsAddress: limitRule('2/60') },
    });
    const t = await createOpenThread(n.services, 'off');
    const many = await connectMany(n, 5);
    const acks = await Promise.all(many.map((s, i) => createViaSocket(s, { slug: t.slug, ...comment(`unlimited ${i}`) })));
    for (const ack of acks) assert.ok(ack.ok, JSON.stringify(ack));
  });
});

describe('14.1 behind the nginx of deploy/nginx.conf.template, with TRUST_PROXY=1', () => {
  test('14.1 each reader is counted by the address nginx saw, whatever X-Forwarded-For the client sends', async () => {
    const n = await node({ edge: { trustProxy: true }, limits: { postsAddress: limitRule('2/60'), socketHandshakes: limitRule('3/60') } });
    const nginx = await startNginx({ nodes: [n.baseUrl] });
    try {
      const t = await createOpenThread(n.services, 'nginx');
      const viaNginx = { baseUrl: nginx.url } as TestNode;
      const post = (body: string, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
        request(viaNginx, 'POST', `/api/threads/${t.slug}/comments`, { json: comment(body), ...options });
      // A client inventing a new address for every request is still 127.0.0.1 to nginx.
      for (const [k, forged] of ['198.51.100.1', '198.51.100.2'].entries()) assert.equal((await post(`p${k}`, { headers: { 'x-forwarded-for': forged } })).status, 201);
      limited(await post('p3', { headers: { 'x-forwarded-for': '198.51.100.3' } }), 'a 3rd post from 127.0.0.1, whatever it claims');
      // Another reader, another address as nginx sees it: a budget of its own, over HTTP and over a WebSocket through nginx.
      assert.equal((await post('next door', { localAddress: ELSEWHERE })).status, 201);
      for (let k = 0; k < 3; k++) await sockets.connect(nginx.url, { localAddress: ELSEWHERE });
      limited(await rawHandshake(viaNginx, 'websocket', { localAddress: ELSEWHERE }), 'a 4th connection from 127.0.0.2 through nginx');
      assert.equal((await rawHandshake(viaNginx, 'websocket')).status, 101, '127.0.0.1 has connections left');
    } finally {
      await nginx.stop();
    }
  });
});

describe('14.1 budgets per address are shared by the nodes through Redis', () => {
  const shared = useNodes({ kind: 'sqlite', redis: true, closeNodes: 'afterEach' });

  test('14.1 posts over a socket on node A and over HTTP on node B count against one budget', async () => {
    const start = () => shared.start({ limits: { postsAddress: limitRule('3/60') }, redis: { url: REDIS_URL, prefix: shared.prefix } });
    const [a, b] = [await start(), await start()];
    // Until a node's Redis connection is ready its insurance limiter answers: wait until both count in Redis.
    for (const [i, n] of [a, b].entries()) {
      await waitFor(`node ${i}'s limits to reach Redis`, async () => {
        await n.services.limiters.postsAddress.consume(`probe-${i}`);
        return (await shared.admin.exists(`${shared.prefix}:rl:postsAddress:probe-${i}`)) === 1;
      });
    }
    const t = await createOpenThread(a.services, 'shared');
    const onA = await shared.sockets.connect(a.baseUrl);
    assert.equal((await createViaSocket(onA, { slug: t.slug, ...comment('on A') })).ok, true);
    created(await new HttpGuest(b.baseUrl).post(t.slug, comment('on B')), 'a post on B');
    assert.equal((await createViaSocket(onA, { slug: t.slug, ...comment('on A again') })).ok, true);
    limited(await new HttpGuest(b.baseUrl).post(t.slug, comment('one too many, on B')), 'the 4th post, on B');
    const again = await createViaSocket(await shared.sockets.connect(a.baseUrl), { slug: t.slug, ...comment('one too many, on A') });
    assert.ok(!again.ok && again.error.code === 'rate_limited', JSON.stringify(again));
  });
});
