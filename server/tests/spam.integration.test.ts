import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CommentResponseSchema, QueueItemSchema, type CommentView, type QueueItem } from '../../lib/contract';
import { GUEST_COOKIE, newGuestId, signGuestToken } from '../../lib/domain/guestToken';
import { DEFAULT_SPAM_RULES, type SpamSettings } from '../../lib/services/spam';
import { GUARANTEED_SPAM_AUTHOR, startAkismetTestServer } from '../../lib/services/spam/akismetTestServer';
import { requestFrom } from '../testing/fromAddress';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, TEST_SESSION_SECRET, type TestNode } from '../testing/nodes';
import { createViaSocket } from '../testing/sockets';
import { expectError, expectStatus, staffMember, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNodes } from '../testing/suites';

const KEY = 'spam-test-key';
const PITCH = 'Make $500 a day working from home with this one simple trick. Ask me how!';
const commentOf = (res: HttpResult, status: number, what = ''): CommentView => CommentResponseSchema.parse(expectStatus(res, status, what)).comment;

/** Stands in for Next.js, so that the no-JavaScript form's route is reachable. */
function echoPage(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end('{}');
}

/**
 * Issue 14, point 5: spam that gets through the limits. Each signal is attacked as a spammer
 * would (a new identity dropping a link, one pitch pasted under every article, a script making a
 * new guest per post from one address, an innocent comment edited into an advertisement), over
 * HTTP, the socket and the no-JavaScript form; each ends held with its reason on the moderators'
 * queue, while normal use still posts. The outside Akismet-compatible check runs against a
 * service of the test's own: its verdict holds; slow or failing, posting goes on, marked "not
 * checked", and after failures in a row the service is not asked at all until a probe finds it back.
 */
for (const kind of DATABASE_KINDS) {
  describe(`spam that gets through the limits, on ${kind}`, () => {
    const suite = useNodes({ kind });
    let service: Awaited<ReturnType<typeof startAkismetTestServer>>;
    /** The built-in signals (the new-guest burst off here: every test client shares 127.0.0.1). */
    let node: TestNode;
    /** A burst past three new guests per address is held. */
    let burstNode: TestNode;
    /** With the outside service; its breaker's clock is the test's. */
    let outsideNode: TestNode;
    let offNode: TestNode;
    let clock = Date.now();
    let mod: WebClient;

    before(async () => {
      service = await startAkismetTestServer({ key: KEY });
      const rules = { ...DEFAULT_SPAM_RULES, newGuests: 'off' as const };
      const start = (spam: SpamSettings) => suite.start({ passwordCost: TEST_PASSWORD_COST, pageHandler: echoPage, spam });
      node = await start({ enabled: true, rules });
      burstNode = await start({ enabled: true, rules: { ...DEFAULT_SPAM_RULES, newGuests: { count: 3, windowSeconds: 3600 } } });
      outsideNode = await start({
        enabled: true,
        rules,
        outside: { url: service.url, key: KEY, timeoutMs: 300, languages: ['en', 'de'], breaker: { failures: 3, cooldownMs: 60_000, now: () => clock } },
      });
      offNode = await start({ enabled: false, rules: DEFAULT_SPAM_RULES });
      mod = (await staffMember(node, 'moderator')).client;
    });
    after(() => service?.close());

    /** A reader who has loaded a page: a guest cookie of its own, which its socket sends too. */
    const guest = (on: TestNode = node) => new WebClient(on.baseUrl, { [GUEST_COOKIE]: signGuestToken(newGuestId(), TEST_SESSION_SECRET) });
    const post = async (client: WebClient, slug: string, body: string, authorName = 'Poster') => commentOf(await client.comment(slug, { body, authorName }), 201, `post "${body}"`);
    const edit = (client: WebClient, id: string, body: string) => client.request('PATCH', `/api/comments/${id}`, { json: { body } });

    async function postBySocket(on: TestNode, client: WebClient, slug: string, body: string, options: { authorName?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<CommentView> {
      const socket = await suite.sockets.connect(on.baseUrl, { cookie: client.cookie, ...(options.headers && { headers: options.headers }), ...(options.localAddress && { localAddress: options.localAddress }) });
      const ack = await createViaSocket(socket, { slug, body, authorName: options.authorName ?? 'Socket poster' });
      assert.ok(ack.ok, JSON.stringify(ack));
      return ack.comment;
    }

    /** Posted through the article page's plain HTML form (no JavaScript): a first visit's post, which brings the guest cookie. */
    async function postByForm(on: TestNode, slug: string, body: string, authorName = 'Form poster'): Promise<string> {
      const reader = new HttpGuest(on.baseUrl);
      const res = await reader.request('POST', `/articles/${slug}/comments`, {
        raw: new URLSearchParams({ body, authorName }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(res.status, 303);
      // To the new comment, or (held for review: not in the page everyone gets) to the form, naming it.
      const id = /(?:#c-|[?&]held=)([a-z0-9]+)/.exec(res.headers.get('location') ?? '')?.[1];
      assert.ok(id, `the form posted: ${res.headers.get('location')}`);
      return id;
    }

    async function queueItem(commentId: string): Promise<QueueItem | undefined> {
      const body = expectStatus(await mod.get('/api/moderation/queue'), 200, 'queue') as { items: unknown[] };
      return body.items.map((i) => QueueItemSchema.parse(i)).find((i) => i.comment.id === commentId);
    }

    async function notChecked(): Promise<QueueItem[]> {
      const body = expectStatus(await mod.get('/api/moderation/not-checked'), 200, 'not checked') as { items: unknown[] };
      return body.items.map((i) => QueueItemSchema.parse(i));
    }

    /** What a reader without a cookie gets of the thread. */
    const publicIds = async (on: TestNode, slug: string) => (await new HttpGuest(on.baseUrl).readThread(slug)).comments.map((c) => c.id);

    async function expectHeld(id: string, reason: QueueItem['heldReason'], what: string) {
      const item = await queueItem(id);
      assert.ok(item, `${what}: on the moderators' queue`);
      assert.equal(item.heldReason, reason, what);
      assert.equal(item.comment.status, 'pending');
    }

    test('14.5 a link in a new guest’s first comment is held, by HTTP, the socket and the form; the poster sees it waiting, readers do not; known guests post links', async () => {
      const t = await createOpenThread(node.services, 'first-link');
      const spammer = guest();
      const byHttp = await post(spammer, t.slug, 'Great deals at [cheap pills](https://spam.example/buy)!');
      assert.equal(byHttp.status, 'pending', 'the link went straight out');
      assert.equal(byHttp.body, 'Great deals at [cheap pills](https://spam.example/buy)!', 'the poster sees what they wrote');
      assert.ok(!JSON.stringify(byHttp).includes('spam_'), 'the poster is not told which signal caught them');
      const bySocket = await postBySocket(node, guest(), t.slug, 'visit cheap-pills.com/now');
      assert.equal(bySocket.status, 'pending');
      const byForm = await postByForm(node, t.slug, 'Best prices: www.cheap-pills.net');
      for (const [id, how] of [[byHttp.id, 'HTTP'], [bySocket.id, 'socket'], [byForm, 'form']] as const) await expectHeld(id, 'spam_link_first_comment', how);
      assert.deepEqual(await publicIds(node, t.slug), [], 'no reader sees them');

      // Normal use: a guest whose comment is out may post links; an approved guest too.
      const regular = guest();
      const first = await post(regular, t.slug, 'I read the whole report, it is worth it.');
      assert.equal(first.status, 'visible');
      assert.equal((await post(regular, t.slug, 'Here it is: https://news.example/report')).status, 'visible');
      commentOf(await mod.act(byHttp.id, 'approve'), 200, 'approve');
      assert.equal((await post(spammer, t.slug, 'Another link: https://news.example/more')).status, 'visible', 'a moderator let this guest through');

      // With SPAM_CHECKS=off (load tests), nothing is held.
      const off = await createOpenThread(offNode.services, 'spam-off');
      assert.equal((await post(guest(offNode), off.slug, 'https://spam.example')).status, 'visible');
    });

    test('14.5 one pitch pasted into many threads: the third thread’s copy is held whoever posts it, by HTTP and the socket; short common replies are not', async () => {
      const threads = await Promise.all([1, 2, 3, 4].map((i) => createOpenThread(node.services, `pitch-${i}`)));
      const pitch = `${PITCH} ${threads[0]!.slug}`;
      const first = await post(guest(), threads[0]!.slug, pitch);
      const second = await postBySocket(node, guest(), threads[1]!.slug, pitch.toUpperCase());
      const again = await post(guest(), threads[1]!.slug, pitch);
      const third = await post(guest(), threads[2]!.slug, `  ${pitch.replace(/ /g, '\n ')}  `);
      const fourth = await postBySocket(node, guest(), threads[3]!.slug, pitch);
      assert.deepEqual([first.status, second.status, again.status], ['visible', 'visible', 'visible'], 'two threads are fine, and the same thread twice counts once');
      assert.deepEqual([third.status, fourth.status], ['pending', 'pending'], 'case and spacing do not make it another text');
      await expectHeld(third.id, 'spam_repeated_text', 'the third thread');
      await expectHeld(fourth.id, 'spam_repeated_text', 'the fourth, over the socket');

      for (const t of threads) assert.equal((await post(guest(), t.slug, 'Thank you for this article!')).status, 'visible', 'a short common reply is not a pitch');
    });

    test('14.5 a burst of new guests from one address: past the limit their posts are held, by HTTP and the socket; a known guest and another address still post', async () => {
      const t = await createOpenThread(burstNode.services, 'burst');
      const url = `${burstNode.baseUrl}/api/threads/${t.slug}/comments`;
      // A script dropping its cookie: every post is a new guest, from one address.
      const fromScript = async (address: string, i: number) => {
        const res = await requestFrom(address, url, { json: { body: `Comment number ${i} from a fresh guest`, authorName: `Guest ${i}` } });
        assert.equal(res.status, 201, JSON.stringify(res.json));
        return { comment: CommentResponseSchema.parse(res.json).comment, cookie: res.cookies.find((c) => c.startsWith(`${GUEST_COOKIE}=`)) };
      };
      const posts = [];
      for (let i = 1; i <= 5; i++) posts.push(await fromScript('127.0.5.1', i));
      assert.deepEqual(posts.map((p) => p.comment.status), ['visible', 'visible', 'visible', 'pending', 'pending']);
      await expectHeld(posts[3]!.comment.id, 'spam_new_guest_burst', 'the fourth new guest');
      const bySocket = await postBySocket(burstNode, guest(burstNode), t.slug, 'And one more new guest by socket', { localAddress: '127.0.5.1' });
      assert.equal(bySocket.status, 'pending', 'the socket counts the same address');
      await expectHeld(bySocket.id, 'spam_new_guest_burst', 'by socket');

      // The first guests are known now; another address is another office.
      const known = await requestFrom('127.0.5.1', url, { json: { body: 'Still me, the first guest', authorName: 'Guest 1' }, cookie: posts[0]!.cookie });
      assert.equal(CommentResponseSchema.parse(known.json).comment.status, 'visible');
      assert.equal((await fromScript('127.0.5.2', 6)).comment.status, 'visible');
      // A held guest a moderator lets through is known from then on.
      commentOf(await mod.on(burstNode.baseUrl).act(posts[3]!.comment.id, 'approve'), 200, 'approve');
      const approved = await requestFrom('127.0.5.1', url, { json: { body: 'Thanks for letting me in', authorName: 'Guest 4' }, cookie: posts[3]!.cookie });
      assert.equal(CommentResponseSchema.parse(approved.json).comment.status, 'visible');
    });

    test('14.5 a comment edited into spam goes back to review with its reason; a typo fixed in an approved comment with a link does not', async () => {
      const t = await createOpenThread(node.services, 'edit-spam');
      const innocent = guest();
      const first = await post(innocent, t.slug, 'A thoughtful, harmless comment.');
      assert.equal(first.status, 'visible');
      const spammed = commentOf(await edit(innocent, first.id, 'A thoughtful, harmless comment. Cheap pills: https://spam.example/buy'), 200, 'edit');
      assert.equal(spammed.status, 'pending', 'the edit went straight out');
      await expectHeld(first.id, 'spam_link_first_comment', 'edited into a link');
      assert.deepEqual(await publicIds(node, t.slug), []);

      // A first comment held for its link, approved by a moderator: fixing a typo keeps it out; a new link goes back.
      const linker = guest();
      const held = await post(linker, t.slug, 'Sourec: https://news.example/report');
      commentOf(await mod.act(held.id, 'approve'), 200, 'approve');
      assert.equal(commentOf(await edit(linker, held.id, 'Source: https://news.example/report'), 200, 'typo').status, 'visible');
      assert.equal(commentOf(await edit(linker, held.id, 'Source: https://cheap-pills.net'), 200, 'new link').status, 'pending');
      await expectHeld(held.id, 'spam_link_first_comment', 'a new link in the approved comment');

      // A known guest editing a comment into a pitch that is in two other threads already.
      const others = await Promise.all([1, 2].map((i) => createOpenThread(node.services, `edit-pitch-${i}`)));
      const pitch = `${PITCH} (edit ${t.slug})`;
      for (const o of others) await post(guest(), o.slug, pitch);
      const known = guest();
      await post(known, t.slug, 'My first comment, harmless.');
      const second = await post(known, t.slug, 'My second comment, harmless too.');
      assert.equal(commentOf(await edit(known, second.id, pitch), 200, 'edited into the pitch').status, 'pending');
      await expectHeld(second.id, 'spam_repeated_text', 'edited into a repeated text');
      expectError(await edit(known, second.id, 'Back to harmless?'), 409, 'comment_held', 'a held comment waits for the moderator');
    });

    test('14.5 the spam service’s verdict holds the comment; it is told the reader’s address, user agent and referrer, by HTTP, the socket and the form', async () => {
      const t = await createOpenThread(outsideNode.services, 'outside');
      service.answer((form) => (form.get('comment_author') === GUARANTEED_SPAM_AUTHOR ? 'spam' : 'ham'));
      const before = service.received.length;
      const reader = guest(outsideNode);
      const headers = { 'user-agent': 'Mozilla/5.0 (spam test)', referer: `${outsideNode.baseUrl}/articles/${t.slug}` };
      const held = commentOf(await reader.request('POST', `/api/threads/${t.slug}/comments`, { json: { body: 'Buy now', authorName: GUARANTEED_SPAM_AUTHOR }, headers }), 201);
      assert.equal(held.status, 'pending');
      await expectHeld(held.id, 'spam_external', 'by HTTP');
      const check = service.received[before]!.form;
      assert.deepEqual(
        ['user_ip', 'user_agent', 'referrer', 'blog', 'permalink', 'comment_type', 'comment_author', 'comment_content', 'api_key'].map((k) => check.get(k)),
        ['127.0.0.1', headers['user-agent'], headers.referer, outsideNode.baseUrl, `${outsideNode.baseUrl}/articles/${t.slug}`, 'comment', GUARANTEED_SPAM_AUTHOR, 'Buy now', KEY],
      );
      assert.match(check.get('comment_date_gmt') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const bySocket = await postBySocket(outsideNode, guest(outsideNode), t.slug, 'Buy now', { authorName: GUARANTEED_SPAM_AUTHOR, headers: { 'user-agent': 'SocketBrowser/1.0' } });
      assert.equal(bySocket.status, 'pending');
      await expectHeld(bySocket.id, 'spam_external', 'by socket');
      assert.equal(service.received.at(-1)!.form.get('user_agent'), 'SocketBrowser/1.0', 'the handshake’s user agent');
      const byForm = await postByForm(outsideNode, t.slug, 'Buy now', GUARANTEED_SPAM_AUTHOR);
      await expectHeld(byForm, 'spam_external', 'by form');

      // Not spam: out at once, and not marked.
      const fine = await post(guest(outsideNode), t.slug, 'A fine comment about the article.');
      assert.equal(fine.status, 'visible');
      assert.ok(!(await notChecked()).some((i) => i.comment.id === fine.id));
      // What the built-in signals hold is not sent out at all.
      const sent = service.received.length;
      assert.equal((await post(guest(outsideNode), t.slug, 'https://spam.example')).status, 'pending');
      assert.equal(service.received.length, sent);
    });

    test('14.5 a slow or failing spam service: comments are posted, marked not checked for the moderators; after three failures it is not asked until a probe finds it back', async () => {
      const t = await createOpenThread(outsideNode.services, 'outage');
      service.answer('hang');
      const slow = await post(guest(outsideNode), t.slug, 'Posted while the service hangs.');
      assert.equal(slow.status, 'visible', 'a slow service does not hold the comment: the post went on after the timeout');
      service.answer('fail');
      const failed = await post(guest(outsideNode), t.slug, 'Posted while the service fails.');
      service.answer('invalid');
      const invalid = await postBySocket(outsideNode, guest(outsideNode), t.slug, 'Posted while the service answers nonsense.');
      assert.deepEqual([failed.status, invalid.status], ['visible', 'visible']);

      // Three failures in a row: the breaker is open, and posts do not wait for the service at all.
      const asked = service.received.length;
      const unasked = [await post(guest(outsideNode), t.slug, 'Posted while the breaker is open.'), await postBySocket(outsideNode, guest(outsideNode), t.slug, 'Also while open, by socket.')];
      assert.equal(service.received.length, asked, 'no request reached the service while the breaker was open');
      assert.deepEqual(unasked.map((c) => c.status), ['visible', 'visible']);

      const marks = new Map((await notChecked()).map((i) => [i.comment.id, i.notChecked]));
      assert.deepEqual(
        [slow, failed, invalid, ...unasked].map((c) => marks.get(c.id)),
        ['timeout', 'error', 'error', 'unavailable', 'unavailable'],
        'each is marked with why, for the moderators',
      );
      assert.deepEqual(await publicIds(outsideNode, t.slug), [slow, failed, invalid, ...unasked].map((c) => c.id), 'readers see them, without the mark');

      // A report puts one on the queue: the desk's item says it was not checked.
      expectStatus(await guest(outsideNode).report(slow.id, { category: 'spam' }), 201, 'report');
      assert.equal((await queueItem(slow.id))?.notChecked, 'timeout');

      // The cooldown passes and the service is back: one probe reaches it, and checking resumes.
      service.answer((form) => (form.get('comment_author') === GUARANTEED_SPAM_AUTHOR ? 'spam' : 'ham'));
      clock += 60_000;
      const probed = await post(guest(outsideNode), t.slug, 'Posted once it is back.');
      assert.equal(service.received.length, asked + 1, 'the probe');
      assert.equal(probed.status, 'visible');
      const spam = commentOf(await guest(outsideNode).comment(t.slug, { body: 'Buy now', authorName: GUARANTEED_SPAM_AUTHOR }), 201);
      assert.equal(spam.status, 'pending', 'checked again');
      assert.ok(!(await notChecked()).some((i) => i.comment.id === probed.id));

      // A moderator keeps one (approve), which clears its mark; keeping it twice is already handled. Removing takes another off the list.
      commentOf(await mod.act(failed.id, 'approve'), 200, 'keep');
      expectError(await mod.act(failed.id, 'approve'), 409, 'already_handled');
      commentOf(await mod.act(invalid.id, 'remove'), 200, 'remove');
      const left = (await notChecked()).map((i) => i.comment.id);
      assert.ok(!left.includes(failed.id) && !left.includes(invalid.id) && left.includes(unasked[0]!.id), JSON.stringify(left));
    });

    test('14.5 an edit the service can check again clears the mark; one it cannot marks it', async () => {
      const t = await createOpenThread(outsideNode.services, 'recheck');
      const author = guest(outsideNode);
      service.answer('fail');
      // The breaker may be closed or open here; either way the comment is not checked.
      const comment = await post(author, t.slug, 'Posted while the service fails, then corrected.');
      assert.ok((await notChecked()).some((i) => i.comment.id === comment.id));
      clock += 60_000;
      service.answer('ham');
      const asked = service.received.length;
      assert.equal(commentOf(await edit(author, comment.id, 'Posted while the service failed, now corrected.'), 200, 'edit').status, 'visible');
      assert.equal(service.received.length, asked + 1);
      assert.equal(service.received.at(-1)!.form.get('recheck_reason'), 'edit');
      assert.ok(!(await notChecked()).some((i) => i.comment.id === comment.id), 'the corrected text was checked');

      service.answer('fail');
      assert.equal(commentOf(await edit(author, comment.id, 'Corrected once more while the service fails.'), 200, 'edit').status, 'visible');
      assert.equal((await notChecked()).find((i) => i.comment.id === comment.id)?.notChecked, 'error', 'the new text was not checked');
    });
  });
}
