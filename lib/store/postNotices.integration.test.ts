import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Comment } from '../domain/types';
import type { CheckedNotification } from './notificationStore';
import type { NoticesOfPost, Store } from './store';
import { storesPerTest } from './testStores';
import type { TestDatabaseKind } from './testDatabases';

/**
 * A post's notices (store.ts CreateCommentRecord.notices): SQLite keeps them in the post's own
 * transaction, by the statement NotificationStore.insert runs, so they stand or fall with the post;
 * PostgreSQL leaves them to the notifier after its one-statement post (docs/decisions.md, "Notices after the commit").
 */
const replyNotice = (recipientId: string): NoticesOfPost => ({ comment, parentAuthorId }) =>
  parentAuthorId === null
    ? []
    : [{ recipientId, kind: 'reply', threadId: comment.threadId, commentId: comment.id, actorId: comment.authorGuestId, actorName: comment.authorName, decision: null, reason: null, checks: ['recipientHasAccount'] } satisfies CheckedNotification];

async function noticeRows(store: Store, recipientId: string) {
  return store.notifications.list({ recipientId, limit: 50, at: new Date().toISOString() });
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`a post's notices on ${kind}`, () => {
    const stores = storesPerTest(kind);

    async function setUp() {
      const store = await stores.fresh();
      const thread = await store.createThread({ slug: 'post-notices', title: 'Post notices' });
      const parentAuthor = (await store.accounts.accountForIdentity({ method: 'email', provider: 'email', subject: 'p@example.test', email: 'p@example.test', emailVerified: true, name: 'Parent Author', badges: null })).user;
      const parent = (await store.createComment({ threadId: thread.id, parentId: null, authorName: parentAuthor.displayName, authorGuestId: parentAuthor.id, body: 'the parent', clientId: null })).comment;
      return { store, thread, parentAuthor, parent };
    }
    const reply = (store: Store, threadId: string, parent: Comment, notices: NoticesOfPost, clientId: string | null = null) =>
      store.createComment({ threadId, parentId: parent.id, authorName: 'Replier', authorGuestId: 'guest-replier', body: 'a reply', clientId, notices });

    test(kind === 'sqlite' ? 'are kept with the post, as the rules decided them from the comment as stored' : 'are left to the notifier: the post keeps none', async () => {
      const { store, thread, parentAuthor, parent } = await setUp();
      const seen: { comment: Comment; parentAuthorId: string | null }[] = [];
      const result = await reply(store, thread.id, parent, (posted) => (seen.push(posted), replyNotice(parentAuthor.id)(posted)));
      if (kind === 'postgres') {
        assert.equal(result.notices, undefined);
        assert.equal(seen.length, 0);
        assert.deepEqual(await noticeRows(store, parentAuthor.id), []);
        return;
      }
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.comment.id, result.comment.id);
      assert.equal(seen[0]?.parentAuthorId, parentAuthor.id);
      assert.equal(result.notices?.length, 1);
      const [kept] = result.notices ?? [];
      assert.equal(kept?.recipientId, parentAuthor.id);
      assert.equal(kept?.commentId, result.comment.id);
      assert.equal(kept?.createdAt, result.comment.createdAt);
      const listed = await noticeRows(store, parentAuthor.id);
      assert.deepEqual(listed.map((n) => n.id), [kept?.id]);
    });

    if (kind !== 'sqlite') return;

    test('a notice whose audience check fails is not kept, and the post stands', async () => {
      const { store, thread, parent } = await setUp();
      // A guest has no account: recipientHasAccount drops it.
      const result = await reply(store, thread.id, parent, replyNotice('guest-without-account'));
      assert.deepEqual(result.notices, []);
      assert.ok(await store.findComment({ id: result.comment.id }));
    });

    test('a retried post keeps nothing more, and a refused post keeps nothing', async () => {
      const { store, thread, parentAuthor, parent } = await setUp();
      const first = await reply(store, thread.id, parent, replyNotice(parentAuthor.id), 'client-1');
      const again = await reply(store, thread.id, parent, replyNotice(parentAuthor.id), 'client-1');
      assert.equal(again.event, null);
      assert.equal(again.comment.id, first.comment.id);
      assert.equal(again.notices, undefined);
      await assert.rejects(reply(store, thread.id, { ...parent, id: 'no-such-parent' }, replyNotice(parentAuthor.id)));
      assert.equal((await noticeRows(store, parentAuthor.id)).length, 1);
    });

    test('a notice that cannot be kept takes its post with it: both, or neither', async () => {
      const { store, thread, parent } = await setUp();
      const broken: NoticesOfPost = () => {
        throw new Error('the rules failed');
      };
      const before = (await store.listComments({ threadId: thread.id })).length;
      await assert.rejects(reply(store, thread.id, parent, broken), /the rules failed/);
      assert.equal((await store.listComments({ threadId: thread.id })).length, before);
    });
  });
}
