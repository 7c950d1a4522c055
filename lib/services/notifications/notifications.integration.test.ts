import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NotificationItem } from '../../contract/notifications';
import { AppError } from '../../domain/errors';
import type { Comment, MentionRef } from '../../domain/types';
import type { User } from '../../store/accountStore';
import { openStore, type Store } from '../../store/index';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../store/testDatabases';
import { createServices, type Services } from '../index';

/**
 * Who is told what (lib/services/notifications/rules.ts), end to end through the services on a real
 * store of each kind: posts, edits and moderators' decisions go through the services as the API's
 * would, the notifier runs after each commit, and the bell's list and count are read back. Mentions
 * are resolved by the mention parser (another part of issue 17); here a comment's resolved mentions
 * are published as its event would carry them.
 */
/**
 * Waits (on the clock, not a sleep) for the next millisecond. The bell lists newest first, and notices of
 * one millisecond tie and go by id; on SQLite a post and the next change can fall in one.
 */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setImmediate(resolve));
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`notices on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let services: Services;
    let moderator: User;
    let serial = 0;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      services = createServices({ store, sessionSecret: 'n'.repeat(40), rateLimits: false });
      moderator = (await store.accounts.upsertUser({ username: `mod-${kind}`, passwordHash: 'x', role: 'moderator' })).user;
    });
    after(async () => {
      await services.close();
      await store.close();
      await db.cleanup();
    });

    async function person(name: string): Promise<User> {
      const subject = `${name.toLowerCase()}-${kind}-${++serial}@example.test`;
      return (await store.accounts.accountForIdentity({ method: 'email', provider: 'email', subject, email: subject, emailVerified: true, name: `${name} ${serial}`, badges: null })).user;
    }
    async function thread(options: { preModeration?: boolean } = {}): Promise<string> {
      const slug = `notices-${kind}-${++serial}`;
      await services.threads.createThread({ title: `Thread ${serial}`, slug });
      if (options.preModeration) await services.moderation.updateThreadSettings({ slug, preModeration: true, actor: moderator });
      return slug;
    }
    async function post(slug: string, author: User | { guestId: string }, body: string, parentId?: string): Promise<Comment> {
      const account = 'id' in author ? author : null;
      const guestId = account ? account.id : (author as { guestId: string }).guestId;
      const { comment } = await services.comments.create({
        slug,
        input: { body, parentId: parentId ?? null, ...(account ? {} : { authorName: `Guest ${++serial}` }) },
        guestId,
        account,
        address: '192.0.2.10',
      });
      await services.noticesSettled();
      const stored = await store.findComment({ id: comment.id });
      assert.ok(stored);
      return stored;
    }
    /** A comment as its event carries it once its `@Name`s resolved (the mention parser's part): published as the store would. */
    async function postMentioning(slug: string, author: User, mentions: MentionRef[], parentId?: string): Promise<Comment> {
      const posted = await services.comments.create({ slug, input: { body: `Hello ${mentions.map((m) => `@${m.name}`).join(" ")}`, parentId: parentId ?? null }, guestId: author.id, account: author, address: '192.0.2.10' });
      await services.noticesSettled();
      const comment = { ...(await store.findComment({ id: posted.comment.id }))!, mentions };
      const thread = await store.findThreadRowBySlug(slug);
      services.bus.publish({ slug, event: { type: 'comment.created', comment, threadId: thread!.id, seq: comment.seq, createdAt: comment.createdAt! } });
      await services.noticesSettled();
      return comment;
    }
    const bell = async (user: User): Promise<NotificationItem[]> => (await services.notifications.list({ userId: user.id, limit: 50 })).notifications;
    /** Every notice kept for the id, decisions included (the bell's rule lists all of these while their comments are visible). */
    const notices = (recipientId: string) => store.notifications.list({ recipientId, limit: 100, at: new Date().toISOString() });
    const unread = (user: User) => services.notifications.unread(user.id);
    const summary = (items: NotificationItem[]) => items.map((n) => `${n.kind}${n.decision ? `:${n.decision}` : ''} ${n.commentId}`);

    test('a direct reply tells the parent’s author, with the thread, the replier and an excerpt; the replier is told nothing', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'What do you think of the bridge?');
      const reply = await post(slug, ben, 'I think   it is\n\nfine.', top.id);
      const items = await bell(ann);
      assert.deepEqual(summary(items), [`reply ${reply.id}`]);
      assert.equal(items[0]!.actorName, ben.displayName);
      assert.equal(items[0]!.excerpt, 'I think it is fine.');
      assert.equal(items[0]!.thread.slug, slug);
      assert.equal(items[0]!.href, `/articles/${slug}/comments/${reply.id}#c-${reply.id}`);
      assert.equal(items[0]!.read, false);
      assert.equal(await unread(ann), 1);
      assert.deepEqual(await bell(ben), [], 'one’s own post tells oneself nothing');
      // A reply further down the branch is not a direct reply to the top comment's author.
      const deeper = await post(slug, ann, 'Thanks', reply.id);
      assert.deepEqual(summary(await bell(ben)), [`reply ${deeper.id}`]);
      assert.equal(await unread(ann), 1, 'Ann answering Ben tells Ann nothing new');
    });

    test('a reply to oneself, and a reply to a guest, tell nobody', async () => {
      const ann = await person('Ann');
      const slug = await thread();
      const top = await post(slug, ann, 'First');
      await post(slug, ann, 'Adding to my own comment', top.id);
      assert.deepEqual(await bell(ann), []);
      const guestTop = await post(slug, { guestId: `guest${kind}${++serial}` }, 'A guest writes');
      const answer = await post(slug, ann, 'Answering the guest', guestTop.id);
      assert.equal(answer.parentId, guestTop.id);
      assert.deepEqual(await notices(guestTop.authorGuestId!), [], 'a guest has no account to keep a notice');
    });

    test('mentions tell each real, distinct account once, never the author, a guest or an unknown id; a reply that also mentions its parent’s author is one reply', async () => {
      const [ann, ben, cat] = [await person('Ann'), await person('Ben'), await person('Cat')];
      const slug = await thread();
      const comment = await postMentioning(slug, ben, [
        { id: ann.id, name: ann.displayName },
        { id: cat.id, name: cat.displayName },
        { id: ben.id, name: ben.displayName },
        { id: 'nosuchaccount', name: 'Nobody' },
      ]);
      assert.deepEqual(summary(await bell(ann)), [`mention ${comment.id}`]);
      assert.deepEqual(summary(await bell(cat)), [`mention ${comment.id}`]);
      assert.deepEqual(await bell(ben), []);
      // The same event again (a retried listener) keeps nothing twice.
      const threadRow = await store.findThreadRowBySlug(slug);
      services.bus.publish({ slug, event: { type: 'comment.created', comment, threadId: threadRow!.id, seq: comment.seq, createdAt: comment.createdAt! } });
      await services.noticesSettled();
      assert.equal((await bell(ann)).length, 1);

      const top = await post(slug, ann, 'Ann’s own comment');
      const reply = await postMentioning(slug, ben, [{ id: ann.id, name: ann.displayName }], top.id);
      assert.deepEqual(summary(await bell(ann)), [`reply ${reply.id}`, `mention ${comment.id}`]);
    });

    test('an edit that names someone tells them once; other updates of a comment (a pin, a rename) tell nobody', async () => {
      const [ann, ben, cat] = [await person('Ann'), await person('Ben'), await person('Cat')];
      const slug = await thread();
      const posted = await post(slug, ben, 'Before the edit');
      const threadRow = (await store.findThreadRowBySlug(slug))!;
      const updated = (comment: Comment, at: string) =>
        services.bus.publish({ slug, event: { type: 'comment.updated', comment, threadId: threadRow.id, seq: comment.seq + 1, createdAt: at } });
      // A rename long after the last edit: the event carries the comment with its old editedAt.
      updated({ ...posted, editedAt: '2020-01-01T00:00:00.000Z', mentions: [{ id: cat.id, name: cat.displayName }] }, new Date().toISOString());
      await services.noticesSettled();
      assert.deepEqual(await bell(cat), []);
      const now = new Date().toISOString();
      updated({ ...posted, editedAt: now, mentions: [{ id: ann.id, name: ann.displayName }] }, now);
      updated({ ...posted, editedAt: now, mentions: [{ id: ann.id, name: ann.displayName }] }, now);
      await services.noticesSettled();
      assert.deepEqual(summary(await bell(ann)), [`mention ${posted.id}`]);
    });

    test('mentions beyond the limit tell nobody', async () => {
      const ben = await person('Ben');
      const many: User[] = [];
      for (let i = 0; i < 12; i++) many.push(await person(`Many${i}`));
      const slug = await thread();
      await postMentioning(slug, ben, many.map((m) => ({ id: m.id, name: m.displayName })));
      const told = await Promise.all(many.map(async (m) => (await bell(m)).length));
      assert.deepEqual(told, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    });

    test('nothing from someone one muted, nothing on a thread one blocked; both lifted, one is told again', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await services.notifications.mute({ userId: ann.id, personId: ben.id });
      await post(slug, ben, 'Muted reply', top.id);
      await postMentioning(slug, ben, [{ id: ann.id, name: ann.displayName }]);
      assert.deepEqual(await bell(ann), []);
      await services.notifications.unmute({ userId: ann.id, personId: ben.id });

      await services.notifications.watch({ userId: ann.id, slug, mode: 'block' });
      await post(slug, ben, 'Reply on a blocked thread', top.id);
      assert.deepEqual(await bell(ann), []);
      await services.notifications.watch({ userId: ann.id, slug, mode: 'follow' });
      const heard = await post(slug, ben, 'Reply on a followed thread', top.id);
      assert.deepEqual(summary(await bell(ann)), [`reply ${heard.id}`]);

      // Muting after the fact hides what they said from the bell too.
      await services.notifications.mute({ userId: ann.id, personId: ben.id });
      assert.deepEqual(await bell(ann), []);
      assert.equal(await unread(ann), 0);
    });

    test('a muted guest who signs in and claims their comments stays muted', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      const guestId = `guest${kind}${++serial}`;
      await post(slug, { guestId }, 'A guest’s reply', top.id);
      await services.notifications.mute({ userId: ann.id, personId: guestId });
      await store.ownData.claimGuest({ guestId, userId: ben.id });
      assert.deepEqual(
        (await services.notifications.mutes(ann.id)).map((m) => m.personId),
        [ben.id],
      );
      await post(slug, ben, 'Now signed in', top.id);
      assert.deepEqual(await bell(ann), []);
    });

    test('muting oneself or nobody is refused', async () => {
      const ann = await person('Ann');
      await assert.rejects(services.notifications.mute({ userId: ann.id, personId: ann.id }), (err: unknown) => AppError.is(err) && err.code === 'cannot_mute_self');
      await assert.rejects(services.notifications.mute({ userId: ann.id, personId: 'nosuchperson' }), (err: unknown) => AppError.is(err) && err.code === 'person_not_found');
      await assert.rejects(services.notifications.muteByName({ userId: ann.id, displayName: 'Nobody Here At All' }), (err: unknown) => AppError.is(err) && err.code === 'person_not_found');
    });

    test('a shadow-banned person tells nobody, and is told nothing about their held comment', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await store.policy.setStanding({ personId: ben.id, shadowBanned: true, audit: { actorId: moderator.id, actorName: moderator.username, action: 'person.shadow_ban', target: ben.id } });
      const held = await post(slug, ben, 'Only I see this', top.id);
      assert.equal(held.heldReason, 'shadow_banned');
      assert.deepEqual(await bell(ann), []);
      assert.deepEqual(await bell(ben), [], 'no “held” notice: the shadow-ban stays invisible');
      await services.moderation.actOnComment({ commentId: held.id, action: 'approve', actor: moderator });
      await services.noticesSettled();
      assert.deepEqual(await bell(ann), [], 'approved, it is still by a shadow-banned person');
      assert.deepEqual(await bell(ben), [], 'nor is its approval told');
    });

    test('a banned person’s earlier replies leave the bell', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await post(slug, ben, 'Before my ban', top.id);
      assert.equal(await unread(ann), 1);
      await services.moderation.ban({ guestId: ben.id, reason: 'abuse', actor: moderator });
      assert.deepEqual(await bell(ann), []);
      assert.equal(await unread(ann), 0);
    });

    test('a removed reply leaves the bell; its author is told it was removed, with the reason', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      const reply = await post(slug, ben, 'Rude reply', top.id);
      assert.equal(await unread(ann), 1);
      await services.moderation.actOnComment({ commentId: reply.id, action: 'remove', actor: moderator, reason: 'Personal attack' });
      await services.noticesSettled();
      assert.deepEqual(await bell(ann), []);
      const told = await bell(ben);
      assert.deepEqual(summary(told), [`moderation:removed ${reply.id}`]);
      assert.equal(told[0]!.reason, 'Personal attack');
      assert.equal(told[0]!.actorName, null, 'the author is not told which moderator');
      assert.equal(told[0]!.excerpt, null, 'a removed comment’s text is not shown');
    });

    test('a pick tells its author once (kind featured, the note as its reason); a new note, an unfeature and a feature again tell nothing more; a blocked thread tells nothing', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      // From an address of their own: the file's other posts come from one, where new people past a few are held as a burst.
      const postAs = async (slug: string, author: User, body: string) => {
        const { comment } = await services.comments.create({ slug, input: { body, parentId: null }, guestId: author.id, account: author, address: '198.51.100.19' });
        await services.noticesSettled();
        return comment;
      };
      const slug = await thread();
      const mine = await postAs(slug, ann, 'Worth featuring');
      await services.moderation.actOnComment({ commentId: mine.id, action: 'pin', actor: moderator, note: 'Clear and kind' });
      await services.noticesSettled();
      const told = await bell(ann);
      assert.deepEqual(summary(told), [`featured ${mine.id}`]);
      assert.deepEqual([told[0]!.reason, told[0]!.actorName, told[0]!.excerpt], ['Clear and kind', null, 'Worth featuring']);
      assert.equal(told[0]!.href, `/articles/${slug}/comments/${mine.id}#c-${mine.id}`);
      await services.moderation.actOnComment({ commentId: mine.id, action: 'pin', actor: moderator, note: 'A new note' });
      await services.moderation.actOnComment({ commentId: mine.id, action: 'unpin', actor: moderator });
      await services.moderation.actOnComment({ commentId: mine.id, action: 'pin', actor: moderator });
      await services.noticesSettled();
      assert.equal(await unread(ann), 1, 'told once');

      const blocked = await thread();
      await services.notifications.watch({ userId: ben.id, slug: blocked, mode: 'block' });
      const his = await postAs(blocked, ben, 'On a thread Ben blocked');
      await services.moderation.actOnComment({ commentId: his.id, action: 'pin', actor: moderator });
      await services.noticesSettled();
      assert.deepEqual(await bell(ben), []);
    });

    test('a held reply tells its author it is held, and its parent’s author only once approved', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await services.moderation.updateThreadSettings({ slug, preModeration: true, actor: moderator });
      const reply = await post(slug, ben, 'Waiting reply', top.id);
      assert.equal(reply.status, 'pending');
      assert.deepEqual(await bell(ann), [], 'not before it is approved');
      assert.deepEqual(summary(await bell(ben)), [`moderation:held ${reply.id}`]);
      await services.moderation.actOnComment({ commentId: reply.id, action: 'approve', actor: moderator });
      await services.noticesSettled();
      assert.deepEqual(summary(await bell(ann)), [`reply ${reply.id}`]);
      assert.deepEqual(summary(await bell(ben)), [`moderation:approved ${reply.id}`, `moderation:held ${reply.id}`]);
    });

    test('a rejected comment’s author is told it was removed; a moderator deciding on their own comment is told nothing', async () => {
      const ben = await person('Ben');
      const slug = await thread({ preModeration: true });
      const held = await post(slug, ben, 'Held');
      await nextMillisecond();
      await services.moderation.actOnComment({ commentId: held.id, action: 'reject', actor: moderator, reason: 'Off topic' });
      await services.noticesSettled();
      assert.deepEqual(summary(await bell(ben)), [`moderation:removed ${held.id}`, `moderation:held ${held.id}`]);

      const own = await post(slug, moderator, 'The moderator’s own comment');
      await services.moderation.actOnComment({ commentId: own.id, action: 'approve', actor: moderator });
      await services.noticesSettled();
      assert.deepEqual(summary(await bell(moderator)), [`moderation:held ${own.id}`], 'held by the posting rules: told; their own approval: not');
    });

    test('a deleted account is told nothing, and its notices and settings go with it', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await post(slug, ben, 'A reply', top.id);
      await services.notifications.mute({ userId: ann.id, personId: ben.id });
      await services.notifications.watch({ userId: ann.id, slug, mode: 'follow' });
      await services.ownData.erase({ userId: ann.id, by: { self: true } });
      assert.equal(await store.ownData.exportPerson(ann.id), undefined);
      assert.deepEqual(await notices(ann.id), []);
      assert.deepEqual(await store.notifications.listMutes(ann.id), []);
      assert.deepEqual(await store.notifications.listWatches(ann.id), []);
      // Ben's later mention of the account that is gone tells nobody.
      await postMentioning(slug, ben, [{ id: ann.id, name: 'Ann' }]);
      assert.deepEqual(await notices(ann.id), []);
    });

    test('the bell pages newest first without overlap, refuses a cursor it did not hand out, and marks read by id or all', async () => {
      const [ann, ben, cat] = [await person('Ann'), await person('Ben'), await person('Cat')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      const replies: string[] = [];
      for (let i = 0; i < 5; i++) {
        replies.push((await post(slug, ben, `Reply ${i}`, top.id)).id);
        await nextMillisecond();
      }
      const first = await services.notifications.list({ userId: ann.id, limit: 2 });
      const second = await services.notifications.list({ userId: ann.id, limit: 2, before: first.next! });
      const third = await services.notifications.list({ userId: ann.id, limit: 2, before: second.next! });
      const walked = [...first.notifications, ...second.notifications, ...third.notifications].map((n) => n.commentId);
      assert.deepEqual(walked, [...replies].reverse());
      assert.equal(third.next, null);
      assert.equal(first.unread, 5);
      await assert.rejects(services.notifications.list({ userId: ann.id, before: 'bm90LWEtY3Vyc29y' }), (err: unknown) => AppError.is(err) && err.code === 'invalid_request' && err.fields?.before !== undefined);

      const catTop = await post(slug, cat, 'Cat top');
      await post(slug, ben, 'To Cat', catTop.id);
      const catsNotice = (await bell(cat))[0]!.id;
      const marked = await services.notifications.markRead({ userId: ann.id, read: { ids: [first.notifications[0]!.id, catsNotice] } });
      assert.deepEqual(marked, { marked: 1, unread: 4 }, 'another person’s notice is not marked');
      assert.equal(await unread(cat), 1);
      assert.deepEqual(await services.notifications.markRead({ userId: ann.id, read: { all: true } }), { marked: 4, unread: 0 });
      assert.ok((await bell(ann)).every((n) => n.read));
    });

    test('a thread hidden by an admin leaves the bell and the watch list, its decisions too; shown again, they are back', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      const reply = await post(slug, ben, 'Reply', top.id);
      await services.moderation.actOnComment({ commentId: reply.id, action: 'remove', actor: moderator });
      await services.notifications.watch({ userId: ann.id, slug, mode: 'follow' });
      await services.noticesSettled();
      const top2 = await post(slug, ann, 'Second');
      const reply2 = await post(slug, ben, 'Reply 2', top2.id);
      assert.deepEqual(summary(await bell(ann)), [`reply ${reply2.id}`]);
      assert.deepEqual(summary(await bell(ben)), [`moderation:removed ${reply.id}`]);
      const admin = (await store.accounts.upsertUser({ username: `hider-${kind}-${++serial}`, passwordHash: 'x', role: 'admin' })).user;
      await services.moderation.setThreadHidden({ slug, hidden: true, actor: admin });
      assert.deepEqual(await bell(ann), []);
      assert.deepEqual(await bell(ben), []);
      assert.deepEqual(await services.notifications.watches(ann.id), []);
      await services.moderation.setThreadHidden({ slug, hidden: false, actor: admin });
      assert.equal((await bell(ann)).length, 1);
      assert.equal((await services.notifications.watches(ann.id)).length, 1);
      // Blocking the thread silences its decisions too.
      await services.notifications.watch({ userId: ben.id, slug, mode: 'block' });
      assert.deepEqual(await bell(ben), []);
    });

    test('deleting a thread takes its notices and watches along', async () => {
      const [ann, ben] = [await person('Ann'), await person('Ben')];
      const slug = await thread();
      const top = await post(slug, ann, 'Top');
      await post(slug, ben, 'Reply', top.id);
      await services.notifications.watch({ userId: ben.id, slug, mode: 'follow' });
      const admin = (await store.accounts.upsertUser({ username: `admin-${kind}-${++serial}`, passwordHash: 'x', role: 'admin' })).user;
      await services.moderation.deleteThread({ slug, actor: admin });
      assert.deepEqual(await bell(ann), []);
      assert.deepEqual(await services.notifications.watches(ben.id), []);
      assert.deepEqual(await notices(ann.id), []);
    });
  });
}
