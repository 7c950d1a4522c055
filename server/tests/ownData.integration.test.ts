import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { ThreadResponseSchema, type CommentView } from '../../lib/contract/api';
import { ClaimResponseSchema, GuestCommentsSchema, OwnAccountResponseSchema, PersonExportSchema, SessionsResponseSchema } from '../../lib/contract/ownData';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { databaseTarget, openDatabase } from '../../lib/store/openDatabase';
import type { Database } from '../../lib/store/schema';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { STAFF_COOKIE } from '../http/staffSession';
import type { HttpResult } from '../testing/http';
import { createOpenThread, startNode, TEST_PASSWORD_COST, type TestNode } from '../testing/nodes';
import { record, SocketPool, subscribe } from '../testing/sockets';
import { disconnection, expectError, expectStatus, staffMember, waitForStaffSocket, WebClient } from '../testing/staff';

/**
 * A person's own data (issue 16.4, docs/api.md "Your own data"), through the HTTP API on a real
 * node, on SQLite and PostgreSQL: the rules of a new display name, its limit and audit; sessions
 * listed and signed out (sockets too); the export; the deletion, proven by reading every text
 * column of every table; claiming a guest's comments and likes; an admin's export and deletion.
 */

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`a person's own data, on ${kind}`, () => {
    let db: TestDatabase;
    let n: TestNode;
    let raw: Kysely<Database>;
    const sockets = new SocketPool();

    before(async () => {
      db = await createTestDatabase(kind);
      n = await startNode({ db, passwordCost: TEST_PASSWORD_COST, limits: { displayNames: { points: 3, durationSeconds: 86_400 } } });
      raw = openDatabase(databaseTarget({ databaseUrl: db.databaseUrl, dataDir: db.dataDir })).db;
    });
    afterEach(() => sockets.closeAll());
    after(async () => {
      await raw.destroy();
      await n.close();
      await db.cleanup();
    });

    const tag = () => randomBytes(4).toString('hex');

    function emailIdentity(email: string, name: string): ProvenIdentity {
      return { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name, badges: null };
    }

    /** A commenter signed in through a proven identity (as the sign-in methods do), with a browser of their own. */
    async function person(name: string, identity?: ProvenIdentity, userAgent = FIREFOX): Promise<{ client: WebClient; id: string; token: string }> {
      const proven = identity ?? emailIdentity(`${name.toLowerCase().replace(/\W+/g, '-')}-${tag()}@example.test`, name);
      const { token, user } = await n.services.auth.signInWith({ identity: proven, userAgent });
      return { client: new WebClient(n.baseUrl, { [STAFF_COOKIE]: token }), id: user.id, token };
    }

    function comment(res: HttpResult): CommentView {
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { comment: CommentView }).comment;
    }

    async function readThread(slug: string): Promise<CommentView[]> {
      return ThreadResponseSchema.parse(expectStatus(await new WebClient(n.baseUrl).get(`/api/threads/${slug}?limit=100`), 200)).comments;
    }

    test('a new display name: the naming rules, unique per site (case and spacing folded), not a staff sign-in name, shown on their comments live, audited, three a day', async () => {
      const t = await createOpenThread(n.services, 'rename');
      const ann = await person(`Ann ${tag()}`);
      const bea = await person(`Bea ${tag()}`);
      const { account: staff } = await staffMember(n, 'moderator');
      const mine = comment(await ann.client.comment(t.slug, { body: 'hello', authorName: 'ignored' }));
      const watcher = await sockets.connect(n.baseUrl);
      const events = record(watcher, 'thread:event');
      await subscribe(watcher, t.slug);

      const rename = (displayName: unknown) => ann.client.request('PUT', '/api/me/name', { json: { displayName } });
      const beaName = OwnAccountResponseSchema.parse(expectStatus(await bea.client.get('/api/me/account'), 200)).account.displayName;
      expectError(await rename(`  ${beaName.toUpperCase()}  `), 409, 'display_name_taken', 'another’s name, folded');
      expectError(await rename(staff.username.toUpperCase()), 409, 'display_name_taken', 'a staff member’s sign-in name');
      expectError(await rename(''), 400, 'invalid_request', 'empty');
      expectError(await rename('x'.repeat(51)), 400, 'invalid_request', 'too long');
      expectError(await rename(42), 400, 'invalid_request', 'not text');
      expectError(await ann.client.request('PUT', '/api/me/name', { json: { displayName: 'Ok', role: 'admin' } }), 400, 'invalid_request', 'an unknown field');
      expectError(await new WebClient(n.baseUrl).request('PUT', '/api/me/name', { json: { displayName: 'Nobody' } }), 401, 'sign_in_required');

      const newName = `Annette ${tag()}`;
      const renamed = OwnAccountResponseSchema.parse(expectStatus(await rename(newName), 200));
      assert.equal(renamed.account.displayName, newName);
      const live = await events.find('the comment under the new name', (e) => e.type === 'comment.updated' && e.comment.id === mine.id);
      assert.ok(live.type === 'comment.updated');
      assert.equal(live.comment.author.name, newName);
      assert.equal((await readThread(t.slug)).find((c) => c.id === mine.id)?.author.name, newName);
      // A new comment carries it too.
      assert.equal(comment(await ann.client.comment(t.slug, { body: 'again', authorName: 'x' })).author.name, newName);

      const audit = await n.store.moderation.listAudit({ limit: 50 });
      const entry = audit.find((a) => a.action === 'account.rename' && a.actorId === ann.id);
      assert.ok(entry, 'the rename is audited');
      assert.equal(entry.details.to, newName);
      assert.ok(typeof entry.details.from === 'string' && entry.details.from.startsWith('Ann '));

      // Refused names cost nothing: two more changes pass, the fourth of the day does not.
      expectStatus(await rename(`Second ${tag()}`), 200);
      expectStatus(await rename(`Third ${tag()}`), 200);
      const limited = expectError(await rename(`Fourth ${tag()}`), 429, 'rate_limited');
      assert.ok((limited.retryAfter ?? 0) > 0);
    });

    test('sessions: listed with their browser and this one marked; signing out the others ends them at once, their sockets too; one by id', async () => {
      const email = `dev-${tag()}@example.test`;
      const laptop = await person('Devices', emailIdentity(email, 'Devices'));
      const phone = await person('Devices', emailIdentity(email, 'Devices'));
      const tablet = await person('Devices', emailIdentity(email, 'Devices'));
      assert.equal(laptop.id, phone.id);

      const listed = SessionsResponseSchema.parse(expectStatus(await laptop.client.get('/api/me/sessions'), 200)).sessions;
      assert.equal(listed.length, 3);
      assert.equal(listed.filter((s) => s.current).length, 1);
      assert.ok(listed.every((s) => s.browser === 'Firefox on Linux' && s.method === 'email' && s.lastSeenAt !== null));

      const phoneSocket = await sockets.connect(n.baseUrl, { cookie: phone.client.cookie });
      await waitForStaffSocket(n, phoneSocket, phone.token);
      const gone = disconnection(phoneSocket);
      assert.deepEqual(expectStatus(await laptop.client.request('DELETE', '/api/me/sessions/others'), 200), { signedOut: 2 });
      await gone;
      expectError(await phone.client.get('/api/me/account'), 401, 'sign_in_required', 'the phone is signed out');
      expectError(await tablet.client.get('/api/me/sessions'), 401, 'sign_in_required', 'the tablet too');
      const left = SessionsResponseSchema.parse(expectStatus(await laptop.client.get('/api/me/sessions'), 200)).sessions;
      assert.deepEqual(
        left.map((s) => s.current),
        [true],
      );

      expectError(await laptop.client.request('DELETE', '/api/me/sessions/not-a-session'), 404, 'session_not_found');
      const other = await person(`Other ${tag()}`);
      const othersSession = SessionsResponseSchema.parse(expectStatus(await other.client.get('/api/me/sessions'), 200)).sessions[0]!;
      expectError(await laptop.client.request('DELETE', `/api/me/sessions/${othersSession.id}`), 404, 'session_not_found', 'another person’s session');
      // Its own id signs this browser out.
      expectStatus(await laptop.client.request('DELETE', `/api/me/sessions/${left[0]!.id}`), 200);
      assert.equal(laptop.client.sessionToken, undefined, 'the cookie is expired');
    });

    test('the export: a JSON attachment with the account, sign-in methods without secrets, sessions, comments in every status with thread and text, likes, reports, bans', async () => {
      const t = await createOpenThread(n.services, 'export');
      const me = await person(`Exporter ${tag()}`);
      const someone = new WebClient(n.baseUrl);
      const theirs = comment(await someone.comment(t.slug, { body: 'their words', authorName: 'Them' }));
      const mine = comment(await me.client.comment(t.slug, { body: 'my words to export', authorName: 'x' }));
      const deleted = comment(await me.client.comment(t.slug, { body: 'soon gone', authorName: 'x' }));
      expectStatus(await me.client.request('DELETE', `/api/comments/${deleted.id}`), 200);
      expectStatus(await me.client.request('PUT', `/api/comments/${theirs.id}/like`), 200);
      expectStatus(await me.client.report(theirs.id, 'my report reason'), 201);
      // One's notice settings: a muted person and a followed thread.
      const muted = await person(`Muted ${tag()}`);
      expectStatus(await me.client.request('PUT', `/api/me/mutes/${muted.id}`), 200);
      expectStatus(await me.client.request('PUT', `/api/me/threads/${t.slug}`, { json: { mode: 'follow' } }), 200);
      const { account: mod } = await staffMember(n, 'moderator');
      const modUser = (await n.store.accounts.findUserByUsername(mod.username))!;
      await n.services.moderation.ban({ guestId: me.id, reason: 'a ban reason', actor: modUser });

      const res = await me.client.get('/api/me/export');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="threadline-data-.+\.json"$/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const data = PersonExportSchema.parse(res.body);
      assert.equal(data.account.id, me.id);
      assert.match(data.account.email ?? '', /@example\.test$/);
      assert.deepEqual(
        data.signInMethods.map((m) => [m.method, m.email]),
        [['email', data.account.email]],
      );
      assert.equal(data.sessions.length, 1);
      assert.deepEqual(
        data.comments.map((c) => [c.id, c.status, c.body, c.thread.slug]),
        [
          [mine.id, 'visible', 'my words to export', t.slug],
          [deleted.id, 'deleted', '', t.slug],
        ],
      );
      assert.deepEqual(
        data.likes.map((l) => [l.commentId, l.thread.slug]),
        [[theirs.id, t.slug]],
      );
      assert.deepEqual(
        data.reports.map((r) => [r.commentId, r.reason]),
        [[theirs.id, 'my report reason']],
      );
      assert.deepEqual(
        data.bans.map((b) => b.reason),
        ['a ban reason'],
      );
      assert.deepEqual(
        data.noticeSettings.mutes.map((m) => m.personId),
        [muted.id],
      );
      assert.deepEqual(
        data.noticeSettings.threadWatches.map((w) => [w.thread.slug, w.mode]),
        [[t.slug, 'follow']],
      );
      assert.doesNotMatch(JSON.stringify(res.body), /password|hash/i);
      expectError(await new WebClient(n.baseUrl).get('/api/me/export'), 401, 'sign_in_required');
    });

    /** Every text value of every row of every table (the migrations' bookkeeping aside), read from the database's own catalog. */
    async function everyText(): Promise<{ table: string; text: string }[]> {
      const names =
        kind === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(raw)).rows.map((r) => r.name)
          : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(raw)).rows.map(
              (r) => r.name,
            );
      assert.ok(names.includes('users') && names.includes('audit_log') && names.includes('comments'));
      const found: { table: string; text: string }[] = [];
      for (const table of names) {
        const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(raw)).rows;
        for (const row of rows) for (const value of Object.values(row)) if (typeof value === 'string') found.push({ table, text: value });
      }
      return found;
    }

    test('deleting one’s account: confirmed by name; comments become deleted placeholders live with their replies in place; nothing of theirs is left in any table', async () => {
      const t = await createOpenThread(n.services, 'erase');
      const mark = tag();
      const oldName = `Zed Former ${mark}`;
      const email = `zed-${mark}@example.test`;
      const oidcSubject = `oidc-subject-${mark}`;
      const browser = `${FIREFOX} Zed/${mark}`;
      const zed = await person(oldName, emailIdentity(email, oldName), browser);
      // A second sign-in method linked by the verified address.
      await n.services.auth.signInWith({ identity: { method: 'oidc', provider: 'oidc:test', subject: oidcSubject, email, emailVerified: true, name: 'Zed', badges: null }, userAgent: browser });
      const newName = `Zed Current ${mark}`;
      expectStatus(await zed.client.request('PUT', '/api/me/name', { json: { displayName: newName } }), 200);
      const text = `zeds secret words ${mark}`;
      const top = comment(await zed.client.comment(t.slug, { body: text, authorName: 'x' }));
      const second = comment(await zed.client.comment(t.slug, { body: `${text} again`, authorName: 'x' }));
      const replier = new WebClient(n.baseUrl);
      const reply = comment(await replier.comment(t.slug, { body: 'a reply that stays', authorName: 'Replier', parentId: top.id }));
      // Notices: one to them (a reply), one that names them (theirs to another account); whom they muted, a thread they follow.
      const ann = await person(`Ann ${mark}`);
      const annTop = comment(await ann.client.comment(t.slug, { body: 'ann asks', authorName: 'x' }));
      comment(await zed.client.comment(t.slug, { body: `${text} for ann`, authorName: 'x', parentId: annTop.id }));
      comment(await ann.client.comment(t.slug, { body: 'ann answers', authorName: 'x', parentId: top.id }));
      expectStatus(await zed.client.request('PUT', `/api/me/mutes/${ann.id}`), 200);
      expectStatus(await zed.client.request('PUT', `/api/me/threads/${t.slug}`, { json: { mode: 'follow' } }), 200);
      await n.services.noticesSettled();
      assert.equal((await n.services.notifications.list({ userId: ann.id })).notifications[0]?.actorName, newName, 'Ann was told, under their name');
      assert.equal(await n.services.notifications.unread(zed.id), 1, 'they were told of Ann’s answer');
      expectStatus(await zed.client.request('PUT', `/api/comments/${reply.id}/like`), 200);
      const reportWords = `zeds report words ${mark}`;
      expectStatus(await zed.client.report(reply.id, reportWords), 201);
      const { client: mod } = await staffMember(n, 'moderator');
      expectStatus(await mod.post('/api/bans', { guestId: zed.id, reason: `banning ${newName}` }), 201);
      // What moderators keep about them (a note naming them, their standing) goes with them too.
      expectStatus(await mod.post(`/api/people/${zed.id}/notes`, { text: `watch ${newName}, ${email}` }), 201);
      expectStatus(await mod.request('PUT', `/api/people/${zed.id}/shadow-ban`, { json: { shadowBanned: true } }), 200);

      const watcher = await sockets.connect(n.baseUrl);
      const events = record(watcher, 'thread:event');
      await subscribe(watcher, t.slug);

      expectError(await zed.client.request('DELETE', '/api/me', { json: { confirm: 'someone else' } }), 400, 'invalid_request', 'the wrong name');
      expectError(await zed.client.request('DELETE', '/api/me', { json: {} }), 400, 'invalid_request', 'no confirmation');
      expectStatus(await zed.client.request('DELETE', '/api/me', { json: { confirm: newName } }), 200);
      assert.equal(zed.client.sessionToken, undefined, 'signed out');
      expectError(await zed.client.get('/api/me/account'), 401, 'sign_in_required');

      const live = await events.find('the placeholder, live', (e) => e.type === 'comment.updated' && e.comment.id === top.id);
      assert.ok(live.type === 'comment.updated');
      assert.deepEqual([live.comment.status, live.comment.body, live.comment.author.name], ['deleted', '', null]);
      await events.find('the like taken back, live', (e) => e.type === 'comment.liked' && e.commentId === reply.id && e.likes === 0);

      const comments = await readThread(t.slug);
      assert.equal(comments.find((c) => c.id === top.id)?.status, 'deleted');
      // A deleted comment nobody answered leaves the page altogether, as one its author deleted does.
      assert.equal(comments.find((c) => c.id === second.id), undefined);
      const kept = comments.find((c) => c.id === reply.id);
      assert.deepEqual([kept?.status, kept?.parentId, kept?.body, kept?.likes], ['visible', top.id, 'a reply that stays', 0]);

      // The proof: no text value anywhere holds their names, address, sign-in subjects or words.
      const secrets = [oldName, newName, email, oidcSubject, text, reportWords, browser];
      const everywhere = await everyText();
      assert.ok(everywhere.length > 50, 'the scan reads the tables');
      const left = everywhere.filter(({ text: value }) => secrets.some((s) => value.includes(s)));
      assert.deepEqual(left, [], 'nothing of theirs remains');
      const rows = await Promise.all([
        raw.selectFrom('users').select('id').where('id', '=', zed.id).execute(),
        raw.selectFrom('identities').select('subject').where('user_id', '=', zed.id).execute(),
        raw.selectFrom('sessions').select('id').where('user_id', '=', zed.id).execute(),
        raw.selectFrom('reactions').select('comment_id').where('guest_id', '=', zed.id).execute(),
        raw.selectFrom('reports').select('id').where('guest_id', '=', zed.id).execute(),
        raw.selectFrom('bans').select('id').where('guest_id', '=', zed.id).execute(),
        raw.selectFrom('comments').select('id').where('author_guest_id', '=', zed.id).execute(),
        raw.selectFrom('notifications').select('id').where((eb) => eb.or([eb('recipient_id', '=', zed.id), eb('actor_id', '=', zed.id)])).execute(),
        raw.selectFrom('person_mutes').select('owner_id').where((eb) => eb.or([eb('owner_id', '=', zed.id), eb('muted_id', '=', zed.id)])).execute(),
        raw.selectFrom('thread_watches').select('owner_id').where('owner_id', '=', zed.id).execute(),
      ]);
      assert.deepEqual(
        rows.map((r) => r.length),
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      );
      const audit = await n.store.moderation.listAudit({ limit: 200 });
      assert.ok(audit.some((a) => a.action === 'account.delete' && a.actorId === null));

      // Signing in again with the same address is a new person, who owns none of it.
      const again = await person('Zed', emailIdentity(email, 'Zed'));
      assert.notEqual(again.id, zed.id);
      assert.deepEqual(PersonExportSchema.parse(expectStatus(await again.client.get('/api/me/export'), 200)).comments, []);
    });

    test('claiming a guest’s comments: offered with their count, moved under the account’s name live, likes merged once, reports moved, the guest cookie forgotten', async () => {
      const t = await createOpenThread(n.services, 'claim');
      const browser = new WebClient(n.baseUrl);
      const a = comment(await browser.comment(t.slug, { body: 'as a guest', authorName: 'Guesty' }));
      const b = comment(await browser.comment(t.slug, { body: 'as a guest again', authorName: 'Guesty' }));
      const other = new WebClient(n.baseUrl);
      const liked = comment(await other.comment(t.slug, { body: 'liked by both', authorName: 'Other' }));
      const onlyGuest = comment(await other.comment(t.slug, { body: 'liked by the guest', authorName: 'Other' }));
      const reported = comment(await other.comment(t.slug, { body: 'reported', authorName: 'Other' }));
      expectStatus(await browser.request('PUT', `/api/comments/${liked.id}/like`), 200);
      expectStatus(await browser.request('PUT', `/api/comments/${onlyGuest.id}/like`), 200);
      expectStatus(await browser.report(reported.id, 'guest report'), 201);
      const guestCookie = browser.cookie!;

      const acct = await person(`Claimer ${tag()}`);
      expectStatus(await acct.client.request('PUT', `/api/comments/${liked.id}/like`), 200);
      assert.equal((await readThread(t.slug)).find((c) => c.id === liked.id)?.likes, 2);
      // The same browser, now signed in: both cookies.
      const signedIn = new WebClient(n.baseUrl, { ...Object.fromEntries(browser.jar), ...Object.fromEntries(acct.client.jar) });
      assert.deepEqual(GuestCommentsSchema.parse(expectStatus(await signedIn.get('/api/me/guest'), 200)), { comments: 2 });

      const watcher = await sockets.connect(n.baseUrl);
      const events = record(watcher, 'thread:event');
      await subscribe(watcher, t.slug);
      const claimed = ClaimResponseSchema.parse(expectStatus(await signedIn.post('/api/me/claim-guest'), 200));
      assert.deepEqual(claimed, { comments: 2, likes: 2, reports: 1 });
      assert.equal(signedIn.guestId, undefined, 'the guest cookie is forgotten');
      const name = OwnAccountResponseSchema.parse(expectStatus(await acct.client.get('/api/me/account'), 200)).account.displayName;
      for (const id of [a.id, b.id]) await events.find(`comment ${id} under the account's name`, (e) => e.type === 'comment.updated' && e.comment.id === id && e.comment.author.name === name);
      await events.find('the double like folded', (e) => e.type === 'comment.liked' && e.commentId === liked.id && e.likes === 1);

      const comments = await readThread(t.slug);
      assert.deepEqual(
        [a.id, b.id].map((id) => comments.find((c) => c.id === id)?.author.name),
        [name, name],
      );
      assert.equal(comments.find((c) => c.id === liked.id)?.likes, 1, 'liked by both counts once');
      assert.equal(comments.find((c) => c.id === onlyGuest.id)?.likes, 1);
      const data = PersonExportSchema.parse(expectStatus(await acct.client.get('/api/me/export'), 200));
      assert.deepEqual(data.comments.map((c) => c.id).sort(), [a.id, b.id].sort());
      assert.deepEqual(data.likes.map((l) => l.commentId).sort(), [liked.id, onlyGuest.id].sort());
      assert.deepEqual(
        data.reports.map((r) => r.commentId),
        [reported.id],
      );
      // The account can now edit what it wrote as a guest; the old guest cookie owns nothing.
      expectStatus(await acct.client.request('DELETE', `/api/comments/${b.id}`), 200);
      expectError(await new WebClient(n.baseUrl).request('DELETE', `/api/comments/${a.id}`, { headers: { cookie: guestCookie } }), 403, 'not_your_comment');
      assert.deepEqual(ClaimResponseSchema.parse(expectStatus(await acct.client.post('/api/me/claim-guest'), 200)), { comments: 0, likes: 0, reports: 0 });
      expectError(await browser.post('/api/me/claim-guest'), 401, 'sign_in_required');
    });

    test('an admin exports and deletes a person on request, audited by id alone; moderators may not; nobody deletes themselves as admin here', async () => {
      const t = await createOpenThread(n.services, 'admin-erase');
      const name = `Requester ${tag()}`;
      const them = await person(name);
      const c = comment(await them.client.comment(t.slug, { body: 'please forget me', authorName: 'x' }));
      const { client: admin, account: adminAccount } = await staffMember(n, 'admin');
      const { client: mod } = await staffMember(n, 'moderator');

      expectError(await mod.get(`/api/people/${them.id}/export`), 403, 'forbidden');
      expectError(await new WebClient(n.baseUrl).get(`/api/people/${them.id}/export`), 401, 'not_signed_in');
      const exported = PersonExportSchema.parse(expectStatus(await admin.get(`/api/people/${them.id}/export`), 200));
      assert.deepEqual(
        exported.comments.map((x) => x.body),
        ['please forget me'],
      );
      expectError(await admin.get('/api/people/no-such-person/export'), 404, 'person_not_found');
      expectError(await admin.get('/api/people/%20bad%20/export'), 404, 'person_not_found');

      expectError(await mod.request('DELETE', `/api/people/${them.id}`), 403, 'forbidden');
      const adminUser = (await n.store.accounts.findUserByUsername(adminAccount.username))!;
      expectError(await admin.request('DELETE', `/api/people/${adminUser.id}`), 403, 'forbidden', 'not oneself');
      expectError(await admin.request('DELETE', '/api/me', { json: { confirm: adminUser.displayName } }), 403, 'forbidden', 'an admin deletes no admin account of their own');
      expectStatus(await admin.request('DELETE', `/api/people/${them.id}`), 200);
      expectError(await admin.request('DELETE', `/api/people/${them.id}`), 404, 'person_not_found');
      expectError(await them.client.get('/api/me/account'), 401, 'sign_in_required');
      assert.equal((await readThread(t.slug)).find((x) => x.id === c.id), undefined, 'a deleted comment without replies leaves the page');

      const audit = await n.store.moderation.listAudit({ limit: 200 });
      const entry = audit.find((a) => a.action === 'person.delete' && a.target === them.id);
      assert.equal(entry?.actorId, adminUser.id);
      assert.ok(!JSON.stringify(audit).includes(name), 'no entry names them');
    });

    test('a moderator’s account deleted by an admin: what they did to others stays, without their name', async () => {
      const t = await createOpenThread(n.services, 'mod-erase');
      const { client: admin } = await staffMember(n, 'admin');
      const { client: mod, account } = await staffMember(n, 'moderator', `gone${tag()}`);
      const modUser = (await n.store.accounts.findUserByUsername(account.username))!;
      const guest = new WebClient(n.baseUrl);
      const c = comment(await guest.comment(t.slug, { body: 'reported words', authorName: 'Guest' }));
      expectStatus(await new WebClient(n.baseUrl).report(c.id, 'please look'), 201);
      expectStatus(await mod.act(c.id, 'remove', 'off topic'), 200);
      expectStatus(await mod.post('/api/bans', { guestId: guest.guestId, reason: 'spam' }), 201);

      expectStatus(await admin.request('DELETE', `/api/people/${modUser.id}`), 200);
      expectError(await mod.get('/api/auth/me'), 401, 'not_signed_in');
      const left = (await everyText()).filter(({ text }) => text.includes(account.username));
      assert.deepEqual(left, [], 'the moderator’s sign-in name is nowhere');
      const ban = await raw.selectFrom('bans').selectAll().where('guest_id', '=', guest.guestId!).executeTakeFirstOrThrow();
      assert.equal(ban.reason, 'spam', 'the ban on someone else stays');
    });
  });
}
