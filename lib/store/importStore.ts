import type { Kysely, Transaction } from 'kysely';
import type { ThreadEvent } from '../domain/events';
import { newId } from '../domain/ids';
import { uniqueSlug } from '../domain/slug';
import type { Comment, Thread } from '../domain/types';
import { commentFromRow, commentToRow, eventToRow, threadFromRow, threadToRow } from './mappers';
import { staffUserRow, type Role } from './accountStore';
import type { Ban } from './moderationStore';
import { prepareNewComment } from './newComment';
import { createPeopleTransfer, NO_PASSWORD, type PeopleTransfer } from './peopleTransfer';
import { allocateSeqs } from './threadSeqs';
import type { Database, ImportRunsTable, ImportStagingTable } from './schema';
import { isUniqueViolation } from './uniqueViolation';

/** Rows per multi-row statement: well under both engines' bound-parameter limits. */
const CHUNK = 200;

/** A thread as an import describes it. */
export interface ImportedThreadRecord {
  /** Names the origin of the external ids, e.g. `disqus` or `wxr:https://example.com`. */
  source: string;
  externalId: string;
  /** Keep this id (a Threadline export); a new one is made otherwise. */
  id?: string;
  slug: string;
  title: string;
  article: string;
  createdAt: string;
  locked: boolean;
  slowModeSeconds: number;
  preModeration: boolean;
  /** Hidden by an admin (carried over by a Threadline export). */
  hidden: boolean;
  /** `threads.source` for a thread this import creates. */
  threadSource: string | null;
  /** The host article an embed opened it for. */
  articleUrl: string | null;
  /** Switched to Q&A (a Threadline export's); absent: off. */
  qa?: boolean;
  /**
   * When comments close (a Threadline export's); absent: never. Other formats give none: an imported
   * thread's creation may be years ago, and the site's COMMENTS_CLOSE_AFTER_DAYS would close it at once.
   */
  closesAt?: string | null;
  /** An existing thread with this slug, made in Threadline (not imported), receives the comments: one created on first view, say. */
  attachToSlug: boolean;
}

/** What an import carries over of a comment as it was (its place in the tree and its seq are made here). */
export type ImportedCommentFields = Pick<
  Comment,
  'status' | 'authorName' | 'authorGuestId' | 'clientId' | 'body' | 'createdAt' | 'editedAt' | 'locked' | 'pinned' | 'heldReason' | 'mentions' | 'pick'
>;

/** A comment ready to store: its thread and parent already resolved to our ids. */
export interface ImportedCommentRecord extends ImportedCommentFields {
  externalId: string;
  threadId: string;
  /** Null for a top-level comment. */
  parentId: string | null;
  /** Keep this id (a Threadline export); a new one is made otherwise. */
  id?: string;
}

export type ImportedCommentOutcome = 'imported' | 'duplicate' | 'orphan';

/** A question's answer as an import sets it, once both comments are stored (our ids). */
export interface ImportedAnswer {
  threadId: string;
  questionId: string;
  answerId: string;
}

/**
 * `set`: the question is answered by it now. `kept`: the question already had an answer (this one, from
 * an earlier import, or a moderator's here), left as it is. `not_in_branch`: the reply is not below the
 * question in its thread (the file says something the store cannot hold), so the question stays open.
 */
export type ImportedAnswerOutcome = 'set' | 'kept' | 'not_in_branch';

export interface StagedRecord {
  position: number;
  externalId: string;
  parentExternalId: string | null;
  /** The whole record as JSON. */
  record: string;
}

/** A ban as exports carry it: the person's, not the address range (an address is personal data, and means nothing on another site's network). */
export interface ExportedBan extends Omit<Ban, 'addressRange' | 'liftedAt'> {
  liftedAt: string | null;
}

/**
 * Writes for importers (lib/import) and reads for the full export. Every imported
 * comment takes its thread's next seq with its `comment.created` event in the
 * same transaction, as posting does, so readers catch up on an import too.
 */
export interface ImportStore {
  /** External id → our id, for those of `externalIds` already imported from `source`. */
  findMapped(request: { source: string; kind: 'thread' | 'comment'; externalIds: readonly string[] }): Promise<Map<string, string>>;
  /** The thread the record maps to, creating it (with its events) when there is none. */
  ensureThread(record: ImportedThreadRecord): Promise<{ thread: Thread; created: boolean }>;
  /**
   * Stores the comments not yet imported from `source`, in order (a parent before its
   * replies), in one transaction. A parent that is not in the comment's thread makes
   * it top-level (`orphan`). One outcome per record.
   */
  importComments(request: { source: string; comments: readonly ImportedCommentRecord[] }): Promise<ImportedCommentOutcome[]>;
  /**
   * Gives questions their answers (a Threadline export's `answerId`), in one transaction: each
   * change is a `comment.updated` at its thread's next seq, as a moderator's mark is, so open pages
   * follow it. One outcome per answer.
   */
  setAnswers(answers: readonly ImportedAnswer[]): Promise<ImportedAnswerOutcome[]>;

  /** Puts records aside for later in this run (kept as JSON text), in one transaction. */
  stage(request: { runId: string; records: readonly StagedRecord[] }): Promise<void>;
  /** The run's staged records after `afterPosition` (up to `throughPosition` when given), in order. */
  readStaged(request: { runId: string; afterPosition: number; limit: number; throughPosition?: number }): Promise<StagedRecord[]>;
  /** Staged records whose parent is not staged in the run too (it was never seen, or was skipped), in order. */
  readStagedOrphans(request: { runId: string; limit: number }): Promise<StagedRecord[]>;
  unstage(request: { runId: string; positions: readonly number[] }): Promise<void>;
  clearStaged(runId: string): Promise<void>;

  /** Threads oldest first (then by id), for the export. */
  listThreadsForExport(): Promise<Thread[]>;
  /** A thread's comments by seq, after `afterSeq`. */
  commentsPage(request: { threadId: string; afterSeq: number; limit: number }): Promise<Comment[]>;
  listBans(): Promise<ExportedBan[]>;
  /** Adds bans by id; those already present are left as they are. Returns how many were added. */
  addBans(bans: readonly ExportedBan[]): Promise<number>;
  /** Adds banned words; returns how many were new. */
  addBannedWords(words: readonly string[]): Promise<number>;
  /**
   * Adds staff accounts that do not exist yet (by username), with no usable password:
   * an admin sets one with `npm run user:create`. Returns how many were added.
   */
  addUsers(users: readonly ExportedUser[]): Promise<number>;
  /**
   * Source id mappings in key order, after `after`, leaving out `except` (a Threadline
   * import maps ids to themselves: nothing worth exporting).
   */
  mappingsPage(request: { after: ExportedMapping | null; except: string; limit: number }): Promise<ExportedMapping[]>;
  /** Adds mappings not present yet, so a later import of the original file stays idempotent. Returns how many were added. */
  addMappings(mappings: readonly ExportedMapping[]): Promise<number>;
  /** Accounts and what hangs off a person id, likes included (format 2): lib/store/peopleTransfer.ts. */
  personRowsPage: PeopleTransfer['personRowsPage'];
  addPersonRows: PeopleTransfer['addPersonRows'];

  /** Drops the run's staged records up to and including `position` (written, or put aside again at a later position). */
  unstageThrough(request: { runId: string; position: number }): Promise<void>;
  /** Records an import under way (migration 0026), before it stages anything. */
  startRun(run: ImportRun): Promise<void>;
  /** The run is alive, in this phase, this far into its file. */
  touchRun(request: { id: string; source: string; phase: ImportRunPhase; line: number | null; at: string }): Promise<void>;
  /** Every run recorded, oldest first: those still going, and those a dead process left behind. */
  listRuns(): Promise<ImportRun[]>;
  /** Forgets the run and everything it staged. */
  endRun(id: string): Promise<void>;
}

/** `reading`: the file is being staged, nothing is visible yet. `writing`: the staged records are being applied. */
export type ImportRunPhase = 'reading' | 'writing';

/** An import under way (or left behind by a process that died). */
export interface ImportRun {
  id: string;
  source: string;
  /** The file read (absolute path), when the records came from a file. */
  file: string | null;
  phase: ImportRunPhase;
  /** The process running it, to tell a dead run from a live one. */
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  /** The last line read (`reading`) or written through (`writing`). */
  line: number | null;
}

export interface ExportedMapping {
  source: string;
  kind: 'thread' | 'comment';
  externalId: string;
  targetId: string;
}

export interface ExportedUser {
  username: string;
  role: Role;
  createdAt: string;
  removedAt: string | null;
}

export { NO_PASSWORD };

function runFromRow(row: ImportRunsTable): ImportRun {
  return {
    id: row.id,
    source: row.source,
    file: row.file,
    phase: row.phase === 'writing' ? 'writing' : 'reading',
    host: row.host,
    pid: Number(row.pid),
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    line: row.line === null ? null : Number(row.line),
  };
}

function stagedFromRow(row: ImportStagingTable): StagedRecord {
  return { position: Number(row.position), externalId: row.external_id, parentExternalId: row.parent_external_id, record: row.record };
}

export interface ImportStoreOptions {
  /** Within the transaction that gave these threads new comments: tells servers that may have readers of them (threadChanges.ts). */
  announceChanges?: ((trx: Transaction<Database>, threadIds: readonly string[]) => Promise<void>) | undefined;
}

export function createImportStore(db: Kysely<Database>, now: () => string, options: ImportStoreOptions = {}): ImportStore {
  type Db = Kysely<Database> | Transaction<Database>;

  async function mapped(trx: Db, source: string, kind: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(externalIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('import_sources')
        .select(['external_id', 'target_id'])
        .where('source', '=', source)
        .where('kind', '=', kind)
        .where('external_id', 'in', unique.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) out.set(row.external_id, row.target_id);
    }
    return out;
  }

  async function addMapping(trx: Db, rows: { source: string; kind: string; external_id: string; target_id: string }[]): Promise<void> {
    const at = now();
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('import_sources')
        .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, created_at: at })))
        .execute();
    }
  }

  async function threadById(trx: Db, id: string): Promise<Thread | undefined> {
    const row = await trx.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? threadFromRow(row) : undefined;
  }

  async function ensureInTransaction(trx: Transaction<Database>, record: ImportedThreadRecord): Promise<{ thread: Thread; created: boolean }> {
    const known = (await mapped(trx, record.source, 'thread', [record.externalId])).get(record.externalId);
    if (known) {
      const thread = await threadById(trx, known);
      if (thread) return { thread, created: false };
    }
    // An existing thread this record names: the same id, the same origin, or (when asked) the same slug.
    let existing = record.id ? await threadById(trx, record.id) : undefined;
    if (!existing && record.threadSource !== null) {
      const row = await trx.selectFrom('threads').selectAll().where('source', '=', record.threadSource).executeTakeFirst();
      existing = row ? threadFromRow(row) : undefined;
    }
    if (!existing && record.attachToSlug) {
      // Only a thread made here (on first view, or by hand): two imported articles whose URLs end
      // alike (`…/index.html`) stay two threads.
      const row = await trx.selectFrom('threads').selectAll().where('slug', '=', record.slug).where('source', 'is', null).executeTakeFirst();
      existing = row ? threadFromRow(row) : undefined;
    }
    if (existing) {
      if (!known) await addMapping(trx, [{ source: record.source, kind: 'thread', external_id: record.externalId, target_id: existing.id }]);
      return { thread: existing, created: false };
    }

    const taken = new Set(
      (
        await trx
          .selectFrom('threads')
          .select('slug')
          .where((eb) => eb.or([eb('slug', '=', record.slug), eb('slug', 'like', `${record.slug}-%`)]))
          .execute()
      ).map((r) => r.slug),
    );
    const thread: Thread = {
      id: record.id ?? newId(),
      slug: uniqueSlug(record.slug, (s) => taken.has(s)),
      title: record.title,
      article: record.article,
      locked: record.locked,
      seq: 0,
      source: record.threadSource,
      createdAt: record.createdAt,
      slowModeSeconds: record.slowModeSeconds,
      preModeration: record.preModeration,
      articleUrl: record.articleUrl,
      hidden: record.hidden,
      // A moved thread follows the site's policy where it lands.
      commentPolicy: null,
      qa: record.qa ?? false,
      closesAt: record.closesAt ?? null,
    };
    await trx.insertInto('threads').values(threadToRow(thread)).execute();
    const settingsChanged = thread.locked || thread.slowModeSeconds !== 0 || thread.preModeration || thread.hidden || thread.qa || thread.closesAt !== null;
    const beforeFirst = await allocateSeqs(trx, thread.id, settingsChanged ? 2 : 1);
    const at = now();
    const events: ThreadEvent[] = [
      { type: 'thread.created', thread: { slug: thread.slug, title: thread.title, locked: false }, threadId: thread.id, seq: beforeFirst + 1, createdAt: at },
    ];
    if (settingsChanged) {
      events.push({
        type: 'thread.updated',
        thread: { locked: thread.locked, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration, hidden: thread.hidden, commentPolicy: null, qa: thread.qa, closesAt: thread.closesAt },
        threadId: thread.id,
        seq: beforeFirst + 2,
        createdAt: at,
      });
    }
    await trx.insertInto('thread_events').values(events.map(eventToRow)).execute();
    await addMapping(trx, [{ source: record.source, kind: 'thread', external_id: record.externalId, target_id: thread.id }]);
    return { thread: { ...thread, seq: events.at(-1)!.seq }, created: true };
  }

  async function importInTransaction(trx: Transaction<Database>, source: string, records: readonly ImportedCommentRecord[]): Promise<ImportedCommentOutcome[]> {
    const already = await mapped(trx, source, 'comment', records.map((r) => r.externalId));
    const keptIds = records.flatMap((r) => (r.id ? [r.id] : []));
    const existingIds = new Set<string>();
    for (let i = 0; i < keptIds.length; i += CHUNK) {
      const rows = await trx.selectFrom('comments').select('id').where('id', 'in', keptIds.slice(i, i + CHUNK)).execute();
      for (const row of rows) existingIds.add(row.id);
    }

    // Parents stored before this batch; those inside it are known as they are built.
    const placed = new Map<string, { threadId: string; depth: number; rootId: string }>();
    const outsideParents = [...new Set(records.flatMap((r) => (r.parentId ? [r.parentId] : [])))];
    for (let i = 0; i < outsideParents.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('comments')
        .select(['id', 'thread_id', 'depth', 'root_id'])
        .where('id', 'in', outsideParents.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) placed.set(row.id, { threadId: row.thread_id, depth: Number(row.depth), rootId: row.root_id ?? row.id });
    }

    const outcomes: ImportedCommentOutcome[] = [];
    const fresh: Comment[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      if (already.has(record.externalId) || seen.has(record.externalId) || (record.id && existingIds.has(record.id))) {
        outcomes.push('duplicate');
        continue;
      }
      seen.add(record.externalId);
      const parent = record.parentId ? placed.get(record.parentId) : undefined;
      const usable = parent && parent.threadId === record.threadId ? parent : undefined;
      if (record.id) existingIds.add(record.id);
      const comment = prepareNewComment({
        id: record.id,
        threadId: record.threadId,
        parentId: usable ? record.parentId : null,
        parent: usable ?? null,
        status: record.status,
        authorName: record.authorName,
        authorGuestId: record.authorGuestId,
        clientId: record.clientId,
        body: record.body,
        createdAt: record.createdAt,
        editedAt: record.editedAt,
        locked: record.locked,
        pinned: record.pinned,
        heldReason: record.heldReason,
        mentions: record.mentions,
        pick: record.pick,
        // Filled in below, per thread.
        seq: 0,
      });
      placed.set(comment.id, comment);
      fresh.push(comment);
      outcomes.push(record.parentId && !usable ? 'orphan' : 'imported');
    }
    if (fresh.length === 0) return outcomes;

    // Seqs per thread, threads in id order so two imports never wait on each other's row locks in a cycle.
    const byThread = new Map<string, Comment[]>();
    for (const c of fresh) {
      const list = byThread.get(c.threadId);
      if (list) list.push(c);
      else byThread.set(c.threadId, [c]);
    }
    for (const threadId of [...byThread.keys()].sort()) {
      const list = byThread.get(threadId)!;
      const beforeFirst = await allocateSeqs(trx, threadId, list.length);
      list.forEach((c, i) => (c.seq = beforeFirst + 1 + i));
    }
    // An import into a thread with readers reaches them at once, not at the next seq heartbeat.
    await options.announceChanges?.(trx, [...byThread.keys()]);
    const at = now();
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const chunk = fresh.slice(i, i + CHUNK);
      await trx.insertInto('comments').values(chunk.map(commentToRow)).execute();
      await trx
        .insertInto('thread_events')
        .values(chunk.map((comment) => eventToRow({ type: 'comment.created', comment, threadId: comment.threadId, seq: comment.seq, createdAt: at })))
        .execute();
    }
    const freshExternal = records.filter((_, i) => outcomes[i] !== 'duplicate');
    await addMapping(
      trx,
      freshExternal.map((r, i) => ({ source, kind: 'comment', external_id: r.externalId, target_id: fresh[i]!.id })),
    );
    return outcomes;
  }

  async function answersInTransaction(trx: Transaction<Database>, answers: readonly ImportedAnswer[]): Promise<ImportedAnswerOutcome[]> {
    const outcomes: ImportedAnswerOutcome[] = answers.map(() => 'not_in_branch');
    const byThread = new Map<string, number[]>();
    answers.forEach((a, i) => byThread.set(a.threadId, [...(byThread.get(a.threadId) ?? []), i]));
    const changed: string[] = [];
    // Threads in id order, each locked (its seq row) before it is read, as every writer to a thread does.
    for (const threadId of [...byThread.keys()].sort()) {
      const indexes = byThread.get(threadId)!;
      await allocateSeqs(trx, threadId, 0);
      const ids = [...new Set(indexes.flatMap((i) => [answers[i]!.questionId, answers[i]!.answerId]))];
      const rows = new Map<string, { parentId: string | null; rootId: string | null; answerId: string | null }>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const found = await trx
          .selectFrom('comments')
          .select(['id', 'parent_id', 'root_id', 'answer_id'])
          .where('thread_id', '=', threadId)
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute();
        for (const r of found) rows.set(r.id, { parentId: r.parent_id, rootId: r.root_id, answerId: r.answer_id ?? null });
      }
      const toSet: ImportedAnswer[] = [];
      for (const i of indexes) {
        const { questionId, answerId } = answers[i]!;
        const question = rows.get(questionId);
        const reply = rows.get(answerId);
        // The store's shape of an answer (lib/domain/questions.ts): a reply anywhere below a top-level comment.
        if (!question || question.parentId !== null || !reply || reply.parentId === null || reply.rootId !== questionId) continue;
        if (question.answerId !== null || toSet.some((a) => a.questionId === questionId)) {
          outcomes[i] = 'kept';
          continue;
        }
        outcomes[i] = 'set';
        toSet.push(answers[i]!);
      }
      if (toSet.length === 0) continue;
      const beforeFirst = await allocateSeqs(trx, threadId, toSet.length);
      const at = now();
      for (const [n, a] of toSet.entries()) {
        const row = await trx.updateTable('comments').set({ answer_id: a.answerId }).where('id', '=', a.questionId).returningAll().executeTakeFirstOrThrow();
        const comment = commentFromRow(row);
        await trx.insertInto('thread_events').values(eventToRow({ type: 'comment.updated', comment, threadId, seq: beforeFirst + 1 + n, createdAt: at })).execute();
      }
      changed.push(threadId);
    }
    if (changed.length) await options.announceChanges?.(trx, changed);
    return outcomes;
  }

  return {
    async findMapped({ source, kind, externalIds }) {
      return mapped(db, source, kind, externalIds);
    },

    async ensureThread(record) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => ensureInTransaction(trx, record));
        } catch (err) {
          // Another import (or a reader's first view) took the slug or mapping meanwhile: look again.
          if (!isUniqueViolation(err) || attempt >= 5) throw err;
        }
      }
    },

    async importComments({ source, comments }) {
      if (comments.length === 0) return [];
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => importInTransaction(trx, source, comments));
        } catch (err) {
          // The same file imported concurrently: the next attempt sees its rows as duplicates.
          if (!isUniqueViolation(err) || attempt >= 3) throw err;
        }
      }
    },

    async setAnswers(answers) {
      if (answers.length === 0) return [];
      return db.transaction().execute((trx) => answersInTransaction(trx, answers));
    },

    async stage({ runId, records }) {
      if (records.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < records.length; i += CHUNK) {
          await trx
            .insertInto('import_staging')
            .values(
              records
                .slice(i, i + CHUNK)
                .map((r) => ({ run_id: runId, position: r.position, external_id: r.externalId, parent_external_id: r.parentExternalId, record: r.record })),
            )
            .execute();
        }
      });
    },

    async readStaged({ runId, afterPosition, limit, throughPosition }) {
      const rows = await db
        .selectFrom('import_staging')
        .selectAll()
        .where('run_id', '=', runId)
        .where('position', '>', afterPosition)
        .$if(throughPosition !== undefined, (qb) => qb.where('position', '<=', throughPosition!))
        .orderBy('position')
        .limit(limit)
        .execute();
      return rows.map(stagedFromRow);
    },

    async readStagedOrphans({ runId, limit }) {
      const rows = await db
        .selectFrom('import_staging as s')
        .selectAll('s')
        .where('s.run_id', '=', runId)
        .where((eb) =>
          eb.or([
            eb('s.parent_external_id', 'is', null),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('import_staging as p')
                  .select('p.position')
                  .where('p.run_id', '=', runId)
                  .whereRef('p.external_id', '=', 's.parent_external_id'),
              ),
            ),
          ]),
        )
        .orderBy('s.position')
        .limit(limit)
        .execute();
      return rows.map(stagedFromRow);
    },

    async unstage({ runId, positions }) {
      for (let i = 0; i < positions.length; i += CHUNK) {
        await db
          .deleteFrom('import_staging')
          .where('run_id', '=', runId)
          .where('position', 'in', positions.slice(i, i + CHUNK))
          .execute();
      }
    },

    async clearStaged(runId) {
      await db.deleteFrom('import_staging').where('run_id', '=', runId).execute();
    },

    async listThreadsForExport() {
      const rows = await db.selectFrom('threads').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(threadFromRow);
    },

    async commentsPage({ threadId, afterSeq, limit }) {
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map(commentFromRow);
    },

    async listBans() {
      const rows = await db.selectFrom('bans').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, guestId: r.guest_id, reason: r.reason, until: r.until, createdBy: r.created_by, createdAt: r.created_at, liftedAt: r.lifted_at }));
    },

    async addBans(bans) {
      let added = 0;
      for (const b of bans) {
        const result = await db
          .insertInto('bans')
          .values({ id: b.id, guest_id: b.guestId, reason: b.reason, until: b.until, created_by: b.createdBy, created_at: b.createdAt, lifted_at: b.liftedAt })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    async addBannedWords(words) {
      let added = 0;
      for (const word of new Set(words)) {
        const result = await db
          .insertInto('banned_words')
          .values({ word, created_at: now() })
          .onConflict((oc) => oc.column('word').doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    async mappingsPage({ after, except, limit }) {
      const rows = await db
        .selectFrom('import_sources')
        .select(['source', 'kind', 'external_id', 'target_id'])
        .where('source', '<>', except)
        .$if(after !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('source', '>', after!.source),
              eb.and([eb('source', '=', after!.source), eb('kind', '>', after!.kind)]),
              eb.and([eb('source', '=', after!.source), eb('kind', '=', after!.kind), eb('external_id', '>', after!.externalId)]),
            ]),
          ),
        )
        .orderBy('source')
        .orderBy('kind')
        .orderBy('external_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ source: r.source, kind: r.kind === 'thread' ? 'thread' : 'comment', externalId: r.external_id, targetId: r.target_id }));
    },

    async addMappings(mappings) {
      let added = 0;
      const at = now();
      for (let i = 0; i < mappings.length; i += CHUNK) {
        const result = await db
          .insertInto('import_sources')
          .values(mappings.slice(i, i + CHUNK).map((m) => ({ source: m.source, kind: m.kind, external_id: m.externalId, target_id: m.targetId, created_at: at })))
          .onConflict((oc) => oc.columns(['source', 'kind', 'external_id']).doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    async unstageThrough({ runId, position }) {
      await db.deleteFrom('import_staging').where('run_id', '=', runId).where('position', '<=', position).execute();
    },

    async startRun(run) {
      await db
        .insertInto('import_runs')
        .values({
          id: run.id,
          source: run.source,
          file: run.file,
          phase: run.phase,
          host: run.host,
          pid: run.pid,
          started_at: run.startedAt,
          heartbeat_at: run.heartbeatAt,
          line: run.line,
        })
        .execute();
    },

    async touchRun({ id, source, phase, line, at }) {
      await db.updateTable('import_runs').set({ source, phase, line, heartbeat_at: at }).where('id', '=', id).execute();
    },

    async listRuns() {
      const rows = await db.selectFrom('import_runs').selectAll().orderBy('started_at').orderBy('id').execute();
      return rows.map(runFromRow);
    },

    async endRun(id) {
      // Staging first: a run row without staging is harmless, staging without its row would never be swept.
      await db.deleteFrom('import_staging').where('run_id', '=', id).execute();
      await db.deleteFrom('import_runs').where('id', '=', id).execute();
    },

    async addUsers(users) {
      let added = 0;
      for (const u of users) {
        const result = await db
          .insertInto('users')
          // Staff from an export: their username is their display name (lib/store/migrations/0016_people.ts).
          .values(staffUserRow({ username: u.username, displayName: u.username, passwordHash: NO_PASSWORD, role: u.role, createdAt: u.createdAt, removedAt: u.removedAt }))
          .onConflict((oc) => oc.column('username').doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    ...createPeopleTransfer(db, now, options),
  };
}
