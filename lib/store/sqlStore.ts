import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { ThreadEvent, ThreadEventData } from '../domain/events';
import { newId } from '../domain/ids';
import { uniqueSlug } from '../domain/slug';
import type { Comment, Thread, ThreadWithCount } from '../domain/types';
import { commentFromRow, commentToRow, eventFromRow, eventToRow, threadFromRow, threadToRow } from './mappers';
import { migrationProvider } from './migrations';
import { createPostInOneStatement } from './postInOneStatement';
import { isUniqueViolation } from './uniqueViolation';
import { createImportStore } from './importStore';
import type { OpenedDatabase } from './openDatabase';
import { allocateSeqs } from './threadSeqs';
import type { Database, ThreadRow } from './schema';
import { AppError } from '../domain/errors';
import type { CommentRow, ThreadEventRow } from './schema';
import { compileOnce, type Param } from './compiledOnce';
import { createAccountStore } from './accountStore';
import { bansInForce, createModerationStore, insertAudit } from './moderationStore';
import { createWebhookStore } from './webhookStore';
import type {
  CreateCommentRecord,
  CreateCommentResult,
  CreateThreadRequest,
  EventsAfterRequest,
  ImportThreadRequest,
  ImportThreadResult,
  SetLikeRecord,
  SetLikeResult,
  Store,
  UpdateCommentRecord,
  UpdateThreadRecord,
} from './store';

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;
const DEFAULT_EVENTS_LIMIT = 1000;
/** Every column a post writes, in the order of its compiled INSERT; the store suite proves the rows read back whole. */
const COMMENT_COLUMNS: readonly (keyof CommentRow)[] = [
  'id', 'thread_id', 'parent_id', 'depth', 'root_id', 'status', 'author_name', 'author_guest_id',
  'client_id', 'body', 'created_at', 'edited_at', 'seq', 'locked', 'pinned', 'held_reason',
];
const EVENT_COLUMNS: readonly (keyof ThreadEventRow)[] = ['thread_id', 'seq', 'type', 'comment_id', 'payload', 'created_at'];

export interface SqlStoreOptions {
  /** The clock, replaceable in tests. */
  now?: () => Date;
}

export function createSqlStore(opened: OpenedDatabase, options: SqlStoreOptions = {}): Store {
  const { db, dialect } = opened;
  const now = () => (options.now ?? (() => new Date()))().toISOString();

  function withCount(row: ThreadRow & { comment_count: unknown }): ThreadWithCount {
    return { ...threadFromRow(row), commentCount: Number(row.comment_count ?? 0) };
  }

  // The count of visible comments is kept on the thread's row by triggers (migration 0008): reading it
  // costs the same for a 10-comment thread and a 10,000-comment one.
  const threadsWithCounts = () => db.selectFrom('threads').selectAll('threads').select(sql<number>`threads.visible_comment_count`.as('comment_count'));

  const postInOneStatement = createPostInOneStatement(db);
  type TakenSeq = Pick<ThreadRow, 'seq' | 'pre_moderation' | 'slow_mode_seconds'>;
  // The statements every post runs on SQLite, built and compiled once (compiledOnce.ts).
  // Taking the seq also checks the lock (and the ban), so a refused post takes none.
  const takeSeqQuery = (p: Param<{ threadId: string }>) =>
    db
      .updateTable('threads')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', p('threadId'))
      .where('locked', '=', 0);
  const takeSeq = compileOnce<{ threadId: string }, TakenSeq>((p) => takeSeqQuery(p).returning(['seq', 'pre_moderation', 'slow_mode_seconds']));
  const takeSeqUnlessBanned = compileOnce<{ threadId: string; guestId: string; at: string }, TakenSeq>((p) =>
    takeSeqQuery(p)
      .where((eb) => eb.not(eb.exists(bansInForce(db, p('guestId'), p('at')).select('id'))))
      .returning(['seq', 'pre_moderation', 'slow_mode_seconds']),
  );
  const insertComment = compileOnce<CommentRow>((p) =>
    db
      .insertInto('comments')
      .values(Object.fromEntries(COMMENT_COLUMNS.map((column) => [column, p(column)])) as unknown as CommentRow)
      .onConflict((oc) => oc.columns(['author_guest_id', 'client_id']).doNothing())
      .returning('id'),
  );
  const insertEvent = compileOnce<ThreadEventRow>((p) =>
    db.insertInto('thread_events').values(Object.fromEntries(EVENT_COLUMNS.map((column) => [column, p(column)])) as unknown as ThreadEventRow),
  );

  return {
    dialect,
    accounts: createAccountStore(db, now),
    moderation: createModerationStore(db, now),
    webhooks: createWebhookStore(db),
    imports: createImportStore(db, now),

    async migrate() {
      // Kysely looks for its bookkeeping tables in every schema unless told which one; another
      // schema's tables in the same PostgreSQL database would then hide ours.
      const migrationTableSchema =
        dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
      const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema && { migrationTableSchema }) });
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) {
        throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },

    async close() {
      await db.destroy();
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    async countThreads() {
      const row = await db.selectFrom('threads').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listThreads() {
      const rows = await threadsWithCounts().orderBy('threads.created_at', 'desc').orderBy('threads.slug').execute();
      return rows.map(withCount);
    },

    async findThreadBySlug(slug) {
      const row = await threadsWithCounts().where('threads.slug', '=', slug).executeTakeFirst();
      return row ? withCount(row) : undefined;
    },

    async findThreadRowBySlug(slug) {
      const row = await db.selectFrom('threads').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

    async listComments({ threadId }) {
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).orderBy('seq').execute();
      return rows.map(commentFromRow);
    },

    async listTopLevel({ threadId, order, after, limit }) {
      let query = db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('parent_id', 'is', null);
      if (order === 'top') {
        // Keyset on (likes desc, seq asc): the cursor is the last branch's (likes, seq) when its page was read.
        if (after !== undefined) {
          const likes = after.likes ?? 0;
          query = query.where((eb) => eb.or([eb('likes', '<', likes), eb.and([eb('likes', '=', likes), eb('seq', '>', after.seq)])]));
        }
        query = query.orderBy('likes', 'desc').orderBy('seq', 'asc');
      } else {
        if (after !== undefined) query = query.where('seq', order === 'asc' ? '>' : '<', after.seq);
        query = query.orderBy('seq', order);
      }
      const rows = await query.limit(limit).execute();
      return rows.map(commentFromRow);
    },

    async listBranches({ threadId, rootIds }) {
      if (rootIds.length === 0) return [];
      // Sorted here, not in SQL: with `order by seq`, SQLite's planner walks the thread's whole (thread_id, seq)
      // index to skip a sort, reading every comment of a 10,000-comment thread for one page's branches.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('root_id', 'in', [...rootIds]).execute();
      return rows.map(commentFromRow).sort((a, b) => a.seq - b.seq);
    },

    async countBranches({ threadId, rootIds }) {
      if (rootIds.length === 0) return new Map();
      // Counted in the (thread_id, root_id) index, without reading the rows.
      const rows = await db
        .selectFrom('comments')
        .select(['root_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('thread_id', '=', threadId)
        .where('root_id', 'in', [...rootIds])
        .groupBy('root_id')
        .execute();
      return new Map(rows.map((r) => [r.root_id, Number(r.n)]));
    },

    async listRecentVisible({ threadId, limit }) {
      // Walks the (thread_id, seq) index backwards, skipping what is not shown.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('status', '=', 'visible').orderBy('seq', 'desc').limit(limit).execute();
      return rows.map(commentFromRow);
    },

    async latestEventAt({ threadId }) {
      const row = await db.selectFrom('thread_events').select('created_at').where('thread_id', '=', threadId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row?.created_at ?? null;
    },

    async listPinned({ threadId }) {
      // Sorted here, not in SQL, so SQLite seeks comments_thread_pinned rather than walking the thread's seq index.
      const rows = await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).where('pinned', '=', 1).execute();
      return rows.map(commentFromRow).sort((a, b) => a.seq - b.seq);
    },

    async findComment({ threadId, id }) {
      let query = db.selectFrom('comments').selectAll().where('id', '=', id);
      if (threadId !== undefined) query = query.where('thread_id', '=', threadId);
      const row = await query.executeTakeFirst();
      return row ? commentFromRow(row) : undefined;
    },

    async findCommentByClientId({ guestId, clientId }) {
      return findByClientId(db, guestId, clientId);
    },

    async findThreadById(id) {
      const row = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? threadFromRow(row) : undefined;
    },

    async eventsAfter({ threadId, afterSeq, limit = DEFAULT_EVENTS_LIMIT }: EventsAfterRequest) {
      const rows = await db
        .selectFrom('thread_events as e')
        .leftJoin('comments as c', 'c.id', 'e.comment_id')
        .selectAll('e')
        .select([
          'c.id as c_id',
          'c.thread_id as c_thread_id',
          'c.parent_id as c_parent_id',
          'c.depth as c_depth',
          'c.root_id as c_root_id',
          'c.status as c_status',
          'c.author_name as c_author_name',
          'c.author_guest_id as c_author_guest_id',
          'c.client_id as c_client_id',
          'c.body as c_body',
          'c.created_at as c_created_at',
          'c.edited_at as c_edited_at',
          'c.seq as c_seq',
          'c.locked as c_locked',
          'c.pinned as c_pinned',
          'c.held_reason as c_held_reason',
          'c.likes as c_likes',
        ])
        .where('e.thread_id', '=', threadId)
        .where('e.seq', '>', afterSeq)
        .orderBy('e.seq')
        .limit(limit)
        .execute();
      return rows.map((row) => {
        const comment = row.c_id === null ? undefined : commentFromRow(unprefix(row) as unknown as CommentRow);
        return eventFromRow(row, comment);
      });
    },

    async setLike(record: SetLikeRecord): Promise<SetLikeResult> {
      try {
        return await db.transaction().execute((trx) => setLikeInTransaction(trx, record));
      } catch (err) {
        if (!(err instanceof NothingChanged)) throw err;
        // Rolled back, seq included: answer with the count as it is.
        const row = await db.selectFrom('comments').select('likes').where('id', '=', record.commentId).executeTakeFirst();
        return { likes: Number(row?.likes ?? 0), event: null };
      }
    },

    async listOwnCommentIds({ threadId, guestId }) {
      // By guest first: the (author_guest_id, client_id) unique index finds a guest's few comments.
      const rows = await db
        .selectFrom('comments')
        .select('id')
        .where('author_guest_id', '=', guestId)
        .where('thread_id', '=', threadId)
        .where('status', 'in', ['visible', 'pending'])
        .orderBy('seq', 'desc')
        .limit(1000)
        .execute();
      return rows.map((r) => r.id);
    },

    async likedBy({ guestId, commentIds }) {
      const liked = new Set<string>();
      for (let i = 0; i < commentIds.length; i += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('reactions')
          .select('comment_id')
          .where('guest_id', '=', guestId)
          .where('comment_id', 'in', commentIds.slice(i, i + INSERT_CHUNK))
          .execute();
        for (const row of rows) liked.add(row.comment_id);
      }
      return liked;
    },

    async hasReplies({ commentId }) {
      const row = await db.selectFrom('comments').select('id').where('parent_id', '=', commentId).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async createComment(record: CreateCommentRecord): Promise<CreateCommentResult> {
      const fast = await postFast(record);
      if (fast) return fast;
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => createCommentInTransaction(trx, record));
        } catch (err) {
          if (err instanceof ClientIdUsed && record.clientId !== null) {
            const existing = await findByClientId(db, record.authorGuestId, record.clientId);
            if (existing) return { comment: existing, event: null };
          }
          // The same (guest, clientId) committed concurrently: the next attempt finds it.
          if (!(err instanceof ClientIdUsed || isUniqueViolation(err)) || attempt >= 3) throw err;
        }
      }
    },

    async updateComment({ threadId, commentId, changes, onlyIfStatus, audit }: UpdateCommentRecord) {
      return db.transaction().execute(async (trx) => {
        const seq = (await allocateSeqs(trx, threadId, 1)) + 1;
        let update = trx
          .updateTable('comments')
          .set({
            ...(changes.body !== undefined && { body: changes.body }),
            ...(changes.status !== undefined && { status: changes.status }),
            ...(changes.authorName !== undefined && { author_name: changes.authorName }),
            ...(changes.editedAt !== undefined && { edited_at: changes.editedAt }),
            ...(changes.locked !== undefined && { locked: changes.locked ? 1 : 0 }),
            ...(changes.pinned !== undefined && { pinned: changes.pinned ? 1 : 0 }),
            ...(changes.heldReason !== undefined && { held_reason: changes.heldReason }),
          })
          .where('id', '=', commentId)
          .where('thread_id', '=', threadId);
        // A conditional update: of two moderators acting at once, one changes it and the other is told.
        if (onlyIfStatus) update = update.where('status', 'in', onlyIfStatus);
        const row = await update.returningAll().executeTakeFirst();
        if (!row) {
          const exists = await trx.selectFrom('comments').select('id').where('id', '=', commentId).where('thread_id', '=', threadId).executeTakeFirst();
          throw new AppError(exists ? 'already_handled' : 'comment_not_found');
        }
        const comment = commentFromRow(row);
        const at = now();
        const event: ThreadEvent = { type: 'comment.updated', comment, threadId, seq, createdAt: at };
        await trx.insertInto('thread_events').values(eventToRow(event)).execute();
        if (audit) await insertAudit(trx, { ...audit, threadId, commentId }, at);
        return { comment, event };
      });
    },

    async updateThread({ threadId, changes, audit }: UpdateThreadRecord) {
      return db.transaction().execute(async (trx) => {
        // The same row update that takes the seq: a lock is serialized with every post to the thread.
        const row = await trx
          .updateTable('threads')
          .set((eb) => ({
            seq: eb('seq', '+', 1),
            ...(changes.locked !== undefined && { locked: changes.locked ? 1 : 0 }),
            ...(changes.slowModeSeconds !== undefined && { slow_mode_seconds: changes.slowModeSeconds }),
            ...(changes.preModeration !== undefined && { pre_moderation: changes.preModeration ? 1 : 0 }),
          }))
          .where('id', '=', threadId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new AppError('thread_not_found');
        const thread = threadFromRow(row);
        const at = now();
        const event: ThreadEvent = {
          type: 'thread.updated',
          thread: { locked: thread.locked, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration },
          threadId,
          seq: thread.seq,
          createdAt: at,
        };
        await trx.insertInto('thread_events').values(eventToRow(event)).execute();
        if (audit) await insertAudit(trx, { ...audit, threadId }, at);
        return { thread, event };
      });
    },

    async createThread(request: CreateThreadRequest) {
      return db.transaction().execute(async (trx) => {
        const thread = await insertThread(trx, {
          id: newId(),
          slug: request.slug,
          title: request.title,
          article: request.article ?? '',
          locked: request.locked ?? false,
          seq: 0,
          source: null,
          createdAt: now(),
          slowModeSeconds: 0,
          preModeration: false,
        });
        const [event] = await appendEvents(trx, thread.id, [
          { type: 'thread.created', thread: { slug: thread.slug, title: thread.title, locked: thread.locked } },
        ]);
        return { ...thread, seq: event!.seq };
      });
    },

    async importThread(request: ImportThreadRequest): Promise<ImportThreadResult> {
      for (let attempt = 1; ; attempt++) {
        const existing = await findBySource(db, request.source);
        if (existing) return { thread: existing, created: false };
        try {
          return await db.transaction().execute((trx) => importInTransaction(trx, request));
        } catch (err) {
          // Another node took the same source or slug between our check and our insert: look again.
          if (!isUniqueViolation(err) || attempt >= 5) throw err;
        }
      }
    },
  };

  /**
   * The thread's row first (its seq), as every other change to a thread takes
   * it: on PostgreSQL likes, posts and moderators' actions on one thread queue
   * on that one lock in one order, so they cannot deadlock, and the count is
   * read and written under it. A like that changes nothing throws
   * `NothingChanged`, which rolls back the seq it took.
   */
  async function setLikeInTransaction(trx: Transaction<Database>, record: SetLikeRecord): Promise<SetLikeResult> {
    const { threadId, commentId, guestId, liked } = record;
    const seq = (await allocateSeqs(trx, threadId, 1)) + 1;
    const comment = await trx.selectFrom('comments').select('status').where('id', '=', commentId).where('thread_id', '=', threadId).executeTakeFirst();
    // A held comment does not exist for anyone but its author and the moderators.
    if (!comment || comment.status === 'pending' || comment.status === 'unavailable') throw new AppError('comment_not_found');
    if (comment.status !== 'visible') throw new AppError('comment_gone');
    const at = now();
    const changed = liked
      ? await trx
          .insertInto('reactions')
          .values({ comment_id: commentId, guest_id: guestId, created_at: at })
          .onConflict((oc) => oc.columns(['comment_id', 'guest_id']).doNothing())
          .returning('comment_id')
          .executeTakeFirst()
      : await trx.deleteFrom('reactions').where('comment_id', '=', commentId).where('guest_id', '=', guestId).returning('comment_id').executeTakeFirst();
    if (!changed) throw new NothingChanged();
    const row = await trx
      .updateTable('comments')
      .set((eb) => ({ likes: eb('likes', liked ? '+' : '-', 1) }))
      .where('id', '=', commentId)
      .returning('likes')
      .executeTakeFirstOrThrow();
    const likes = Number(row.likes);
    const event: ThreadEvent = { type: 'comment.liked', commentId, likes, threadId, seq, createdAt: at };
    await trx.insertInto('thread_events').values(eventToRow(event)).execute();
    return { likes, event };
  }

  async function importInTransaction(trx: Transaction<Database>, request: ImportThreadRequest): Promise<ImportThreadResult> {
    const createdAt = now();
    const slug = await freeSlug(trx, request.slug);
    const thread = await insertThread(trx, {
      id: newId(),
      slug,
      title: request.title,
      article: request.article,
      locked: false,
      seq: 0,
      source: request.source,
      createdAt,
      slowModeSeconds: 0,
      preModeration: false,
    });

    const idByKey = new Map<number, { id: string; rootId: string }>();
    const comments: Comment[] = [];
    for (const c of request.comments) {
      const parent = c.parentKey === null ? null : idByKey.get(c.parentKey);
      if (parent === undefined) throw new Error(`import ${request.source}: comment ${c.key} comes before its parent ${String(c.parentKey)}`);
      const id = newId();
      idByKey.set(c.key, { id, rootId: parent?.rootId ?? id });
      // seq is filled in by appendEvents below, in the same order.
      comments.push({
        id,
        threadId: thread.id,
        parentId: parent?.id ?? null,
        depth: c.depth,
        rootId: parent?.rootId ?? id,
        status: c.status,
        authorName: c.authorName,
        authorGuestId: null,
        clientId: null,
        body: c.body,
        createdAt: c.createdAt,
        editedAt: null,
        seq: 0,
        locked: false,
        pinned: false,
        heldReason: null,
        likes: 0,
      });
    }

    const events: ThreadEventData[] = [
      { type: 'thread.created', thread: { slug, title: thread.title, locked: false } },
      ...comments.map((comment) => ({ type: 'comment.created' as const, comment })),
    ];
    if (request.locked) events.push({ type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false } });

    const beforeFirst = await allocateSeqs(trx, thread.id, events.length);
    // events[0] is thread.created; each comment's seq is that of its comment.created event.
    comments.forEach((comment, i) => (comment.seq = beforeFirst + 2 + i));
    for (let i = 0; i < comments.length; i += INSERT_CHUNK) {
      await trx.insertInto('comments').values(comments.slice(i, i + INSERT_CHUNK).map(commentToRow)).execute();
    }
    const stored = await insertEvents(trx, thread.id, beforeFirst, events, createdAt);
    if (request.locked) await trx.updateTable('threads').set({ locked: 1 }).where('id', '=', thread.id).execute();
    return { thread: { ...thread, locked: request.locked, seq: stored.at(-1)!.seq }, created: true };
  }

  /**
   * Every post on SQLite; on PostgreSQL, the posts `postInOneStatement` leaves
   * to it (slow mode, refusals, retries). The seq UPDATE also checks the lock and
   * the ban; why a post was refused is worked out only when it was.
   */
  async function createCommentInTransaction(trx: Transaction<Database>, record: CreateCommentRecord): Promise<CreateCommentResult> {
    // Taking the seq locks the thread's row and checks the lock in the same statement,
    // so a comment can never commit with a seq above the thread's lock event.
    const bannedAt = record.refuseIfBannedAt;
    const { rows } = bannedAt === undefined
      ? await takeSeq.execute(trx, { threadId: record.threadId })
      : await takeSeqUnlessBanned.execute(trx, { threadId: record.threadId, guestId: record.authorGuestId, at: bannedAt });
    const taken = rows[0];
    if (!taken) return refusedComment(trx, record);
    const seq = Number(taken.seq);
    const createdAt = now();

    // Under the thread's lock, so two quick posts from one guest cannot both pass.
    const slowMode = Number(taken.slow_mode_seconds);
    if (slowMode > 0) {
      const last = await trx
        .selectFrom('comments')
        .select((eb) => eb.fn.max('created_at').as('last'))
        .where('thread_id', '=', record.threadId)
        .where('author_guest_id', '=', record.authorGuestId)
        .executeTakeFirst();
      const wait = last?.last ? Date.parse(last.last) + slowMode * 1000 - Date.parse(createdAt) : 0;
      if (wait > 0) {
        // A retry of the comment that started this wait gets that comment back.
        if (record.clientId !== null && (await findByClientId(trx, record.authorGuestId, record.clientId))) throw new ClientIdUsed();
        throw new AppError('slow_mode', { retryAfter: Math.ceil(wait / 1000) });
      }
    }

    const id = newId();
    let depth = 1;
    let rootId = id;
    if (record.parentId !== null) {
      const parent = await trx
        .selectFrom('comments')
        .select(['depth', 'status', 'root_id'])
        .where('id', '=', record.parentId)
        .where('thread_id', '=', record.threadId)
        .executeTakeFirst();
      if (!parent || parent.status !== 'visible') throw new AppError('parent_not_found');
      depth = Number(parent.depth) + 1;
      rootId = parent.root_id ?? record.parentId;
      if (await branchLocked(trx, record.parentId)) throw new AppError('branch_locked');
    }

    const hold = Number(taken.pre_moderation) === 1 ? 'pre_moderation' : (record.hold ?? null);
    const comment: Comment = {
      id,
      rootId,
      threadId: record.threadId,
      parentId: record.parentId,
      depth,
      status: hold ? 'pending' : 'visible',
      authorName: record.authorName,
      authorGuestId: record.authorGuestId,
      clientId: record.clientId,
      body: record.body,
      createdAt,
      editedAt: null,
      seq,
      locked: false,
      pinned: false,
      heldReason: hold,
      likes: 0,
    };
    const event: ThreadEvent = { type: 'comment.created', comment, threadId: record.threadId, seq, createdAt };
    // A retried clientId inserts nothing; throwing rolls back the seq just taken.
    if (!(await insertCommentWithEvent(trx, comment, event))) throw new ClientIdUsed();
    return { comment, event };
  }

  /** Both rows, or neither when the (guest, clientId) pair is already stored. */
  async function insertCommentWithEvent(trx: Transaction<Database>, comment: Comment, event: ThreadEvent): Promise<boolean> {
    const inserted = await insertComment.execute(trx, commentToRow(comment));
    if (inserted.rows.length === 0) return false;
    await insertEvent.execute(trx, eventToRow(event));
    return true;
  }

  /** PostgreSQL's one-round-trip post; undefined when the full transaction must decide. */
  async function postFast(record: CreateCommentRecord): Promise<CreateCommentResult | undefined> {
    if (dialect !== 'postgres') return undefined;
    const id = newId();
    const createdAt = now();
    let posted;
    try {
      posted = await postInOneStatement({ ...record, id, createdAt });
    } catch (err) {
      // The same (guest, clientId) committed concurrently: the transaction finds it.
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
    if (!posted) return undefined;
    const comment: Comment = {
      id,
      rootId: posted.rootId,
      threadId: record.threadId,
      parentId: record.parentId,
      depth: posted.depth,
      status: posted.status,
      authorName: record.authorName,
      authorGuestId: record.authorGuestId,
      clientId: record.clientId,
      body: record.body,
      createdAt,
      editedAt: null,
      seq: posted.seq,
      locked: false,
      pinned: false,
      heldReason: posted.heldReason,
      likes: 0,
    };
    return { comment, event: { type: 'comment.created', comment, threadId: record.threadId, seq: posted.seq, createdAt } };
  }

  /** The seq UPDATE matched nothing: a retry of a stored comment, or a refusal to explain. */
  async function refusedComment(trx: Transaction<Database>, record: CreateCommentRecord): Promise<CreateCommentResult> {
    // A retry is answered with what was stored even if the thread has been locked since.
    if (record.clientId !== null) {
      const existing = await findByClientId(trx, record.authorGuestId, record.clientId);
      if (existing) return { comment: existing, event: null };
    }
    const thread = await trx.selectFrom('threads').select('locked').where('id', '=', record.threadId).executeTakeFirst();
    if (!thread) throw new AppError('thread_not_found');
    if (Number(thread.locked) === 1) throw new AppError('thread_locked');
    throw new AppError('banned');
  }

  async function findByClientId(db: Kysely<Database> | Transaction<Database>, guestId: string, clientId: string): Promise<Comment | undefined> {
    const row = await db.selectFrom('comments').selectAll().where('author_guest_id', '=', guestId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? commentFromRow(row) : undefined;
  }

  async function insertThread(trx: Transaction<Database>, thread: Thread): Promise<Thread> {
    await trx.insertInto('threads').values(threadToRow(thread)).execute();
    return thread;
  }

  async function freeSlug(trx: Transaction<Database>, base: string): Promise<string> {
    const rows = await trx
      .selectFrom('threads')
      .select('slug')
      .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
      .execute();
    const taken = new Set(rows.map((r) => r.slug));
    return uniqueSlug(base, (s) => taken.has(s));
  }

  async function insertEvents(trx: Transaction<Database>, threadId: string, beforeFirst: number, events: ThreadEventData[], createdAt: string): Promise<ThreadEvent[]> {
    const stored = events.map((data, i) => ({ ...data, threadId, seq: beforeFirst + 1 + i, createdAt }) as ThreadEvent);
    for (let i = 0; i < stored.length; i += INSERT_CHUNK) {
      await trx.insertInto('thread_events').values(stored.slice(i, i + INSERT_CHUNK).map(eventToRow)).execute();
    }
    return stored;
  }

  async function appendEvents(trx: Transaction<Database>, threadId: string, events: ThreadEventData[]): Promise<ThreadEvent[]> {
    const beforeFirst = await allocateSeqs(trx, threadId, events.length);
    return insertEvents(trx, threadId, beforeFirst, events, now());
  }
}

async function findBySource(db: Kysely<Database>, source: string): Promise<Thread | undefined> {
  const row = await db.selectFrom('threads').selectAll().where('source', '=', source).executeTakeFirst();
  return row ? threadFromRow(row) : undefined;
}

/** Thrown inside a like's transaction to roll it back: the like (or its absence) was already there. */
class NothingChanged extends Error {}

/** Thrown inside a comment's transaction to roll it back: the guest's clientId is taken. */
class ClientIdUsed extends Error {}


/** The `c_`-prefixed comment columns of a joined event row, as a comment row. */
function unprefix(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('c_')) out[key.slice(2)] = value;
  return out;
}

/** Whether the comment or any comment above it is locked (a locked branch takes no replies). */
async function branchLocked(trx: Transaction<Database>, commentId: string): Promise<boolean> {
  const result = await sql<{ locked: number | null }>`
    with recursive chain(id, parent_id, locked) as (
      select id, parent_id, locked from comments where id = ${commentId}
      union all
      select c.id, c.parent_id, c.locked from comments c join chain on c.id = chain.parent_id
    )
    select max(locked) as locked from chain`.execute(trx);
  return Number(result.rows[0]?.locked ?? 0) === 1;
}
