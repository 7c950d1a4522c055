import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { displayNameKey, type ProvenIdentity } from '../domain/identity';
import { resolveMentions } from '../domain/mentions';
import type { MentionRef, Thread } from '../domain/types';
import { databaseTarget, openDatabase } from './openDatabase';
import { createPosting, type Posting } from './posting';
import { createSqlStore } from './sqlStore';
import type { CreateCommentRecord, Store } from './store';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

const AUDIT = { actorId: null, actorName: 'test', action: 'test' };

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`mentions in the store on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let posting: Posting;
    let thread: Thread;
    const people: Record<string, string> = {};
    let guests = 0;

    /** An account under `name` (an SSO sign-in: no password), its id remembered by name. */
    async function account(name: string): Promise<string> {
      const identity: ProvenIdentity = { method: 'sso', provider: 'sso', subject: `s-${name}`, email: null, emailVerified: false, name, badges: null };
      const { user } = await store.accounts.accountForIdentity(identity);
      assert.equal(user.displayName, name, `${name} was free`);
      people[name] = user.id;
      return user.id;
    }

    const post = (over: Partial<CreateCommentRecord> & { body: string }) =>
      store.createComment({ threadId: thread.id, parentId: null, authorName: 'Guest', authorGuestId: `guest-${++guests}`, clientId: null, ...over });

    before(async () => {
      db = await createTestDatabase(kind);
      const opened = openDatabase(databaseTarget({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }));
      store = createSqlStore(opened);
      await store.migrate();
      posting = createPosting(opened, () => new Date().toISOString());
      thread = await store.createThread({ slug: 'mentions', title: 'Mentions' });
      for (const name of ['Ann', 'Ann Lee', 'Alice', '\u0410lice', 'Bea Ohm', 'Closed Carl', 'Shadow Sam', 'Erased Eve']) await account(name);
      await store.accounts.removeUser((await store.accounts.findUserById(people['Closed Carl']!))!.username);
    });
    after(async () => {
      await store.close();
      await db.cleanup();
    });

    test('accounts are found by display-name key in one query; closed accounts and unknown keys are not', async () => {
      const keys = ['ann', 'ann lee', 'closed carl', 'nobody', displayNameKey('\uff21lice'), displayNameKey('\u0410lice')];
      const found = await store.mentions.findMentionable(keys);
      assert.deepEqual(
        found.map((f) => [f.key, f.id]).sort(),
        [
          ['alice', people.Alice],
          ['ann', people.Ann],
          ['ann lee', people['Ann Lee']],
          [displayNameKey('\u0410lice'), people['\u0410lice']],
        ].sort(),
      );
      assert.deepEqual(await store.mentions.findMentionable([]), []);
      // More keys than one statement takes: asked in parts, found all the same.
      const many = [...Array.from({ length: 1200 }, (_, i) => `nobody ${i}`), 'bea ohm'];
      assert.deepEqual((await store.mentions.findMentionable(many)).map((f) => f.id), [people['Bea Ohm']]);
    });

    test('resolved against the store: longest match, look-alikes by key, a guest or a closed account never', async () => {
      const find = (keys: readonly string[]) => store.mentions.findMentionable(keys);
      assert.deepEqual(await resolveMentions('@Ann Lee and @ann and @Closed Carl and @Guest', find), [
        { id: people['Ann Lee'], name: 'Ann Lee' },
        { id: people.Ann, name: 'ann' },
      ]);
      assert.deepEqual(await resolveMentions('@\uff21lice @\u0410lice', find), [
        { id: people.Alice, name: '\uff21lice' },
        { id: people['\u0410lice'], name: '\u0410lice' },
      ]);
    });

    test('a post stores its mentions in the same insert, on both posting paths, and reads them back', async () => {
      const mentions: MentionRef[] = [{ id: people.Ann!, name: 'Ann' }, { id: people['Bea Ohm']!, name: 'Bea  Ohm' }];
      const clear = await post({ body: 'hi @Ann and @Bea  Ohm', mentions });
      assert.deepEqual(clear.comment.mentions, mentions);
      assert.equal(clear.event?.type, 'comment.created');
      assert.deepEqual(clear.event?.type === 'comment.created' && clear.event.comment.mentions, mentions, 'the event carries them');
      assert.deepEqual((await store.findComment({ id: clear.comment.id }))?.mentions, mentions);

      const record: CreateCommentRecord = { threadId: thread.id, parentId: null, authorName: 'G', authorGuestId: 'guest-tx', clientId: null, body: '@Ann', mentions: [mentions[0]!] };
      const inTransaction = await posting.postInTransaction(record);
      assert.deepEqual(inTransaction.comment.mentions, [mentions[0]]);
      assert.deepEqual((await store.findComment({ id: inTransaction.comment.id }))?.mentions, [mentions[0]]);
      const oneStatement = await posting.postIfClear({ ...record, authorGuestId: 'guest-clear' });
      assert.ok(oneStatement);
      assert.deepEqual((await store.findComment({ id: oneStatement.comment.id }))?.mentions, [mentions[0]]);

      const none = await post({ body: 'no one' });
      assert.equal('mentions' in none.comment, false);
      assert.equal('mentions' in (await store.findComment({ id: none.comment.id }))!, false);
      // Read back in every list a page uses.
      const listed = (await store.listComments({ threadId: thread.id })).find((c) => c.id === clear.comment.id);
      assert.deepEqual(listed?.mentions, mentions);
      const events = await store.eventsAfter({ threadId: thread.id, afterSeq: 0 });
      const created = events.find((e) => e.type === 'comment.created' && e.comment.id === clear.comment.id);
      assert.deepEqual(created?.type === 'comment.created' && created.comment.mentions, mentions, 'a catch-up replays them');
    });

    test('an edit replaces the mentions with the new text’s; deleting clears them', async () => {
      const { comment } = await post({ body: '@Ann', mentions: [{ id: people.Ann!, name: 'Ann' }], authorGuestId: 'guest-edit' });
      const edited = await store.editComment({
        threadId: thread.id,
        commentId: comment.id,
        authorGuestId: 'guest-edit',
        body: '@Bea Ohm',
        editedAt: new Date().toISOString(),
        hold: null,
        mentions: [{ id: people['Bea Ohm']!, name: 'Bea Ohm' }],
      });
      assert.deepEqual(edited.comment.mentions, [{ id: people['Bea Ohm'], name: 'Bea Ohm' }]);
      assert.deepEqual(edited.event?.type === 'comment.updated' && edited.event.comment.mentions, edited.comment.mentions);
      const cleared = await store.editComment({ threadId: thread.id, commentId: comment.id, authorGuestId: 'guest-edit', body: 'nobody now', editedAt: new Date().toISOString(), hold: null });
      assert.equal('mentions' in cleared.comment, false);
      const again = await store.editComment({ threadId: thread.id, commentId: comment.id, authorGuestId: 'guest-edit', body: '@Ann', editedAt: new Date().toISOString(), hold: null, mentions: [{ id: people.Ann!, name: 'Ann' }] });
      assert.ok(again.comment.mentions);
      const deleted = await store.updateComment({ threadId: thread.id, commentId: comment.id, changes: { status: 'deleted', body: '', authorName: null, mentions: [] } });
      assert.equal('mentions' in deleted.comment, false);
    });

    test("the thread's participants: visible commenters with accounts, by prefix, newest first, never shadow-banned, closed or the asker", async () => {
      const other = await store.createThread({ slug: 'participants', title: 'Participants' });
      const by = (name: string, body = 'hello') => store.createComment({ threadId: other.id, parentId: null, authorName: name, authorGuestId: people[name]!, clientId: null, body, authorIsAccount: true });
      await by('Ann');
      await by('Ann Lee');
      await by('Bea Ohm');
      await by('Ann');
      await by('Closed Carl');
      // A guest's comment (no account) and a held comment are no one to suggest.
      await store.createComment({ threadId: other.id, parentId: null, authorName: 'Annette', authorGuestId: 'a-guest', clientId: null, body: 'guest' });
      await by('Shadow Sam');
      await store.policy.setStanding({ personId: people['Shadow Sam']!, shadowBanned: true, audit: AUDIT });
      const sam = await by('Shadow Sam', 'now held');
      assert.equal(sam.comment.status, 'pending');
      // A removed comment does not make its author a participant.
      const alice = await by('Alice');
      await store.updateComment({ threadId: other.id, commentId: alice.comment.id, changes: { status: 'removed' } });

      const names = async (prefixKey: string, excludeId: string | null = null, limit = 8) =>
        (await store.mentions.threadParticipants({ threadId: other.id, prefixKey, excludeId, limit })).map((p) => p.name);
      assert.deepEqual(await names(''), ['Ann', 'Bea Ohm', 'Ann Lee']);
      assert.deepEqual(await names('ann'), ['Ann', 'Ann Lee']);
      assert.deepEqual(await names('ann '), ['Ann Lee']);
      assert.deepEqual(await names('ann', people.Ann!), ['Ann Lee'], 'not the asker');
      assert.deepEqual(await names('', null, 1), ['Ann']);
      // LIKE's own characters are taken literally.
      assert.deepEqual(await names('%'), []);
      assert.deepEqual(await names('_nn'), []);
      assert.deepEqual(await names('zzz'), []);
      const [ann] = await store.mentions.threadParticipants({ threadId: other.id, prefixKey: 'ann', excludeId: null, limit: 1 });
      assert.deepEqual(ann, { id: people.Ann, name: 'Ann', badges: [] });
    });

    test("a person's public face: open accounts only; their visible comments in listed threads, newest first", async () => {
      const own = await store.createThread({ slug: 'public-page', title: 'Public page' });
      const hidden = await store.createThread({ slug: 'hidden-page', title: 'Hidden' });
      const write = (threadId: string, body: string) => store.createComment({ threadId, parentId: null, authorName: 'Bea Ohm', authorGuestId: people['Bea Ohm']!, clientId: null, body, authorIsAccount: true });
      const first = await write(own.id, 'first');
      await write(hidden.id, 'in a thread hidden since');
      await store.updateThread({ threadId: hidden.id, changes: { hidden: true } });
      const removed = await write(own.id, 'removed one');
      await store.updateComment({ threadId: own.id, commentId: removed.comment.id, changes: { status: 'removed' } });
      const last = await write(own.id, 'last');

      const person = await store.mentions.publicPerson(people['Bea Ohm']!);
      assert.equal(person?.name, 'Bea Ohm');
      assert.deepEqual(person?.badges, []);
      assert.ok(person?.memberSince);
      assert.deepEqual(Object.keys(person!).sort(), ['badges', 'id', 'memberSince', 'name'], 'nothing private');
      const comments = await store.mentions.recentPublicComments({ authorId: people['Bea Ohm']!, limit: 20 });
      const here = comments.filter((c) => c.threadSlug === 'public-page');
      assert.deepEqual(
        here.map((c) => c.id),
        [last.comment.id, first.comment.id],
      );
      assert.equal(comments.some((c) => c.threadSlug === 'hidden-page'), false);
      assert.equal(await store.mentions.publicPerson(people['Closed Carl']!), undefined, 'a closed account');
      assert.equal(await store.mentions.publicPerson('guest-1'), undefined, "a guest's id");
    });

    test("erasing a person takes them out of other people's mentions, as an event, and their own comments' mentions go", async () => {
      const eve = people['Erased Eve']!;
      const ann = people.Ann!;
      const naming = await post({ body: '@Erased Eve and @Ann', mentions: [{ id: eve, name: 'Erased Eve' }, { id: ann, name: 'Ann' }] });
      const own = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Erased Eve', authorGuestId: eve, clientId: null, body: 'hi @Ann', authorIsAccount: true, mentions: [{ id: ann, name: 'Ann' }] });
      const untouched = await post({ body: '@Ann', mentions: [{ id: ann, name: 'Ann' }] });
      const result = await store.ownData.erasePerson({ userId: eve, audit: { ...AUDIT, action: 'person.erase', target: eve } });
      assert.deepEqual((await store.findComment({ id: naming.comment.id }))?.mentions, [{ id: ann, name: 'Ann' }]);
      assert.equal('mentions' in (await store.findComment({ id: own.comment.id }))!, false);
      assert.deepEqual((await store.findComment({ id: untouched.comment.id }))?.mentions, [{ id: ann, name: 'Ann' }]);
      const rewritten = result.changes.find((c) => c.event.type === 'comment.updated' && c.event.comment.id === naming.comment.id);
      assert.ok(rewritten, 'readers are told');
      assert.equal(await store.mentions.publicPerson(eve), undefined);
    });
  });
}
