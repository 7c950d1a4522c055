import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { ProvenIdentity } from '../domain/identity';
import type { Store } from '../store/store';
import type { TestDatabaseKind } from '../store/testDatabases';
import { storesPerTest } from '../store/testStores';
import { openDryRun } from '../store/dryRunImportStore';
import { importFile } from './importFile';
import { describeReport } from './runImport';
import { exportLines, type ExportOptions } from './threadlineFormat';

const AT = '2026-03-01T10:00:00.000Z';
const CLOSES_AT = '2099-03-01T10:00:00.000Z';
const audit = { actorId: null, actorName: 'mod', action: 'person.standing' };

/**
 * The Threadline export of people (format 2) against a real engine: every account with its
 * badges, sign-in links, likes, mentions and people's settings, and issue 19's Q&A threads,
 * answers, closing times and editors' picks, survive export → import → export byte for byte
 * (roundTrip.sqlite/postgres.integration.test.ts in this folder).
 */
export function defineRoundTripSuite(kind: TestDatabaseKind): void {
  describe(`Threadline export of people on ${kind}`, () => {
    const stores = storesPerTest(kind);
    const tempFiles: string[] = [];

    const freshStore = () => stores.fresh();

    afterEach(async () => {
      for (const f of tempFiles.splice(0)) fs.rmSync(f, { force: true });
    });

    async function exportText(store: Store, options?: ExportOptions): Promise<string> {
      const lines: string[] = [];
      for await (const line of exportLines(store, options)) lines.push(line);
      return lines.join('\n') + '\n';
    }

    function tempFile(text: string): string {
      const file = path.join(os.tmpdir(), `threadline-people-${process.pid}-${Date.now()}-${tempFiles.length}.jsonl`);
      tempFiles.push(file);
      fs.writeFileSync(file, text);
      return file;
    }

    const linesOf = (text: string, type: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.type === type);

    const sso = (subject: string, name: string, badges: ProvenIdentity['badges']): ProvenIdentity => ({
      method: 'sso',
      provider: 'sso',
      subject,
      email: `${subject}@news.example`,
      emailVerified: true,
      name,
      badges,
    });

    /** A site with commenters (badged, by SSO, email and OIDC), staff, guests, likes, mentions and people's settings. */
    async function populatedSite() {
      const store = await freshStore();
      const news = await store.createThread({ slug: 'harbour-news', title: 'Harbour news' });
      const closed = await store.createThread({ slug: 'closed-talk', title: 'Closed talk' });
      const ann = (await store.accounts.accountForIdentity(sso('ann-1', 'Ann', ['journalist']))).user;
      const bob = (
        await store.accounts.accountForIdentity({ method: 'email', provider: 'email', subject: 'bob@mail.example', email: 'bob@mail.example', emailVerified: true, name: 'Bob', badges: null })
      ).user;
      await store.people.setBadges({ userId: bob.id, badges: ['expert', 'staff'] });
      const cy = (await store.accounts.accountForIdentity({ method: 'oidc', provider: 'oidc:town', subject: 'cy-sub', email: null, emailVerified: false, name: 'Cy', badges: null })).user;
      const editor = (await store.accounts.upsertUser({ username: 'editor', passwordHash: 'scrypt$1$2$3$c2FsdA==$a2V5', role: 'admin' })).user;

      const post = (threadId: string, authorGuestId: string, authorName: string, body: string, extra: { parentId?: string; mentions?: { id: string; name: string }[] } = {}) =>
        store.createComment({ threadId, parentId: extra.parentId ?? null, authorName, authorGuestId, body, clientId: null, authorIsAccount: !authorGuestId.startsWith('guest'), ...(extra.mentions && { mentions: extra.mentions }) });
      const annSays = (await post(news.id, ann.id, 'Ann', 'The harbour reopens on Monday.')).comment;
      const bobSays = (await post(news.id, bob.id, 'Bob', '@Ann which berths?', { parentId: annSays.id, mentions: [{ id: ann.id, name: 'Ann' }] })).comment;
      const guestSays = (await post(news.id, 'guest-1', 'Dee', 'Good news for the ferries.')).comment;
      const cySays = (await post(closed.id, cy.id, 'Cy', 'Before it was hidden.')).comment;
      await store.updateThread({ threadId: closed.id, changes: { hidden: true } });

      for (const [commentId, guestId, threadId] of [
        [annSays.id, bob.id, news.id],
        [annSays.id, 'guest-1', news.id],
        [annSays.id, cy.id, news.id],
        [bobSays.id, ann.id, news.id],
        [guestSays.id, ann.id, news.id],
      ] as const) {
        await store.setLike({ threadId, commentId, guestId, liked: true });
      }

      await store.policy.setStanding({ personId: 'guest-2', shadowBanned: true, audit });
      await store.policy.setStanding({ personId: cy.id, trusted: true, audit });
      await store.people.addNote({ personId: 'guest-2', authorId: editor.id, authorName: 'editor', text: 'Posts the same link everywhere.' });
      await store.moderation.createBan({ guestId: 'guest-2', reason: 'spam', until: null, createdBy: 'editor' });
      await store.notifications.mute({ ownerId: ann.id, mutedId: 'guest-1', at: AT });
      await store.notifications.setWatch({ ownerId: bob.id, threadId: news.id, mode: 'follow', at: AT });
      await store.notifications.setWatch({ ownerId: ann.id, threadId: closed.id, mode: 'block', at: AT });
      await store.mail.setChoices({ userId: ann.id, choices: { reply: 'daily', mention: 'never' }, at: AT });

      // Issue 19: a Q&A thread that closes on time, whose question is answered and whose guest's comment is an editors' pick.
      await store.updateThread({ threadId: news.id, changes: { qa: true, closesAt: CLOSES_AT } });
      await store.updateComment({ threadId: news.id, commentId: annSays.id, changes: { answerId: bobSays.id } });
      await store.updateComment({ threadId: news.id, commentId: guestSays.id, changes: { pinned: true, pick: { note: 'The ferry view, in a line.', at: AT } } });
      return { store, news, closed, ann, bob, cy, editor, annSays, bobSays, guestSays, cySays };
    }

    test('export → import into an empty store → export is byte-identical, with accounts, badges, likes, mentions and settings', async () => {
      const site = await populatedSite();
      const first = await exportText(site.store);
      assert.match(first.split('\n')[0]!, /"version":2/);
      assert.doesNotMatch(first, /scrypt/, 'no password hashes in the export');
      assert.equal(linesOf(first, 'user').length, 0, 'format 2 has account lines, not user lines');
      assert.deepEqual(
        linesOf(first, 'account')
          .map((a) => [a.displayName, a.role, a.badges])
          .sort(),
        [
          ['Ann', 'commenter', ['journalist']],
          ['Bob', 'commenter', ['staff', 'expert']],
          ['Cy', 'commenter', []],
          ['editor', 'admin', []],
        ],
      );
      assert.equal(linesOf(first, 'like').length, 5);
      assert.deepEqual(linesOf(first, 'comment').find((c) => c.id === site.bobSays.id)?.mentions, [{ id: site.ann.id, name: 'Ann' }]);
      assert.deepEqual(
        linesOf(first, 'thread').map((t) => [t.slug, t.qa, t.closesAt]),
        [
          ['harbour-news', true, CLOSES_AT],
          ['closed-talk', false, null],
        ],
      );
      assert.deepEqual(
        linesOf(first, 'comment').map((c) => [c.id, c.pinned, c.pick, c.answerId]),
        [
          [site.annSays.id, false, undefined, site.bobSays.id],
          [site.bobSays.id, false, undefined, undefined],
          [site.guestSays.id, true, { note: 'The ferry view, in a line.', at: AT }, undefined],
          [site.cySays.id, false, undefined, undefined],
        ],
        'a pick and an answer only where there is one',
      );

      const file = tempFile(first);
      const target = await freshStore();
      const counts = { account: 4, identity: 3, standing: 2, note: 1, mute: 1, watch: 2, preference: 2, like: 5 };
      const db = stores.lastDatabase();
      const dryTarget = await openDryRun({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      const dry = await importFile({ store: dryTarget, format: 'threadline', file }).finally(() => dryTarget.close());
      assert.deepEqual(dry.people, counts, 'a dry run counts what it read');
      assert.equal(await target.countThreads(), 0);
      // Small batches: kinds are written in several batches, likes after the comments they name.
      const report = await importFile({ store: target, format: 'threadline', file, batchSize: 3 });
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), 0, JSON.stringify(report.examples));
      assert.deepEqual(report.people, counts);
      assert.deepEqual(report.warnings, []);
      assert.match(
        describeReport(report),
        /people: 4 accounts, 3 sign-in links, 2 moderators' words on people, 1 notes on people, 1 mutes, 2 followed or blocked threads, 2 mail choices, 5 likes added/,
      );
      assert.equal(await exportText(target), first);

      // Counts equal the reactions, and the likes are each person's.
      const comments = await target.listComments({ threadId: site.news.id });
      assert.deepEqual(
        comments.map((c) => [c.id, c.likes]),
        [
          [site.annSays.id, 3],
          [site.bobSays.id, 1],
          [site.guestSays.id, 1],
        ],
      );
      assert.deepEqual(await target.likedBy({ guestId: site.ann.id, commentIds: comments.map((c) => c.id) }), new Set([site.bobSays.id, site.guestSays.id]));
      assert.deepEqual(await target.likedIn({ threadId: site.news.id, guestId: 'guest-1' }), [site.annSays.id]);
      assert.deepEqual(comments.find((c) => c.id === site.bobSays.id)?.mentions, [{ id: site.ann.id, name: 'Ann' }]);
      // A reader who has the thread open catches up on the counts as after any like: replayed in order, the last event per comment is its count.
      const liked = new Map<string, number>();
      for (const e of await target.eventsAfter({ threadId: site.news.id, afterSeq: 0 })) if (e.type === 'comment.liked') liked.set(e.commentId, e.likes);
      assert.deepEqual(
        liked,
        new Map([
          [site.annSays.id, 3],
          [site.bobSays.id, 1],
          [site.guestSays.id, 1],
        ]),
      );

      assert.deepEqual((await target.accounts.findUserById(site.ann.id))?.badges, ['journalist']);
      assert.deepEqual((await target.accounts.findUserById(site.bob.id))?.badges, ['staff', 'expert']);
      assert.deepEqual((await target.people.badgedAccounts()).map((a) => a.id).sort(), [site.ann.id, site.bob.id].sort());
      assert.equal((await target.accounts.findUserByUsername('editor'))?.passwordHash, '!', 'a staff account cannot log in until given a password');
      assert.equal((await target.accounts.findUserByUsername(site.ann.id))?.passwordHash, '', 'a commenter has no password sign-in');
      assert.deepEqual(await target.policy.standing('guest-2'), { id: 'guest-2', trusted: false, shadowBanned: true });
      assert.equal((await target.policy.standing(site.cy.id)).trusted, true);
      assert.deepEqual((await target.notifications.listMutes(site.ann.id)).map((m) => m.personId), ['guest-1']);
      assert.equal(await target.notifications.watchOf({ ownerId: site.ann.id, threadId: site.closed.id }), 'block');
      assert.deepEqual(await target.mail.choices(site.ann.id), { reply: 'daily', mention: 'never' });
      assert.equal((await target.findThreadById(site.closed.id))?.hidden, true);
      const news = await target.findThreadById(site.news.id);
      assert.deepEqual([news?.qa, news?.closesAt], [true, CLOSES_AT]);
      const byId = new Map(comments.map((c) => [c.id, c]));
      assert.equal(byId.get(site.annSays.id)?.answerId, site.bobSays.id);
      assert.deepEqual([byId.get(site.guestSays.id)?.pinned, byId.get(site.guestSays.id)?.pick], [true, { note: 'The ferry view, in a line.', at: AT }]);
      // Readers catching up see the settings and the answer as after a moderator's change.
      const events = await target.eventsAfter({ threadId: site.news.id, afterSeq: 0 });
      const settings = events.flatMap((e) => (e.type === 'thread.updated' ? [e.thread] : []));
      assert.deepEqual([settings.at(-1)?.qa, settings.at(-1)?.closesAt], [true, CLOSES_AT]);
      const answered = events.flatMap((e) => (e.type === 'comment.updated' && e.comment.id === site.annSays.id ? [e.comment.answerId] : []));
      assert.deepEqual(answered, [site.bobSays.id]);

      // A second import adds nothing and counts no like twice.
      const second = await importFile({ store: target, format: 'threadline', file, batchSize: 3 });
      assert.deepEqual(second.people, { account: 0, identity: 0, standing: 0, note: 0, mute: 0, watch: 0, preference: 0, like: 0 });
      assert.deepEqual(second.warnings, []);
      assert.equal(Object.values(second.comments.imported).reduce((a, b) => a + b, 0), 0);
      assert.equal(await exportText(target), first);
      assert.equal((await target.eventsAfter({ threadId: site.news.id, afterSeq: 0 })).length, events.length, 'an answer already there writes no event');
      assert.equal((await target.findComment({ id: site.annSays.id }))?.likes, 3);

      // People get their accounts back: the same sign-in finds the same account, with its badges.
      const again = await target.accounts.accountForIdentity(sso('ann-1', 'Ann', null));
      // (Signing in and posting change the store: it is no longer the file's after this.)
      assert.deepEqual([again.created, again.user.id, again.user.badges], [false, site.ann.id, ['journalist']]);
      // Moderators' word holds where it matters: the posting rules read it, so a shadow-banned guest stays unseen.
      const shadowed = await target.createComment({ threadId: site.news.id, parentId: null, authorName: 'Spam', authorGuestId: 'guest-2', body: 'Buy now', clientId: null });
      assert.deepEqual([shadowed.comment.status, shadowed.comment.heldReason], ['pending', 'shadow_banned']);
    });

    test('into a store that has data: existing accounts stay as they are, taken names are changed and reported, likes merge', async () => {
      const site = await populatedSite();
      const file = tempFile(await exportText(site.store));

      const target = await freshStore();
      // Ann signed in here by the newsroom's SSO before the archive came (a new account, called Ann), and the target's own admin is also `editor`.
      const otherAnn = (await target.accounts.accountForIdentity(sso('ann-1', 'Ann', null))).user;
      const ownEditor = (await target.accounts.upsertUser({ username: 'editor', passwordHash: 'scrypt$x', role: 'admin' })).user;
      const report = await importFile({ store: target, format: 'threadline', file });
      assert.equal(report.people.account, 4);
      assert.equal(report.people.identity, 2, "Ann's link stays with the account it opens here");
      assert.deepEqual(
        report.warnings.sort(),
        [
          `account ${site.ann.id}: the name Ann is taken here by another account; it is Ann 2 here`,
          `account ${site.ann.id}: its sign-in sso ann-1 is linked here to account ${otherAnn.id}, which that sign-in keeps opening`,
          `account ${site.editor.id}: the sign-in name editor is taken here by another account; it signs in as ${site.editor.id}`,
          `account ${site.editor.id}: the name editor is taken here by another account; it is editor 2 here`,
        ].sort(),
      );
      assert.equal((await target.accounts.findUserById(otherAnn.id))?.displayName, 'Ann', 'an account already here is left as it is');
      assert.equal((await target.accounts.findUserByUsername('editor'))?.id, ownEditor.id);
      const movedAnn = await target.accounts.findUserById(site.ann.id);
      assert.deepEqual([movedAnn?.displayName, movedAnn?.badges], ['Ann 2', ['journalist']]);

      // Likes made and taken back here meanwhile: an import again adds the file's missing like, and the count is the rows'.
      await target.setLike({ threadId: site.news.id, commentId: site.annSays.id, guestId: 'guest-9', liked: true });
      await target.setLike({ threadId: site.news.id, commentId: site.annSays.id, guestId: site.bob.id, liked: false });
      assert.equal((await target.findComment({ id: site.annSays.id }))?.likes, 3);
      const again = await importFile({ store: target, format: 'threadline', file });
      assert.equal(again.people.like, 1);
      assert.equal((await target.findComment({ id: site.annSays.id }))?.likes, 4);
      assert.deepEqual(await target.likedBy({ guestId: site.bob.id, commentIds: [site.annSays.id] }), new Set([site.annSays.id]));
    });

    test('lines that name what is not in the file are skipped with their line; bad lines are malformed', async () => {
      const store = await freshStore();
      const header = { type: 'header', format: 'threadline', version: 2 };
      const thread = { type: 'thread', id: 't1', slug: 'one', title: 'One', article: '', locked: false, source: null, createdAt: AT, slowModeSeconds: 0, preModeration: false };
      const comment = { type: 'comment', id: 'c1', threadId: 't1', parentId: null, status: 'visible', authorName: 'A', authorGuestId: 'guest-a', clientId: null, body: 'Hi', createdAt: AT, editedAt: null, locked: false, pinned: false, heldReason: null, mentions: [] };
      const account = { type: 'account', id: 'u1', username: 'u1', displayName: 'Una', role: 'commenter', email: null, emailVerifiedAt: null, badges: ['expert', 'astronaut'], trusted: false, shadowBanned: false, createdAt: AT, removedAt: null };
      const like = { type: 'like', commentId: 'c1', personId: 'u1', createdAt: AT };
      const lines = [
        header,
        thread,
        comment,
        account,
        { type: 'identity', userId: 'nobody', provider: 'sso', subject: 's1', method: 'sso', email: null, createdAt: AT, lastUsedAt: AT },
        { type: 'watch', ownerId: 'u1', threadId: 'gone', mode: 'follow', createdAt: AT },
        { type: 'preference', userId: 'u1', kind: 'queue', choice: 'daily', updatedAt: AT },
        { ...account, id: 'u2', role: 'emperor' },
        like,
        { ...like, commentId: 'c-gone' },
        // A reply whose parent comes after its likes: the likes wait for it.
        { ...like, commentId: 'c3' },
        { ...comment, id: 'c3', parentId: 'c2' },
        { ...comment, id: 'c2', parentId: 'c1' },
        // Moderators' word on an account: its users row says the same once it is added.
        { type: 'standing', personId: 'u1', trusted: true, shadowBanned: false, trustedSince: AT, updatedAt: AT },
      ];
      const file = tempFile(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const report = await importFile({ store, format: 'threadline', file, batchSize: 2 });
      assert.deepEqual(
        report.examples.map((e) => [e.line, e.reason]),
        [
          [7, 'malformed'],
          [8, 'malformed'],
          [5, 'missing_account'],
          [6, 'missing_thread'],
          [10, 'missing_comment'],
        ],
      );
      assert.match(report.examples[0]!.detail, /line 7: choice is not a choice for that kind of mail/);
      assert.match(report.examples.at(-1)!.detail, /u1's like names comment c-gone, which is not in the file/);
      assert.deepEqual(report.people, { account: 1, identity: 0, standing: 1, note: 0, mute: 0, watch: 0, preference: 0, like: 2 });
      const una = await store.accounts.findUserById('u1');
      assert.deepEqual(una?.badges, ['expert'], 'a badge this version does not know is left out');
      assert.equal(una?.trusted, true);
      assert.deepEqual(
        (await store.listComments({ threadId: 't1' })).map((c) => [c.id, c.likes]),
        [
          ['c1', 1],
          ['c2', 0],
          ['c3', 1],
        ],
      );
    });

    test('a format 1 export still imports: its staff become accounts, its comments have no mentions', async () => {
      const store = await freshStore();
      const lines = [
        { type: 'header', format: 'threadline', version: 1 },
        { type: 'thread', id: 't1', slug: 'old', title: 'Old', article: '', locked: false, source: null, createdAt: AT, slowModeSeconds: 0, preModeration: false },
        { type: 'comment', id: 'c1', threadId: 't1', parentId: null, status: 'visible', authorName: 'A', authorGuestId: null, clientId: null, body: 'From v1', createdAt: AT, editedAt: null, locked: false, pinned: false, heldReason: null },
        { type: 'bannedWord', word: 'spam' },
        { type: 'user', username: 'oldmod', role: 'moderator', createdAt: AT, removedAt: null },
      ];
      const report = await importFile({ store, format: 'threadline', file: tempFile(lines.map((l) => JSON.stringify(l)).join('\n') + '\n') });
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), 0, JSON.stringify(report.examples));
      assert.deepEqual(report.moderation, { bans: 0, bannedWords: 1, users: 1 });
      assert.deepEqual(
        (await store.listComments({ threadId: 't1' })).map((c) => [c.body, c.mentions]),
        [['From v1', undefined]],
      );
      const text = await exportText(store);
      assert.deepEqual(
        linesOf(text, 'account').map((a) => [a.username, a.role]),
        [['oldmod', 'moderator']],
      );
      assert.deepEqual(linesOf(text, 'comment')[0]?.mentions, []);
      await assert.rejects(
        importFile({ store, format: 'threadline', file: tempFile('{"type":"header","format":"threadline","version":3}\n') }),
        /not a Threadline export \(the first line must be \{"type":"header","format":"threadline","version":2\}, or version 1\)/,
      );
    });

    const header = { type: 'header', format: 'threadline', version: 2 };
    const threadLine = { type: 'thread', id: 't1', slug: 'one', title: 'One', article: '', locked: false, source: null, createdAt: AT, slowModeSeconds: 0, preModeration: false, articleUrl: null, hidden: false };
    const commentLine = { type: 'comment', id: 'c1', threadId: 't1', parentId: null, status: 'visible', authorName: 'A', authorGuestId: 'guest-a', clientId: null, body: 'Hi', createdAt: AT, editedAt: null, locked: false, pinned: false, heldReason: null, mentions: [] };
    const fileOf = (lines: object[]) => tempFile(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

    test('a format 2 file from before issue 19 (no qa, closesAt, pick or answerId) imports as before', async () => {
      const store = await freshStore();
      const lines = [header, threadLine, commentLine, { ...commentLine, id: 'c2', parentId: 'c1', pinned: true }];
      const report = await importFile({ store, format: 'threadline', file: fileOf(lines) });
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), 0, JSON.stringify(report.examples));
      assert.deepEqual(report.warnings, []);
      const thread = await store.findThreadById('t1');
      assert.deepEqual([thread?.qa, thread?.closesAt], [false, null]);
      const comments = await store.listComments({ threadId: 't1' });
      assert.deepEqual(
        comments.map((c) => [c.id, c.pinned, c.pick, c.answerId]),
        [
          ['c1', false, undefined, undefined],
          ['c2', true, undefined, undefined],
        ],
      );
      // As before: the thread's creation and its two comments, no settings changed.
      assert.deepEqual(
        (await store.eventsAfter({ threadId: 't1', afterSeq: 0 })).map((e) => e.type),
        ['thread.created', 'comment.created', 'comment.created'],
      );
      const text = await exportText(store);
      assert.deepEqual(
        linesOf(text, 'thread').map((t) => [t.qa, t.closesAt]),
        [[false, null]],
      );
      assert.deepEqual(
        linesOf(text, 'comment').map((c) => Object.keys(c).filter((k) => k === 'pick' || k === 'answerId')),
        [[], []],
      );
    });

    test("answers that cannot be set leave their question open with a warning; bad issue 19 values make their line malformed", async () => {
      const store = await freshStore();
      const qaThread = { ...threadLine, qa: true, closesAt: CLOSES_AT };
      const question = (id: string, answerId: string) => ({ ...commentLine, id, answerId });
      const reply = (id: string, parentId: string, body = 'An answer') => ({ ...commentLine, id, parentId, body });
      const lines = [
        header,
        qaThread,
        // 3: answered by a reply two pages on (batches of 2): it waits for it.
        question('q1', 'r1'),
        // 4: its answer is not in the file.
        question('q2', 'gone'),
        // 5: its answer is skipped (a body the posting rules refuse).
        question('q3', 'r3'),
        // 6: its answer is below another question.
        question('q4', 'r1'),
        reply('r3', 'q3', ' '),
        reply('r1', 'q1'),
        // 9: a closing time that is not a time; 10: a pick note longer than a note may be.
        { ...threadLine, id: 't2', slug: 'two', closesAt: 'next tuesday' },
        { ...commentLine, id: 'c9', pinned: true, pick: { note: 'x'.repeat(141), at: AT } },
      ];
      const report = await importFile({ store, format: 'threadline', file: fileOf(lines), batchSize: 2 });
      assert.deepEqual(
        report.examples.map((e) => [e.line, e.reason]),
        [
          [7, 'bad_text'],
          [9, 'malformed'],
          [10, 'malformed'],
        ],
      );
      assert.match(report.examples[1]!.detail, /line 9: closesAt Invalid ISO datetime/);
      assert.match(report.examples[2]!.detail, /line 10: pick\.note must be at most 140 characters/);
      assert.deepEqual(report.warnings.sort(), [
        "line 4: comment q2's answer gone is not in the file or was skipped: the question is imported unanswered",
        "line 5: comment q3's answer r3 is not in the file or was skipped: the question is imported unanswered",
        "line 6: comment q4's answer r1 is not a reply below it: the question is imported unanswered",
      ]);
      assert.match(describeReport(report), /warning: line 4: comment q2's answer gone/);
      assert.deepEqual(
        (await store.listComments({ threadId: 't1' })).filter((c) => c.depth === 1).map((c) => [c.id, c.answerId]),
        [
          ['q1', 'r1'],
          ['q2', undefined],
          ['q3', undefined],
          ['q4', undefined],
        ],
      );
      const thread = await store.findThreadById('t1');
      assert.deepEqual([thread?.qa, thread?.closesAt], [true, CLOSES_AT]);
    });

    test('without addresses: no email address and no sign-in link leaves, and the file still imports', async () => {
      const site = await populatedSite();
      const text = await exportText(site.store, { addresses: false });
      assert.doesNotMatch(text, /@(news|mail)\.example/);
      assert.equal(linesOf(text, 'identity').length, 0);
      assert.equal(linesOf(text, 'like').length, 5);
      const target = await freshStore();
      const report = await importFile({ store: target, format: 'threadline', file: tempFile(text) });
      assert.equal(report.people.account, 4);
      assert.equal((await target.accounts.findUserById(site.ann.id))?.email, null);
      assert.equal(await exportText(target, { addresses: false }), text);
    });
  });
}
