import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommentView } from '../../lib/contract/api';
import { NotificationSettingsResponseSchema } from '../../lib/contract/mail';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { createMailService, type MailSettings } from '../../lib/services/mail/mailService';
import { createOutboxDeliverer, type OutboxDeliverer } from '../mail/outboxDeliverer';
import { createSmtpMailer } from '../mail/smtpMailer';
import { silentLogger } from '../log';
import { openStore } from '../../lib/store';
import { STAFF_COOKIE } from '../http/staffSession';
import { createOpenThread, TEST_PASSWORD_COST, TEST_SESSION_SECRET } from '../testing/nodes';
import { freshAddress, noticeRows, type NoticeRows } from '../testing/notices';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../testing/smtpServer';
import { expectError, expectStatus, staffMember, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';
import type { HttpResult } from '../testing/http';

/**
 * Email for notices (issue 17, docs/email.md) on a real node, a real SMTP server (smtp-server) and
 * both engines: the settings and the address's proof over HTTP; batches, the digest, the queue's
 * alert and unsubscribing, read back from the mails that arrived; and the outbox through a server
 * that refuses, asks to try later, stalls or drops the connection mid-mail: nothing lost, nothing twice.
 * Clocks move through the injected `now`; the jobs and the deliverer run one round when the test says.
 */
const PUBLIC_URL = 'http://comments.test';
const SITE = { name: 'The Test Times', address: 'Test Times Ltd, 1 Press Lane, 12345 Testtown', publicUrl: PUBLIC_URL };
const BATCH_MS = 300_000;
const MAIL: MailSettings = { site: SITE, batchMs: BATCH_MS, digestHourUtc: 7, queueAlertMs: 30 * 60_000 };

for (const kind of DATABASE_KINDS) {
  describe(`email for notices (${kind})`, () => {
    let smtp: TestSmtpServer;
    let mailer: ReturnType<typeof createSmtpMailer>;
    let rows: NoticeRows;
    let deliverer: OutboxDeliverer;
    // The clock of the mail service and the deliverer: moved instead of waiting.
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    const iso = (ms = now()) => new Date(ms).toISOString();

    before(async () => {
      smtp = await startSmtpServer();
      mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'Comments <comments@news.test>', timeoutMs: 1500 });
    });
    after(async () => {
      mailer.close();
      await smtp.close();
      await rows?.close();
    });

    const suite = useNode(kind, {
      // Its staff sign in with passwords: hashed at the cheap test cost, not OWASP's (a quarter second a hash).
      passwordCost: TEST_PASSWORD_COST,
      // Stands in for Next.js: the account page's forms are answered outside /api only on a node with pages.
      pageHandler: (_req, res) => void res.end('page'),
      limits: { emailLinks: { points: 1000, durationSeconds: 3600 } },
      // The notices are written by the tests (server/testing/notices.ts): the notifier’s own are the subject of notifications.integration.test.ts and noticeMail.integration.test.ts
      notifications: false,
      services: (store, defaults) => ({ ...defaults, mail: createMailService({ store, settings: MAIL, sessionSecret: TEST_SESSION_SECRET, perAddress: defaults.limiters.emailLinks, now }) }),
    });

    before(() => {
      rows = noticeRows(suite.db);
      deliverer = createOutboxDeliverer({ store: suite.node.store.mail, mailer, log: silentLogger, now, random: () => 0, backoffBaseMs: 60_000, maxAttempts: 3, sendTimeoutMs: 1500 });
    });

    /** Every mail due now, attempted once each. */
    async function deliver(): Promise<number> {
      let total = 0;
      for (let n = await deliverer.runOnce(); n > 0; n = await deliverer.runOnce()) total += n;
      return total;
    }

    /** A signed-in commenter whose address a provider proved (as an email-link or OIDC sign-in does). */
    async function person(name: string, email: string | null = freshAddress(name.toLowerCase())): Promise<{ id: string; client: WebClient; email: string | null }> {
      const identity: ProvenIdentity = email
        ? { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name, badges: null }
        : { method: 'sso', provider: 'sso', subject: `sso-${name}-${Math.random()}`, email: null, emailVerified: false, name, badges: null };
      const { token, user } = await suite.node.services.auth.signInWith({ identity, userAgent: 'test' });
      return { id: user.id, client: new WebClient(suite.node.baseUrl, { [STAFF_COOKIE]: token }), email };
    }

    function posted(res: HttpResult): CommentView {
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { comment: CommentView }).comment;
    }

    async function thread(label: string) {
      const t = await createOpenThread(suite.node.services, label);
      const row = await suite.node.store.findThreadRowBySlug(t.slug);
      return { slug: t.slug, id: row!.id };
    }

    /** A path on the node from a link in a mail (links point at PUBLIC_URL). */
    const onNode = (link: string) => {
      const url = new URL(link);
      assert.equal(url.origin, PUBLIC_URL, 'links point at PUBLIC_URL');
      return `${url.pathname}${url.search}`;
    };
    const unsubscribeLink = (mail: ReceivedMail) => /^<(.+)>$/.exec(mail.headers['list-unsubscribe'] ?? '')?.[1] ?? assert.fail(`a List-Unsubscribe header: ${JSON.stringify(mail.headers)}`);
    const settingsOf = async (client: WebClient) => NotificationSettingsResponseSchema.parse(expectStatus(await client.get('/api/me/notification-settings'), 200)).settings;

    test('settings: defaults per kind, a change kept, bad input refused by field; the queue’s alert is for staff only', async () => {
      const ann = await person('Ann');
      const settings = await settingsOf(ann.client);
      assert.equal(settings.emailEnabled, true);
      assert.deepEqual(settings.email, { address: ann.email, verified: true, pending: null });
      assert.deepEqual(settings.choices, { reply: 'immediate', mention: 'immediate', moderation: 'immediate', followed: 'daily', featured: 'immediate' });
      assert.deepEqual(settings.allowed.followed, ['daily', 'never']);

      const changed = expectStatus(await ann.client.request('PUT', '/api/me/notification-settings', { json: { choices: { reply: 'daily', mention: 'never' } } }), 200);
      assert.deepEqual(NotificationSettingsResponseSchema.parse(changed).settings.choices, { reply: 'daily', mention: 'never', moderation: 'immediate', followed: 'daily', featured: 'immediate' });

      assert.deepEqual(expectError(await ann.client.request('PUT', '/api/me/notification-settings', { json: { choices: { followed: 'immediate' } } }), 400, 'invalid_request').fields, {
        'choices.followed': ['expected one of daily, never'],
      });
      expectError(await ann.client.request('PUT', '/api/me/notification-settings', { json: { choices: { sms: 'never' } } }), 400, 'invalid_request', 'an unknown kind');
      expectError(await ann.client.request('PUT', '/api/me/notification-settings', { json: { choices: 'all' } }), 400, 'invalid_request', 'not an object');
      assert.ok(expectError(await ann.client.request('PUT', '/api/me/notification-settings', { json: { choices: { queue: 'immediate' } } }), 400, 'invalid_request').fields?.['choices.queue']);
      expectError(await new WebClient(suite.node.baseUrl).get('/api/me/notification-settings'), 401, 'sign_in_required');

      const { client: mod } = await staffMember(suite.node, 'moderator');
      const staff = NotificationSettingsResponseSchema.parse(expectStatus(await mod.request('PUT', '/api/me/notification-settings', { json: { choices: { queue: 'immediate' } } }), 200)).settings;
      assert.equal(staff.choices.queue, 'immediate');
      assert.equal(staff.email.address, null, 'a password sign-in proves no address');
    });

    test('an address: a link through the outbox; followed (signed in or not) it becomes the account’s, once; a bad, used or taken link is refused by reason', async () => {
      const bob = await person('Bob', null);
      const address = freshAddress('bob');
      expectError(await bob.client.request('PUT', '/api/me/email', { json: { email: 'not an address' } }), 400, 'invalid_request');
      const asked = expectStatus(await bob.client.request('PUT', '/api/me/email', { json: { email: `  ${address.toUpperCase()} ` } }), 202);
      assert.deepEqual(asked, { pending: address });
      assert.equal((await settingsOf(bob.client)).email.pending, address);
      assert.equal(await deliver(), 1);
      const [mail] = smtp.mailsTo(address);
      assert.ok(mail, 'the confirmation mail arrived');
      assert.equal(mail.headers['list-unsubscribe'], undefined, 'a mail the person asked for is no list mail');
      assert.match(mail.text, new RegExp(SITE.address));
      const link = /http:\/\/comments\.test\/api\/email\/verify\?t=[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? assert.fail(mail.text);

      // Followed in a browser that is not signed in (the mail read on a phone).
      const followed = await new WebClient(suite.node.baseUrl).get(onNode(link));
      assert.equal(followed.status, 303);
      assert.equal(followed.headers.get('location'), '/account?email=verified#email');
      assert.deepEqual((await settingsOf(bob.client)).email, { address, verified: true, pending: null });
      const again = await new WebClient(suite.node.baseUrl).get(onNode(link));
      assert.equal(again.headers.get('location'), '/account?emailError=email_link_invalid&reason=used#email');
      const bad = await new WebClient(suite.node.baseUrl).get('/api/email/verify?t=nonsense');
      assert.equal(bad.headers.get('location'), '/account?emailError=email_link_invalid&reason=malformed#email');

      // Another account cannot take an address someone has proved (email sign-in finds the account by it).
      const cat = await person('Cat', null);
      expectStatus(await cat.client.request('PUT', '/api/me/email', { json: { email: address } }), 202);
      await deliver();
      const catLink = /http:\/\/comments\.test\/api\/email\/verify\?t=[A-Za-z0-9_-]+/.exec(smtp.mailsTo(address)[1]?.text ?? '')?.[0] ?? assert.fail('a second mail');
      const taken = await new WebClient(suite.node.baseUrl).get(onNode(catLink));
      assert.equal(taken.headers.get('location'), '/account?emailError=email_link_invalid&reason=taken#email');
      assert.equal((await settingsOf(cat.client)).email.address, null);
    });

    test('without JavaScript: the account page’s forms post from the page and come back to it', async () => {
      const dan = await person('Dan', null);
      const address = freshAddress('dan');
      const sent = await dan.client.request('POST', '/account/email', { raw: `email=${encodeURIComponent(address)}`, contentType: 'application/x-www-form-urlencoded' });
      assert.equal(sent.status, 303);
      assert.equal(sent.headers.get('location'), `/account?email=sent&to=${encodeURIComponent(address)}#email`);
      const saved = await dan.client.request('POST', '/account/notification-settings', { raw: 'reply=never&mention=daily&moderation=immediate&followed=never', contentType: 'application/x-www-form-urlencoded' });
      assert.equal(saved.headers.get('location'), '/account?email=saved#email');
      assert.deepEqual((await settingsOf(dan.client)).choices, { reply: 'never', mention: 'daily', moderation: 'immediate', followed: 'never', featured: 'immediate' });
      const refused = await dan.client.request('POST', '/account/notification-settings', { raw: 'followed=immediate', contentType: 'application/x-www-form-urlencoded' });
      assert.equal(refused.headers.get('location'), '/account?emailError=invalid_request&field=choices.followed#email');
      // A post that does not say it came from this site's page is refused, and changes nothing.
      const forged = await dan.client.request('POST', '/account/notification-settings', { raw: 'reply=immediate', contentType: 'application/x-www-form-urlencoded', origin: null });
      assert.equal(forged.headers.get('location'), '/account?emailError=form_token_invalid#email');
      assert.equal((await settingsOf(dan.client)).choices.reply, 'never');
      await deliver();
    });

    test('batching: several notices within the window make ONE mail, after the window; both parts, the site, the headers; then nothing twice', async () => {
      const eve = await person('Eve');
      const t = await thread('batch');
      const top = posted(await eve.client.comment(t.slug, { body: 'what do you think?', authorName: 'x' }));
      const repliers = await Promise.all(['Fay', 'Gus', 'Hal'].map((n) => person(n)));
      const ids: string[] = [];
      const first = now();
      for (const [i, r] of repliers.entries()) {
        const reply = posted(await r.client.comment(t.slug, { body: `**Reply ${i}**: I think _so_`, authorName: 'x', parentId: top.id }));
        ids.push(await rows.notice({ recipientId: eve.id, kind: 'reply', threadId: t.id, commentId: reply.id, actorId: r.id, actorName: reply.author.name, createdAt: iso(first + i * 60_000) }));
      }
      await suite.node.services.mail.mailNotices(first + BATCH_MS - 1);
      assert.equal(await rows.mailedAt(ids[0]!), null, 'inside the window nothing is taken');

      offsetMs += BATCH_MS + 3 * 60_000;
      await suite.node.services.mail.mailNotices(now());
      await suite.node.services.mail.mailNotices(now());
      assert.equal(await deliver(), 1);
      const mails = smtp.mailsTo(eve.email!);
      assert.equal(mails.length, 1, 'one mail for three replies');
      const [mail] = mails as [ReceivedMail];
      assert.deepEqual(mail.to, [eve.email]);
      assert.equal(mail.from, 'comments@news.test');
      assert.equal(mail.subject, '3 new notices for you (The Test Times)');
      assert.equal(mail.text.match(/ replied to you in /g)?.length, 3);
      assert.match(mail.text, /Reply 0: I think so/);
      assert.match(mail.html, /<q>Reply 2: I think so<\/q>/);
      assert.ok(mail.text.includes(SITE.address) && mail.html.includes(SITE.address), 'the postal address in both parts');
      assert.ok(mail.text.includes(SITE.name) && mail.html.includes(SITE.name), 'the site’s name in both parts');
      assert.ok(mail.text.includes(`${PUBLIC_URL}/articles/${t.slug}/comments/`), 'links to the comments');
      assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.match(unsubscribeLink(mail), /^http:\/\/comments\.test\/api\/unsubscribe\?t=/);
      assert.equal(mail.headers['auto-submitted'], 'auto-generated');
      const [sent] = await suite.node.store.mail.list({ state: 'sent', limit: 500 }).then((list) => list.filter((m) => m.to === eve.email));
      assert.equal(sent?.messageId, mail.messageId, 'the Message-ID fixed in the outbox is the one sent');
      assert.equal(sent?.text, '', 'a sent mail’s text is not kept');
      for (const id of ids) assert.ok(await rows.mailedAt(id));

      offsetMs += BATCH_MS * 2;
      await suite.node.services.mail.mailNotices(now());
      assert.equal(await deliver(), 0, 'nothing twice');
    });

    test('at mail time: a removed comment, a shadow-banned or banned actor, a decision since undone, `never`, no proven address: marked, not mailed', async () => {
      const ida = await person('Ida');
      const t = await thread('exclusions');
      const top = posted(await ida.client.comment(t.slug, { body: 'mine', authorName: 'x' }));
      const { client: mod } = await staffMember(suite.node, 'moderator');
      const at = iso();
      const kept = await person('Kept');
      const keptReply = posted(await kept.client.comment(t.slug, { body: 'a reply that stays', authorName: 'x', parentId: top.id }));
      const gone = posted(await kept.client.comment(t.slug, { body: 'a reply since removed', authorName: 'x', parentId: top.id }));
      expectStatus(await mod.act(gone.id, 'remove', 'spam'), 200);
      const shady = await person('Shady');
      const shadyReply = posted(await shady.client.comment(t.slug, { body: 'before the shadow-ban', authorName: 'x', parentId: top.id }));
      expectStatus(await mod.request('PUT', `/api/people/${shady.id}/shadow-ban`, { json: { shadowBanned: true } }), 200);
      const banned = await person('Banned');
      const bannedReply = posted(await banned.client.comment(t.slug, { body: 'before the ban', authorName: 'x', parentId: top.id }));
      expectStatus(await mod.post('/api/bans', { guestId: banned.id, reason: 'abuse' }), 201);
      const notices = [
        await rows.notice({ recipientId: ida.id, kind: 'reply', threadId: t.id, commentId: keptReply.id, actorId: kept.id, actorName: 'Kept', createdAt: at }),
        await rows.notice({ recipientId: ida.id, kind: 'reply', threadId: t.id, commentId: gone.id, actorId: kept.id, actorName: 'Kept', createdAt: at }),
        await rows.notice({ recipientId: ida.id, kind: 'mention', threadId: t.id, commentId: shadyReply.id, actorId: shady.id, actorName: 'Shady', createdAt: at }),
        await rows.notice({ recipientId: ida.id, kind: 'reply', threadId: t.id, commentId: bannedReply.id, actorId: banned.id, actorName: 'Banned', createdAt: at }),
        // Held, then approved: the "held" notice no longer says what is so.
        await rows.notice({ recipientId: ida.id, kind: 'moderation', threadId: t.id, commentId: top.id, decision: 'held', createdAt: at }),
      ];
      // A shadow-banned person's held comment: they are never told it is held (it must look posted to them).
      const shadowed = posted(await shady.client.comment(t.slug, { body: 'after the shadow-ban', authorName: 'x' }));
      const stored = await suite.node.store.findComment({ id: shadowed.id });
      assert.deepEqual([stored?.status, stored?.heldReason], ['pending', 'shadow_banned'], 'held, though it looks posted to them');
      const unseen = await rows.notice({ recipientId: shady.id, kind: 'moderation', threadId: t.id, commentId: shadowed.id, decision: 'held', createdAt: at });
      // Someone who chose `never`, and someone with no proven address.
      const jo = await person('Jo');
      expectStatus(await jo.client.request('PUT', '/api/me/notification-settings', { json: { choices: { reply: 'never' } } }), 200);
      const kim = await person('Kim', null);
      const quiet = [
        await rows.notice({ recipientId: jo.id, kind: 'reply', threadId: t.id, commentId: keptReply.id, actorId: kept.id, actorName: 'Kept', createdAt: at }),
        await rows.notice({ recipientId: kim.id, kind: 'reply', threadId: t.id, commentId: keptReply.id, actorId: kept.id, actorName: 'Kept', createdAt: at }),
      ];

      offsetMs += BATCH_MS + 1000;
      await suite.node.services.mail.mailNotices(now());
      await deliver();
      const [mail, ...more] = smtp.mailsTo(ida.email!);
      assert.equal(more.length, 0);
      assert.ok(mail);
      assert.equal(mail.subject, 'Kept replied to you (The Test Times)', 'only the notice still worth telling');
      assert.doesNotMatch(mail.text, /since removed|shadow-ban|before the ban|waiting for a moderator/);
      assert.equal(smtp.mailsTo(jo.email!).length, 0, '`never`');
      assert.equal(smtp.mailsTo(shady.email!).length, 0, 'no word of a shadow-banned person’s hold');
      for (const id of [...notices, ...quiet, unseen]) assert.ok(await rows.mailedAt(id), 'every one is marked, so none waits forever');
    });

    test('two nodes taking the same person’s batch at once: one mail', async () => {
      const lou = await person('Lou');
      const t = await thread('race');
      const top = posted(await lou.client.comment(t.slug, { body: 'mine', authorName: 'x' }));
      const other = await person('Max');
      for (let i = 0; i < 5; i++) {
        const reply = posted(await other.client.comment(t.slug, { body: `reply ${i}`, authorName: 'x', parentId: top.id }));
        await rows.notice({ recipientId: lou.id, kind: 'reply', threadId: t.id, commentId: reply.id, actorId: other.id, actorName: 'Max', createdAt: iso() });
      }
      offsetMs += BATCH_MS + 1000;
      // On PostgreSQL a second mail service on connections of its own: another node. (SQLite is one node's database.)
      const second = kind === 'postgres' ? await openStore({ databaseUrl: suite.db.databaseUrl, dataDir: suite.db.dataDir }) : undefined;
      try {
        const otherNode = second ? createMailService({ store: second, settings: MAIL, sessionSecret: TEST_SESSION_SECRET, perAddress: suite.node.services.limiters.emailLinks, now }) : suite.node.services.mail;
        await Promise.all([suite.node.services.mail.mailNotices(now()), otherNode.mailNotices(now()), suite.node.services.mail.mailNotices(now()), otherNode.mailNotices(now())]);
      } finally {
        await second?.close();
      }
      await deliver();
      assert.equal(smtp.mailsTo(lou.email!).length, 1);
      assert.match(smtp.mailsTo(lou.email!)[0]!.subject, /^5 new notices/);
    });

    test('one-click unsubscribe (RFC 8058) without signing in; the page that confirms with a button; a forged link refused', async () => {
      const nia = await person('Nia');
      const t = await thread('unsubscribe');
      const top = posted(await nia.client.comment(t.slug, { body: 'mine', authorName: 'x' }));
      const oz = await person('Oz');
      const reply = posted(await oz.client.comment(t.slug, { body: 'hello @Nia', authorName: 'x', parentId: top.id }));
      await rows.notice({ recipientId: nia.id, kind: 'mention', threadId: t.id, commentId: reply.id, actorId: oz.id, actorName: 'Oz', createdAt: iso() });
      offsetMs += BATCH_MS + 1000;
      await suite.node.services.mail.mailNotices(now());
      await deliver();
      const mail = smtp.mailsTo(nia.email!)[0] ?? assert.fail('a mail');
      assert.equal(mail.subject, 'Oz mentioned you (The Test Times)');
      const path = onNode(unsubscribeLink(mail));

      // The page: nothing changes on GET.
      const page = await new WebClient(suite.node.baseUrl).get(path);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(String(page.body), /<form method="post" action="\/api\/unsubscribe\?t=[^"]+"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe<\/button>/);
      assert.match(String(page.body), /mentions of your name/i);
      assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self'/);
      assert.equal((await settingsOf(nia.client)).choices.mention, 'immediate');

      // What a mail client posts: the form body of RFC 8058, no cookie, no Origin.
      const oneClick = await new WebClient(suite.node.baseUrl).request('POST', path, { raw: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded', origin: null });
      assert.equal(oneClick.status, 200, String(oneClick.body));
      assert.match(String(oneClick.body), /no more emails about mentions of your name/i);
      assert.equal((await settingsOf(nia.client)).choices.mention, 'never');
      assert.equal((await settingsOf(nia.client)).choices.reply, 'immediate', 'only the kind the mail was about');
      // Again (a client that retries, the page's button after it): the same answer.
      assert.equal((await new WebClient(suite.node.baseUrl).request('POST', path, { raw: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded', origin: null })).status, 200);

      // The next mention is not mailed.
      const next = posted(await oz.client.comment(t.slug, { body: 'again @Nia', authorName: 'x', parentId: top.id }));
      const id = await rows.notice({ recipientId: nia.id, kind: 'mention', threadId: t.id, commentId: next.id, actorId: oz.id, actorName: 'Oz', createdAt: iso() });
      offsetMs += BATCH_MS + 1000;
      await suite.node.services.mail.mailNotices(now());
      await deliver();
      assert.equal(smtp.mailsTo(nia.email!).length, 1);
      assert.ok(await rows.mailedAt(id));

      // A token for another person, or another kind, or none: refused, nothing changes.
      const token = new URL(unsubscribeLink(mail)).searchParams.get('t')!;
      const [, kinds, signature] = token.split('.');
      for (const forged of [`${oz.id}.${kinds}.${signature}`, `${nia.id}.reply.${signature}`, 'x', '']) {
        const res = await new WebClient(suite.node.baseUrl).request('POST', `/api/unsubscribe?t=${encodeURIComponent(forged)}`, { raw: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded', origin: null });
        assert.equal(res.status, 400, forged);
        assert.equal((await new WebClient(suite.node.baseUrl).get(`/api/unsubscribe?t=${encodeURIComponent(forged)}`)).status, 400);
      }
      assert.equal((await settingsOf(oz.client)).choices.mention, 'immediate');
      assert.equal((await settingsOf(nia.client)).choices.reply, 'immediate');
    });

    test('the daily digest: `daily` notices and new top-level comments of followed threads, once a day, at DIGEST_HOUR_UTC', async () => {
      // The digest's hour is this hour, so that today's digest is due now; comments are stored at the store's (real) time.
      const digests = createMailService({ store: suite.node.store, settings: { ...MAIL, digestHourUtc: new Date().getUTCHours() }, sessionSecret: TEST_SESSION_SECRET, perAddress: suite.node.services.limiters.emailLinks, now: Date.now });
      const pia = await person('Pia');
      expectStatus(await pia.client.request('PUT', '/api/me/notification-settings', { json: { choices: { reply: 'daily' } } }), 200);
      const t = await thread('digest');
      const followed = await thread('followed');
      const top = posted(await pia.client.comment(t.slug, { body: 'mine', authorName: 'x' }));
      const quinn = await person('Quinn');
      const reply = posted(await quinn.client.comment(t.slug, { body: 'a daily reply', authorName: 'x', parentId: top.id }));
      await rows.notice({ recipientId: pia.id, kind: 'reply', threadId: t.id, commentId: reply.id, actorId: quinn.id, actorName: 'Quinn', createdAt: new Date().toISOString() });
      await rows.follow({ ownerId: pia.id, threadId: followed.id, at: new Date(Date.now() - 1000).toISOString() });
      const news = posted(await quinn.client.comment(followed.slug, { body: 'news in a followed thread', authorName: 'x' }));
      posted(await quinn.client.comment(followed.slug, { body: 'a reply is no top-level news', authorName: 'x', parentId: news.id }));
      posted(await pia.client.comment(followed.slug, { body: 'her own comment is no news to her', authorName: 'x' }));

      // The batch leaves `daily` notices to the digest.
      offsetMs += BATCH_MS + 1000;
      await suite.node.services.mail.mailNotices(now());
      await deliver();
      assert.equal(smtp.mailsTo(pia.email!).length, 0);

      await Promise.all([digests.mailDigests(Date.now()), digests.mailDigests(Date.now())]);
      await deliver();
      const sent = smtp.mailsTo(pia.email!);
      assert.equal(sent.length, 1, 'one digest, however many rounds');
      const digest = sent[0]!;
      assert.equal(digest.subject, 'Your daily digest (The Test Times)');
      assert.match(digest.text, /Quinn replied to you/);
      assert.match(digest.text, /news in a followed thread/);
      assert.doesNotMatch(digest.text, /no top-level news|no news to her/);
      assert.ok(digest.html.includes(SITE.address));
      assert.equal(digest.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');

      // Again the same day: no second digest. The next day: only what is new.
      await digests.mailDigests(Date.now());
      assert.equal(await deliver(), 0);
      posted(await quinn.client.comment(followed.slug, { body: 'the next day’s news', authorName: 'x' }));
      const nextDay = Date.now() + 24 * 60 * 60_000;
      offsetMs = Math.max(offsetMs, nextDay - Date.now());
      await digests.mailDigests(nextDay);
      await deliver();
      const second = smtp.mailsTo(pia.email!)[1] ?? assert.fail('the next day’s digest');
      assert.match(second.text, /the next day’s news/);
      assert.doesNotMatch(second.text, /a daily reply|news in a followed thread/);

      // Unsubscribing from the digest stops what it carried.
      const res = await new WebClient(suite.node.baseUrl).request('POST', onNode(unsubscribeLink(second)), { raw: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded', origin: null });
      assert.equal(res.status, 200);
      assert.equal((await settingsOf(pia.client)).choices.followed, 'never');
    });

    test('the queue’s alert: once per wait, to the moderators who chose it, with a proven address', async () => {
      const { account, client: mod } = await staffMember(suite.node, 'moderator');
      const modId = (await suite.node.store.accounts.findUserByUsername(account.username))!.id;
      const modAddress = freshAddress('mod');
      await rows.verifiedAddress(modId, modAddress);
      expectStatus(await mod.request('PUT', '/api/me/notification-settings', { json: { choices: { queue: 'immediate' } } }), 200);
      const { account: quiet } = await staffMember(suite.node, 'moderator');
      await rows.verifiedAddress((await suite.node.store.accounts.findUserByUsername(quiet.username))!.id, freshAddress('quiet'));
      // The queue as the desk sees it; its oldest item decides.
      const oldest = await suite.node.store.mail.oldestQueued();
      const t = await thread('queue');
      const reader = await person('Reader');
      const held = posted(await reader.client.comment(t.slug, { body: 'report me', authorName: 'x' }));
      expectStatus(await new WebClient(suite.node.baseUrl).report(held.id, 'please look'), 201);
      const waitingSince = Date.parse((oldest?.queuedAt ?? (await suite.node.store.mail.oldestQueued())!.queuedAt));

      assert.equal(await suite.node.services.mail.alertQueue(waitingSince + 29 * 60_000), 0, 'not yet');
      assert.equal(await suite.node.services.mail.alertQueue(waitingSince + 31 * 60_000), 1);
      assert.equal(await suite.node.services.mail.alertQueue(waitingSince + 45 * 60_000), 0, 'once per wait');
      offsetMs = Math.max(offsetMs, waitingSince + 31 * 60_000 - Date.now());
      await deliver();
      const alert = smtp.mailsTo(modAddress)[0] ?? assert.fail('the alert');
      assert.equal(alert.subject, 'The moderation queue is waiting (The Test Times)');
      assert.ok(alert.text.includes(`${PUBLIC_URL}/moderate`));
      assert.equal(alert.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.equal(smtp.mailsTo(modAddress).length, 1);
    });

    test('deleting an account takes its choices, address proofs, digest mark and every mail to it, sent or waiting', async () => {
      const uma = await person('Uma');
      const name = (expectStatus(await uma.client.get('/api/me/account'), 200) as { account: { displayName: string } }).account.displayName;
      expectStatus(await uma.client.request('PUT', '/api/me/notification-settings', { json: { choices: { reply: 'daily' } } }), 200);
      const next = freshAddress('uma-next');
      expectStatus(await uma.client.request('PUT', '/api/me/email', { json: { email: next } }), 202);
      await deliver();
      expectStatus(await uma.client.request('PUT', '/api/me/email', { json: { email: freshAddress('uma-later') } }), 202);
      await rows.db.insertInto('mail_digests').values({ user_id: uma.id, last_sent_at: iso() }).execute();
      const mine = async () => ({
        preferences: (await rows.db.selectFrom('notification_preferences').select('kind').where('user_id', '=', uma.id).execute()).length,
        proofs: (await rows.db.selectFrom('email_verifications').select('email').where('user_id', '=', uma.id).execute()).length,
        digests: (await rows.db.selectFrom('mail_digests').select('user_id').where('user_id', '=', uma.id).execute()).length,
        mails: (await rows.db.selectFrom('mail_outbox').select('id').where((eb) => eb.or([eb('user_id', '=', uma.id), eb('to_address', 'in', [uma.email!, next])])).execute()).length,
      });
      assert.deepEqual(await mine(), { preferences: 1, proofs: 1, digests: 1, mails: 2 });
      expectStatus(await uma.client.request('DELETE', '/api/me', { json: { confirm: name } }), 200);
      assert.deepEqual(await mine(), { preferences: 0, proofs: 0, digests: 0, mails: 0 });
    });

    test('an outage: 4xx, a stall past the timeout, a drop mid-mail are tried again with backoff; a 5xx makes a dead letter that an admin sends again: nothing lost, nothing twice', async () => {
      const { client: admin } = await staffMember(suite.node, 'admin');
      const { client: mod } = await staffMember(suite.node, 'moderator');
      const reader = await person('Rae', null);
      const queueMail = async (label: string) => {
        const address = freshAddress(label);
        expectStatus(await reader.client.request('PUT', '/api/me/email', { json: { email: address } }), 202);
        return address;
      };
      for (const mode of ['tempfail', 'stall', 'drop'] as const) {
        const address = await queueMail(mode);
        smtp.mode = mode;
        const started = smtp.dataStarted;
        assert.equal(await deliverer.runOnce(), 1, mode);
        assert.equal(smtp.dataStarted, started + 1, `${mode}: the mail was begun`);
        assert.equal(smtp.mailsTo(address).length, 0);
        const [waiting] = (await suite.node.store.mail.list({ state: 'pending', limit: 500 })).filter((m) => m.to === address);
        assert.ok(waiting?.lastError, `${mode}: pending again, with why`);
        assert.equal(await deliverer.runOnce(), 0, `${mode}: not before its backoff`);
        smtp.mode = 'accept';
        offsetMs += 60_000;
        assert.equal(await deliver(), 1);
        const got = smtp.mailsTo(address);
        assert.equal(got.length, 1, `${mode}: delivered once`);
        assert.equal(got[0]!.messageId, waiting.messageId, 'the same Message-ID on every attempt');
      }

      const address = await queueMail('refused');
      smtp.mode = 'refuse';
      await deliver();
      smtp.mode = 'accept';
      assert.equal(smtp.mailsTo(address).length, 0);
      expectError(await mod.get('/api/admin/mail/dead'), 403, 'forbidden');
      const dead = (expectStatus(await admin.get('/api/admin/mail/dead'), 200) as { mails: { id: string; to: string; kind: string; attempts: number; lastError: string }[] }).mails.find((m) => m.to === address);
      assert.ok(dead, 'a dead letter the admins see');
      assert.deepEqual([dead.kind, dead.attempts], ['verify', 1]);
      assert.match(dead.lastError, /550/);
      offsetMs += 24 * 60 * 60_000;
      assert.equal(await deliver(), 0, 'a dead mail is not tried again by itself');
      expectError(await mod.post(`/api/admin/mail/${dead.id}/retry`), 403, 'forbidden');
      expectStatus(await admin.post(`/api/admin/mail/${dead.id}/retry`), 200);
      expectError(await admin.post(`/api/admin/mail/${dead.id}/retry`), 404, 'mail_not_found', 'no longer dead');
      expectError(await admin.post('/api/admin/mail/NOT-AN-ID!/retry'), 404, 'mail_not_found');
      assert.equal(await deliver(), 1);
      assert.equal(smtp.mailsTo(address).length, 1);
      assert.ok(!(expectStatus(await admin.get('/api/admin/mail/dead'), 200) as { mails: { id: string }[] }).mails.some((m) => m.id === dead.id));

      // Every attempt failing: dead after maxAttempts (3 here), not before.
      const failing = await queueMail('failing');
      smtp.mode = 'tempfail';
      for (let i = 0; i < 3; i++) {
        offsetMs += 10 * 60_000;
        await deliver();
      }
      smtp.mode = 'accept';
      const [gaveUp] = (await suite.node.store.mail.list({ state: 'dead', limit: 500 })).filter((m) => m.to === failing);
      assert.equal(gaveUp?.attempts, 3);
    });
  });
}

describe('without SMTP_URL: the settings say email is off; the bell’s choices are still kept', () => {
  const suite = useNode('sqlite');
  test('settings answer emailEnabled false; asking for an address is refused; nothing is queued', async () => {
    const { token } = await suite.node.services.auth.signInWith({
      identity: { method: 'sso', provider: 'sso', subject: 'off-1', email: null, emailVerified: false, name: 'Offline Olga', badges: null },
      userAgent: 'test',
    });
    const client = new WebClient(suite.node.baseUrl, { [STAFF_COOKIE]: token });
    const settings = NotificationSettingsResponseSchema.parse(expectStatus(await client.get('/api/me/notification-settings'), 200)).settings;
    assert.equal(settings.emailEnabled, false);
    expectStatus(await client.request('PUT', '/api/me/notification-settings', { json: { choices: { reply: 'never' } } }), 200);
    expectError(await client.request('PUT', '/api/me/email', { json: { email: 'olga@example.test' } }), 404, 'email_off');
    assert.equal(await suite.node.services.mail.mailNotices(Date.now() + 86_400_000), 0);
    assert.deepEqual(await suite.node.store.mail.list({ state: 'pending', limit: 10 }), []);
  });
});
