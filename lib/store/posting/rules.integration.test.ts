import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../domain/errors';
import type { Comment, Thread } from '../../domain/types';
import { databaseTarget, openDatabase } from '../openDatabase';
import { BannedRefusal } from '../refusals';
import { createSqlStore } from '../sqlStore';
import type { CreateCommentRecord, CreateCommentResult, Store } from '../store';
import { createTestDatabase, type TestDatabaseKind } from '../testDatabases';
import { createPosting, type Posting } from './index';
import { POSTING_RULES, type PostingRule, type PostingStop } from './rules';

/** What each case starts from: its own thread with a top-level comment and a reply under it, and its own guest. */
interface Scene {
  store: Store;
  thread: Thread;
  top: Comment;
  reply: Comment;
  guest: string;
}

/** A post that is stored, as the table states it: where it sits and whether it is held. */
type Posted = `posted depth=${number} root=${'self' | 'top'} ${'visible' | 'pending'}${'' | ' pre_moderation' | ' banned_word'}`;

interface Case {
  name: string;
  /** The case's situation, and how its post differs from a plain top-level post by the scene's guest. */
  arrange(scene: Scene): Promise<Partial<CreateCommentRecord>>;
  /** What the store and the transaction do with the post. */
  expect: Posted | PostingStop;
  /** What the one-statement path does, when it is not what the store does: it leaves slow-mode threads to the transaction. */
  clearPath?: 'declined';
}

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Every posting rule, each stopping a post and each letting one through. A rule
 * added to POSTING_RULES needs a case here (the first test checks).
 */
const CASES: readonly Case[] = [
  { name: 'a top-level post', arrange: async () => ({}), expect: 'posted depth=1 root=self visible' },
  { name: 'a reply', arrange: async ({ top }) => ({ parentId: top.id }), expect: 'posted depth=2 root=top visible' },
  { name: 'a reply to a reply', arrange: async ({ reply }) => ({ parentId: reply.id }), expect: 'posted depth=3 root=top visible' },
  { name: 'held by the caller (a banned word)', arrange: async () => ({ hold: 'banned_word' }), expect: 'posted depth=1 root=self pending banned_word' },
  {
    name: 'pre-moderated thread',
    arrange: async ({ store, thread, top }) => {
      await store.updateThread({ threadId: thread.id, changes: { preModeration: true } });
      return { parentId: top.id, hold: 'banned_word' };
    },
    expect: 'posted depth=2 root=top pending pre_moderation',
  },

  {
    name: 'a retried clientId',
    arrange: async ({ store, thread, guest }) => {
      await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Ada', authorGuestId: guest, body: 'first', clientId: 'c-1' });
      return { clientId: 'c-1', body: 'a different body' };
    },
    expect: 'retried',
  },
  {
    name: 'a retry after the thread was locked and the guest banned',
    arrange: async ({ store, thread, guest }) => {
      await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Ada', authorGuestId: guest, body: 'first', clientId: 'c-1' });
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      await store.moderation.createBan({ guestId: guest, reason: 'spam', until: null, createdBy: 'mod' });
      return { clientId: 'c-1' };
    },
    expect: 'retried',
  },
  { name: 'a new clientId', arrange: async () => ({ clientId: 'c-new' }), expect: 'posted depth=1 root=self visible' },

  { name: 'no such thread', arrange: async () => ({ threadId: 'no-such-thread' }), expect: 'thread_not_found' },

  {
    name: 'a locked thread',
    arrange: async ({ store, thread }) => {
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      return {};
    },
    expect: 'thread_locked',
  },
  {
    name: 'a locked thread, the guest also banned: the lock comes first',
    arrange: async ({ store, thread, guest }) => {
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      await store.moderation.createBan({ guestId: guest, reason: 'spam', until: null, createdBy: 'mod' });
      return {};
    },
    expect: 'thread_locked',
  },

  {
    name: 'a banned guest',
    arrange: async ({ store, guest }) => {
      await store.moderation.createBan({ guestId: guest, reason: 'spam', until: later(3_600_000), createdBy: 'mod' });
      return {};
    },
    expect: 'banned',
  },
  {
    name: 'a ban that is over',
    arrange: async ({ store, guest }) => {
      await store.moderation.createBan({ guestId: guest, reason: 'spam', until: '2000-01-01T00:00:00.000Z', createdBy: 'mod' });
      return {};
    },
    expect: 'posted depth=1 root=self visible',
  },
  {
    name: 'a banned guest when the ban check is not asked for',
    arrange: async ({ store, guest }) => {
      await store.moderation.createBan({ guestId: guest, reason: 'spam', until: null, createdBy: 'mod' });
      return { refuseIfBannedAt: undefined };
    },
    expect: 'posted depth=1 root=self visible',
  },

  {
    name: 'slow mode, the guest posted just now',
    arrange: async ({ store, thread, guest }) => {
      await store.updateThread({ threadId: thread.id, changes: { slowModeSeconds: 60 } });
      await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Ada', authorGuestId: guest, body: 'first', clientId: null });
      return {};
    },
    expect: 'slow_mode',
  },
  {
    name: "slow mode, the guest's first post",
    arrange: async ({ store, thread }) => {
      await store.updateThread({ threadId: thread.id, changes: { slowModeSeconds: 60 } });
      return {};
    },
    expect: 'posted depth=1 root=self visible',
    clearPath: 'declined',
  },
  {
    name: 'slow mode, the retry of the post that started the wait',
    arrange: async ({ store, thread, guest }) => {
      await store.updateThread({ threadId: thread.id, changes: { slowModeSeconds: 60 } });
      await store.createComment({ threadId: thread.id, parentId: null, authorName: 'Ada', authorGuestId: guest, body: 'first', clientId: 's-1' });
      return { clientId: 's-1' };
    },
    expect: 'retried',
  },

  { name: 'a parent that does not exist', arrange: async () => ({ parentId: 'no-such-comment' }), expect: 'parent_not_found' },
  {
    name: 'a parent held for review',
    arrange: async ({ store, thread }) => {
      const held = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'H', authorGuestId: 'holder', body: 'held', clientId: null, hold: 'banned_word' });
      return { parentId: held.comment.id };
    },
    expect: 'parent_not_found',
  },
  {
    name: 'a parent removed by a moderator',
    arrange: async ({ store, thread, reply }) => {
      await store.updateComment({ threadId: thread.id, commentId: reply.id, changes: { status: 'removed' } });
      return { parentId: reply.id };
    },
    expect: 'parent_not_found',
  },
  {
    name: 'a parent in another thread',
    arrange: async ({ store, top }) => {
      const other = await store.createThread({ slug: `other-${top.id}`, title: 'Other' });
      return { threadId: other.id, parentId: top.id };
    },
    expect: 'parent_not_found',
  },

  {
    name: 'a locked parent',
    arrange: async ({ store, thread, reply }) => {
      await store.updateComment({ threadId: thread.id, commentId: reply.id, changes: { locked: true } });
      return { parentId: reply.id };
    },
    expect: 'branch_locked',
  },
  {
    name: 'a parent below a locked comment',
    arrange: async ({ store, thread, top, reply }) => {
      await store.updateComment({ threadId: thread.id, commentId: top.id, changes: { locked: true } });
      return { parentId: reply.id };
    },
    expect: 'branch_locked',
  },
  {
    name: 'a sibling branch of a locked one',
    arrange: async ({ store, thread, top, reply }) => {
      await store.updateComment({ threadId: thread.id, commentId: reply.id, changes: { locked: true } });
      return { parentId: top.id };
    },
    expect: 'posted depth=2 root=top visible',
  },
];

type Path = 'store' | 'transaction' | 'oneStatement';

/** One database for the engine's tests; each run of the table makes scenes of its own in it. */
interface Bench {
  store: Store;
  posting(rules: readonly PostingRule[]): Posting;
  close(): Promise<void>;
}

async function openBench(kind: TestDatabaseKind): Promise<Bench> {
  const db = await createTestDatabase(kind);
  const opened = openDatabase(databaseTarget({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }));
  const store = createSqlStore(opened);
  await store.migrate();
  return {
    store,
    posting: (rules) => createPosting(opened, () => new Date().toISOString(), rules),
    async close() {
      await store.close();
      await db.cleanup();
    },
  };
}

let scenes = 0;

/**
 * Runs each case through each path on a fresh scene (a path that stores the
 * post changes what the next would see), and returns one line per case and
 * path: what happened, and what the table says should have.
 */
async function runTable(bench: Bench, rules: readonly PostingRule[], cases: readonly Case[] = CASES): Promise<{ outcomes: string[]; expected: string[] }> {
  const posting = bench.posting(rules);
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const c of cases) {
    for (const path of ['store', 'transaction', 'oneStatement'] as const) {
      const scene = await newScene(bench.store, `s${scenes++}`);
      const overrides = await c.arrange(scene);
      const record: CreateCommentRecord = {
        threadId: scene.thread.id,
        parentId: null,
        authorName: 'Ada',
        authorGuestId: scene.guest,
        body: 'hello',
        clientId: null,
        refuseIfBannedAt: new Date().toISOString(),
        ...overrides,
      };
      const want = path === 'oneStatement' && (c.clearPath === 'declined' || !c.expect.startsWith('posted')) ? 'declined' : c.expect;
      expected.push(`${c.name} [${path}]: ${want}`);
      outcomes.push(`${c.name} [${path}]: ${await outcomeOf(scene, record, path, posting)}`);
    }
  }
  return { outcomes, expected };
}

async function newScene(store: Store, name: string): Promise<Scene> {
  const thread = await store.createThread({ slug: name, title: name });
  const top = (await store.createComment({ threadId: thread.id, parentId: null, authorName: 'T', authorGuestId: `${name}-t`, body: 'top', clientId: null })).comment;
  const reply = (await store.createComment({ threadId: thread.id, parentId: top.id, authorName: 'R', authorGuestId: `${name}-r`, body: 'reply', clientId: null })).comment;
  return { store, thread: (await store.findThreadById(thread.id))!, top, reply, guest: `${name}-guest` };
}

/** One post through one path, as the table writes it; the seq taken is checked too. */
async function outcomeOf(scene: Scene, record: CreateCommentRecord, path: Path, posting: Posting): Promise<string> {
  const seqBefore = (await scene.store.findThreadById(record.threadId))?.seq;
  let result: CreateCommentResult | undefined;
  try {
    result = await (path === 'store' ? scene.store.createComment(record) : path === 'transaction' ? posting.postInTransaction(record) : posting.postIfClear(record));
  } catch (err) {
    if (!AppError.is(err)) return `threw ${String(err)}`;
    const seqAfter = (await scene.store.findThreadById(record.threadId))?.seq;
    if (seqAfter !== seqBefore) return `${err.code}, yet took a seq`;
    return refusalProblem(err) ?? err.code;
  }
  const seqAfter = (await scene.store.findThreadById(record.threadId))?.seq;
  if (!result) return seqAfter === seqBefore ? 'declined' : 'declined, yet took a seq';
  if (!result.event) return seqAfter === seqBefore ? 'retried' : 'retried, yet took a seq';
  const c = result.comment;
  if (c.seq !== seqBefore! + 1 || seqAfter !== c.seq || result.event.seq !== c.seq) return `posted with seq ${c.seq} (thread ${seqBefore} → ${seqAfter})`;
  const stored = await scene.store.findComment({ id: c.id });
  if (JSON.stringify(stored) !== JSON.stringify(c)) return `posted, but read back as ${JSON.stringify(stored)} against ${JSON.stringify(c)}`;
  const root = c.rootId === c.id ? 'self' : c.rootId === scene.top.id ? 'top' : `other root ${c.rootId}`;
  return `posted depth=${c.depth} root=${root} ${c.status}${c.heldReason ? ` ${c.heldReason}` : ''}`;
}

/** What a refusal must carry beyond its code. */
function refusalProblem(err: AppError): string | undefined {
  if (err.code === 'slow_mode' && !(err.retryAfter !== undefined && err.retryAfter >= 59 && err.retryAfter <= 60)) return `slow_mode with retryAfter ${err.retryAfter}`;
  if (err.code === 'banned' && !(err instanceof BannedRefusal && err.ban?.reason === 'spam' && err.ban.until !== null)) return 'banned without the ban';
  return undefined;
}

for (const kind of ['sqlite', 'postgres'] as const satisfies readonly TestDatabaseKind[]) {
  describe(`the posting rules on ${kind}`, () => {
    let bench: Bench;
    before(async () => {
      bench = await openBench(kind);
    });
    after(async () => {
      await bench?.close();
    });

    test('every rule has a case that it stops', () => {
      const covered = new Set(CASES.map((c) => c.expect));
      assert.deepEqual(
        POSTING_RULES.map((rule) => rule.stop).filter((stop) => !covered.has(stop)),
        [],
      );
    });

    test('the store, the transaction and the one-statement path each do what the table says with every case', async () => {
      const { outcomes, expected } = await runTable(bench, POSTING_RULES);
      assert.deepEqual(outcomes, expected);
    });

    test('a rule left out of the list is missed by the table', async () => {
      for (const rule of POSTING_RULES) {
        // The cases the rule stops are where its absence shows.
        const { outcomes, expected } = await runTable(
          bench,
          POSTING_RULES.filter((r) => r !== rule),
          CASES.filter((c) => c.expect === rule.stop),
        );
        assert.ok(
          outcomes.some((line, i) => line !== expected[i]),
          `without ${rule.stop} every case still came out as the table says`,
        );
      }
    });
  });
}
