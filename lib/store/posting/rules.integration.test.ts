import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../domain/errors';
import { DEFAULT_SITE_SETTINGS, type CommentPolicy, type SiteSettings } from '../../domain/commentPolicy';
import type { Comment, HeldReason, Thread } from '../../domain/types';
import { databaseTarget, openDatabase } from '../openDatabase';
import { BannedRefusal } from '../refusals';
import { createSqlStore } from '../sqlStore';
import type { CreateCommentRecord, CreateCommentResult, EditCommentRecord, EditCommentResult, Store, UpdateCommentRecord } from '../store';
import { createTestDatabase, type TestDatabaseKind } from '../testDatabases';
import { createPosting, type Posting } from './index';
import { EDIT_SHAPE, POSTING_RULES, rulesFor, type PostingRule, type PostingStop } from './rules';

/** What each case starts from: its own thread with a top-level comment and a reply under it, and its own guest. */
interface Scene {
  store: Store;
  thread: Thread;
  top: Comment;
  reply: Comment;
  guest: string;
}

/** A post that is stored, as the table states it: where it sits and whether it is held. */
type Posted = `posted depth=${number} root=${'self' | 'top'} ${'visible' | 'pending'}${'' | ' pre_moderation' | ' banned_word' | ' guest_review' | ' new_account' | ' untrusted' | ' shadow_banned'}`;

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

/** An arrangement that only changes the thread's settings (its lock, slow mode, pre-moderation). */
const settings =
  (changes: Parameters<Store['updateThread']>[0]['changes']) =>
  async ({ store, thread }: Scene): Promise<Record<string, never>> => {
    await store.updateThread({ threadId: thread.id, changes });
    return {};
  };

/** An arrangement that only changes the scene's top comment or its reply (a moderator's pin, lock or removal). */
const changed =
  (which: 'top' | 'reply', changes: UpdateCommentRecord['changes']) =>
  async (scene: Scene): Promise<Record<string, never>> => {
    await scene.store.updateComment({ threadId: scene.thread.id, commentId: scene[which].id, changes });
    return {};
  };

const AUDIT_ACTOR = { actorId: null, actorName: 'mod' };

/** An arrangement that sets the thread's own comment policy (lib/domain/commentPolicy.ts), and how the post differs. */
const policy =
  (commentPolicy: CommentPolicy, record: Partial<CreateCommentRecord> = {}) =>
  async ({ store, thread }: Scene): Promise<Partial<CreateCommentRecord>> => {
    await store.updateThread({ threadId: thread.id, changes: { commentPolicy } });
    return record;
  };

/** A moderator's word on the scene's guest (trusted, shadow-banned). */
const standing = (scene: Scene, change: { trusted?: boolean; shadowBanned?: boolean }) =>
  scene.store.policy.setStanding({ personId: scene.guest, ...change, audit: { ...AUDIT_ACTOR, action: 'person.test' } });

/** The scene's guest with `count` comments rejected by moderators. */
async function rejected(scene: Scene, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { comment } = await scene.store.createComment({ threadId: scene.thread.id, parentId: null, authorName: 'G', authorGuestId: scene.guest, body: `no ${i}`, clientId: null, hold: 'banned_word' });
    await scene.store.updateComment({ threadId: scene.thread.id, commentId: comment.id, changes: { status: 'deleted', heldReason: null }, audit: { ...AUDIT_ACTOR, action: 'comment.reject' } });
  }
}

const HOLD_TWO: SiteSettings = { ...DEFAULT_SITE_SETTINGS, newAccountHold: 2 };

/** Who may comment and whose comments wait: the policy, trust and shadow-bans (lib/store/posting/personRules.ts). */
const PERSON_CASES: readonly Case[] = [
  { name: "'accounts': a guest", arrange: policy('accounts'), expect: 'account_required' },
  { name: "'accounts': an account", arrange: policy('accounts', { authorIsAccount: true }), expect: 'posted depth=1 root=self visible' },
  { name: "'accounts' by the site's default: a guest", arrange: async () => ({ siteDefaults: { ...DEFAULT_SITE_SETTINGS, commentPolicy: 'accounts' } }), expect: 'account_required' },
  { name: "the thread's 'guests' over the site's 'accounts': a guest", arrange: policy('guests', { siteDefaults: { ...DEFAULT_SITE_SETTINGS, commentPolicy: 'accounts' } }), expect: 'posted depth=1 root=self visible' },
  { name: "'guests-premoderated': a guest", arrange: policy('guests-premoderated'), expect: 'posted depth=1 root=self pending guest_review' },
  { name: "'guests-premoderated': a guest's reply", arrange: async (scene) => ({ ...(await policy('guests-premoderated')(scene)), parentId: scene.top.id }), expect: 'posted depth=2 root=top pending guest_review' },
  { name: "'guests-premoderated': an account", arrange: policy('guests-premoderated', { authorIsAccount: true }), expect: 'posted depth=1 root=self visible' },
  {
    name: "'guests-premoderated': a trusted guest",
    arrange: async (scene) => {
      await standing(scene, { trusted: true });
      return policy('guests-premoderated')(scene);
    },
    expect: 'posted depth=1 root=self visible',
  },
  { name: 'a new account, the first two held', arrange: async () => ({ authorIsAccount: true, siteDefaults: HOLD_TWO }), expect: 'posted depth=1 root=self pending new_account' },
  {
    name: 'a new account with two comments published',
    arrange: async (scene) => {
      for (const body of ['one', 'two']) await scene.store.createComment({ threadId: scene.thread.id, parentId: null, authorName: 'A', authorGuestId: scene.guest, body, clientId: null });
      return { authorIsAccount: true, siteDefaults: HOLD_TWO };
    },
    expect: 'posted depth=1 root=self visible',
  },
  {
    name: 'a trusted new account',
    arrange: async (scene) => {
      await standing(scene, { trusted: true });
      return { authorIsAccount: true, siteDefaults: HOLD_TWO };
    },
    expect: 'posted depth=1 root=self visible',
  },
  { name: 'a guest under the new-account hold', arrange: async () => ({ siteDefaults: HOLD_TWO }), expect: 'posted depth=1 root=self visible' },
  {
    name: 'three rejections: back to review',
    arrange: async (scene) => {
      await rejected(scene, 3);
      return {};
    },
    expect: 'posted depth=1 root=self pending untrusted',
  },
  {
    name: 'two rejections',
    arrange: async (scene) => {
      await rejected(scene, 2);
      return {};
    },
    expect: 'posted depth=1 root=self visible',
  },
  {
    name: 'three rejections, then trusted again',
    arrange: async (scene) => {
      await rejected(scene, 3);
      await standing(scene, { trusted: true });
      return {};
    },
    expect: 'posted depth=1 root=self visible',
  },
  {
    name: 'three rejections, review turned off',
    arrange: async (scene) => {
      await rejected(scene, 3);
      return { siteDefaults: { ...DEFAULT_SITE_SETTINGS, rejections: 0 } };
    },
    expect: 'posted depth=1 root=self visible',
  },
  {
    name: 'a shadow-banned guest',
    arrange: async (scene) => {
      await standing(scene, { shadowBanned: true });
      return {};
    },
    expect: 'posted depth=1 root=self pending shadow_banned',
  },
  {
    name: 'a shadow-banned account on a pre-moderated thread: the shadow-ban says why',
    arrange: async (scene) => {
      await standing(scene, { shadowBanned: true });
      await scene.store.updateThread({ threadId: scene.thread.id, changes: { preModeration: true } });
      return { authorIsAccount: true };
    },
    expect: 'posted depth=1 root=self pending shadow_banned',
  },
  {
    name: 'a shadow-ban lifted',
    arrange: async (scene) => {
      await standing(scene, { shadowBanned: true });
      await standing(scene, { shadowBanned: false });
      return {};
    },
    expect: 'posted depth=1 root=self visible',
  },
];

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
  { name: 'a thread an admin hid', arrange: settings({ hidden: true }), expect: 'thread_not_found' },

  { name: 'a locked thread', arrange: settings({ locked: true }), expect: 'thread_locked' },
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
  { name: "slow mode, the guest's first post", arrange: settings({ slowModeSeconds: 60 }), expect: 'posted depth=1 root=self visible', clearPath: 'declined' },
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
  {
    name: "'accounts', and the thread locked: the lock comes first",
    arrange: async (scene) => {
      await scene.store.updateThread({ threadId: scene.thread.id, changes: { locked: true, commentPolicy: 'accounts' } });
      return {};
    },
    expect: 'thread_locked',
  },
  ...PERSON_CASES,
];

/** An edit that is stored, as the table states it: whether it is held, and why. */
type Edited = `edited ${'visible' | 'pending'}${'' | ' edited' | ' banned_word'}`;

interface EditCase {
  name: string;
  /** The case's situation, and how its edit differs from the reply's author changing the reply's text. */
  arrange(scene: Scene): Promise<Partial<EditCommentRecord>>;
  expect: Edited | PostingStop;
}

/**
 * An edit is a shape the posting rules apply to: every rule that concerns an
 * edit, stopping one and letting one through (the first test checks).
 */
const EDIT_CASES: readonly EditCase[] = [
  { name: 'an edit of a reply', arrange: async () => ({}), expect: 'edited visible' },
  { name: 'an edit of a top-level comment', arrange: async ({ top }) => ({ commentId: top.id, authorGuestId: top.authorGuestId! }), expect: 'edited visible' },
  { name: 'an edit held by the caller (a banned word)', arrange: async () => ({ hold: 'banned_word' }), expect: 'edited pending banned_word' },
  {
    name: 'an edit on a pre-moderated thread (a banned word too)',
    arrange: async ({ store, thread }) => {
      await store.updateThread({ threadId: thread.id, changes: { preModeration: true } });
      return { hold: 'banned_word' };
    },
    expect: 'edited pending edited',
  },
  { name: 'an edit of a pinned comment', arrange: changed('reply', { pinned: true }), expect: 'edited pending edited' },
  { name: 'the same text again', arrange: async ({ reply }) => ({ body: reply.body }), expect: 'unchanged' },
  {
    name: 'the same text again, the thread locked since',
    arrange: async ({ store, thread, reply }) => {
      await store.updateThread({ threadId: thread.id, changes: { locked: true } });
      return { body: reply.body };
    },
    expect: 'thread_locked',
  },

  { name: 'no such thread', arrange: async () => ({ threadId: 'no-such-thread' }), expect: 'thread_not_found' },
  { name: 'a thread an admin hid', arrange: settings({ hidden: true }), expect: 'thread_not_found' },
  { name: 'a comment its author deleted', arrange: changed('reply', { status: 'deleted', body: '' }), expect: 'comment_gone' },
  { name: 'a comment a moderator removed', arrange: changed('reply', { status: 'removed' }), expect: 'comment_gone' },
  { name: "another guest's comment", arrange: async ({ guest }) => ({ authorGuestId: guest }), expect: 'comment_gone' },
  { name: 'a comment in another thread', arrange: async ({ store, top }) => ({ threadId: (await store.createThread({ slug: `elsewhere-${top.id}`, title: 'Elsewhere' })).id }), expect: 'comment_gone' },
  {
    name: 'a comment held for review',
    arrange: async ({ store, thread, guest }) => {
      const held = await store.createComment({ threadId: thread.id, parentId: null, authorName: 'G', authorGuestId: guest, body: 'held', clientId: null, hold: 'banned_word' });
      return { commentId: held.comment.id, authorGuestId: guest };
    },
    expect: 'comment_held',
  },

  { name: 'a locked thread', arrange: settings({ locked: true }), expect: 'thread_locked' },
  {
    name: 'a banned author',
    arrange: async ({ store, reply }) => {
      await store.moderation.createBan({ guestId: reply.authorGuestId!, reason: 'spam', until: later(3_600_000), createdBy: 'mod' });
      return {};
    },
    expect: 'banned',
  },
  {
    name: 'a ban that is over',
    arrange: async ({ store, reply }) => {
      await store.moderation.createBan({ guestId: reply.authorGuestId!, reason: 'spam', until: '2000-01-01T00:00:00.000Z', createdBy: 'mod' });
      return {};
    },
    expect: 'edited visible',
  },
  { name: 'slow mode, the author posted just now', arrange: settings({ slowModeSeconds: 60 }), expect: 'edited visible' },
  { name: 'a parent removed by a moderator', arrange: changed('top', { status: 'removed' }), expect: 'edited visible' },
  { name: 'a locked comment', arrange: changed('reply', { locked: true }), expect: 'branch_locked' },
  { name: "a guest's edit under 'accounts' (written before the policy)", arrange: settings({ commentPolicy: 'accounts' }), expect: 'edited visible' },
  { name: 'a comment below a locked one', arrange: changed('top', { locked: true }), expect: 'branch_locked' },
  {
    name: 'a comment above a locked one',
    arrange: async ({ store, thread, top, reply }) => {
      await store.updateComment({ threadId: thread.id, commentId: reply.id, changes: { locked: true } });
      return { commentId: top.id, authorGuestId: top.authorGuestId! };
    },
    expect: 'edited visible',
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

/** Each edit case on a fresh scene, through the posting rules given: one line per case, and what the table says. */
async function runEditTable(bench: Bench, rules: readonly PostingRule[], cases: readonly EditCase[] = EDIT_CASES): Promise<{ outcomes: string[]; expected: string[] }> {
  const posting = bench.posting(rules);
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const c of cases) {
    const scene = await newScene(bench.store, `s${scenes++}`);
    const overrides = await c.arrange(scene);
    const record: EditCommentRecord = {
      threadId: scene.thread.id,
      commentId: scene.reply.id,
      authorGuestId: scene.reply.authorGuestId!,
      body: 'reply, edited',
      editedAt: new Date().toISOString(),
      hold: null,
      ...overrides,
    };
    expected.push(`${c.name} [edit]: ${c.expect}`);
    outcomes.push(`${c.name} [edit]: ${await editOutcomeOf(scene, record, posting)}`);
  }
  return { outcomes, expected };
}

/** One edit, as the edit table writes it; the seq taken is checked too. */
async function editOutcomeOf(scene: Scene, record: EditCommentRecord, posting: Posting): Promise<string> {
  const seqOf = async () => (await scene.store.findThreadById(scene.thread.id))?.seq;
  const seqBefore = await seqOf();
  let result: EditCommentResult;
  try {
    result = await posting.editComment(record);
  } catch (err) {
    if (!AppError.is(err)) return `threw ${String(err)}`;
    if ((await seqOf()) !== seqBefore) return `${err.code}, yet took a seq`;
    return refusalProblem(err) ?? err.code;
  }
  const seqAfter = await seqOf();
  const stored = await scene.store.findComment({ id: record.commentId });
  if (!result.event) return seqAfter === seqBefore && stored?.body === record.body ? 'unchanged' : `unchanged, yet took a seq or changed the text`;
  const c = result.comment;
  if (seqAfter !== seqBefore! + 1 || result.event.seq !== seqAfter) return `edited with event seq ${result.event.seq} (thread ${seqBefore} → ${seqAfter})`;
  if (JSON.stringify(stored) !== JSON.stringify(c)) return `edited, but read back as ${JSON.stringify(stored)} against ${JSON.stringify(c)}`;
  if (c.body !== record.body || c.editedAt !== record.editedAt) return `edited to ${JSON.stringify(c.body)} at ${c.editedAt}`;
  return `edited ${c.status}${c.heldReason ? ` ${c.heldReason as HeldReason}` : ''}`;
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
  // The parent's author comes back with the post, for its notice (docs/decisions.md, "Notices after the commit").
  const parentAuthor = c.parentId === null ? null : ((await scene.store.findComment({ id: c.parentId }))?.authorGuestId ?? null);
  if (result.parentAuthorId !== parentAuthor) return `posted, with the parent's author ${String(result.parentAuthorId)} against ${String(parentAuthor)}`;
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

    test('every rule has a case that it stops, and every rule that concerns an edit has an edit case that it stops', () => {
      const covered = new Set([...CASES, ...EDIT_CASES].map((c) => c.expect));
      assert.deepEqual(
        POSTING_RULES.map((rule) => rule.stop).filter((stop) => !covered.has(stop)),
        [],
      );
      const editsCovered = new Set(EDIT_CASES.map((c) => c.expect));
      assert.deepEqual(
        rulesFor(EDIT_SHAPE)
          .map((rule) => rule.stop)
          .filter((stop) => !editsCovered.has(stop)),
        [],
      );
    });

    test('an edit does what the edit table says with every case', async () => {
      const { outcomes, expected } = await runEditTable(bench, POSTING_RULES);
      assert.deepEqual(outcomes, expected);
    });

    test('the store, the transaction and the one-statement path each do what the table says with every case', async () => {
      const { outcomes, expected } = await runTable(bench, POSTING_RULES);
      assert.deepEqual(outcomes, expected);
    });

    test("the site's policy as an admin stored it: refused, overridden by the thread, and back", async () => {
      const scene = await newScene(bench.store, `s${scenes++}`);
      const post = (record: Partial<CreateCommentRecord> = {}) =>
        outcomeOf(scene, { threadId: scene.thread.id, parentId: null, authorName: 'Ada', authorGuestId: scene.guest, body: 'hi', clientId: null, ...record }, 'store', bench.posting(POSTING_RULES));
      const audit = { ...AUDIT_ACTOR, action: 'site.settings' };
      try {
        await bench.store.policy.setSiteSettings({ changes: { commentPolicy: 'accounts' }, audit });
        assert.equal(await post(), 'account_required');
        assert.equal(await post({ authorIsAccount: true }), 'posted depth=1 root=self visible');
        // The stored setting wins over the environment's default.
        assert.equal(await post({ siteDefaults: { ...DEFAULT_SITE_SETTINGS, commentPolicy: 'guests' } }), 'account_required');
        await bench.store.updateThread({ threadId: scene.thread.id, changes: { commentPolicy: 'guests-premoderated' } });
        assert.equal(await post(), 'posted depth=1 root=self pending guest_review');
        await bench.store.updateThread({ threadId: scene.thread.id, changes: { commentPolicy: null } });
        assert.equal(await post(), 'account_required');
        await bench.store.policy.setSiteSettings({ changes: { newAccountHold: 5 }, audit });
        assert.equal(await post({ authorIsAccount: true }), 'posted depth=1 root=self pending new_account');
        assert.deepEqual(await bench.store.policy.siteSettings(), { commentPolicy: 'accounts', newAccountHold: 5 });
      } finally {
        await bench.store.policy.setSiteSettings({ changes: { commentPolicy: 'guests', newAccountHold: 0 }, audit });
      }
    });

    test('a rule left out of the list is missed by the table', async () => {
      for (const rule of POSTING_RULES) {
        // The cases the rule stops are where its absence shows.
        const without = POSTING_RULES.filter((r) => r !== rule);
        const posts = await runTable(
          bench,
          without,
          CASES.filter((c) => c.expect === rule.stop),
        );
        const edits = await runEditTable(
          bench,
          without,
          EDIT_CASES.filter((c) => c.expect === rule.stop),
        );
        const outcomes = [...posts.outcomes, ...edits.outcomes];
        const expected = [...posts.expected, ...edits.expected];
        assert.ok(
          outcomes.some((line, i) => line !== expected[i]),
          `without ${rule.stop} every case still came out as the table says`,
        );
      }
    });
  });
}
