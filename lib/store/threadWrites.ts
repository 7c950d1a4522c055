import type { Kysely, Transaction } from 'kysely';
import type { ThreadEvent, ThreadEventData } from '../domain/events';
import { closingTimeFor } from '../domain/closing';
import { AppError } from '../domain/errors';
import { newId } from '../domain/ids';
import { uniqueSlug } from '../domain/slug';
import type { Comment, Thread } from '../domain/types';
import { commentToRow, eventToRow, threadFromRow, threadToRow } from './mappers';
import { insertAudit } from './moderationStore';
import { prepareNewComment, type Placement } from './newComment';
import type { Database } from './schema';
import type { CreateThreadRequest, ImportThreadRequest, ImportThreadResult, Store, UpdateThreadRecord } from './store';
import { allocateSeqs } from './threadSeqs';
import { isUniqueViolation } from './uniqueViolation';

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

/** Threads made here or imported whole (seeds, synthetic threads), and their settings. */
export type ThreadWrites = Pick<Store, 'createThread' | 'importThread' | 'updateThread' | 'closeDueThreads'>;

export interface ThreadWritesOptions {
  /** COMMENTS_CLOSE_AFTER_DAYS: a thread made here closes this many days after its creation; unset: never (lib/domain/closing.ts). */
  closeAfterDays?: number | null;
}

export function createThreadWrites(db: Kysely<Database>, now: () => string, options: ThreadWritesOptions = {}): ThreadWrites {
  return {
    async createThread(request: CreateThreadRequest) {
      return db.transaction().execute(async (trx) => {
        const fresh = newThread({ slug: request.slug, title: request.title, article: request.article ?? '', locked: request.locked ?? false, source: null, articleUrl: request.articleUrl ?? null });
        const thread = await insertThread(trx, { ...fresh, closesAt: closingTimeFor(fresh.createdAt, options.closeAfterDays) });
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
            ...(changes.hidden !== undefined && { hidden: changes.hidden ? 1 : 0 }),
            ...(changes.commentPolicy !== undefined && { comment_policy: changes.commentPolicy }),
            ...(changes.qa !== undefined && { qa: changes.qa ? 1 : 0 }),
            ...(changes.closesAt !== undefined && { closes_at: changes.closesAt }),
          }))
          .where('id', '=', threadId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new AppError('thread_not_found');
        const thread = threadFromRow(row);
        const at = now();
        const event = updatedEvent(thread, at);
        await trx.insertInto('thread_events').values(eventToRow(event)).execute();
        if (audit) await insertAudit(trx, { ...audit, threadId }, at);
        return { thread, event };
      });
    },

    async closeDueThreads({ limit }) {
      const at = now();
      return db.transaction().execute(async (trx) => {
        // The claim: one UPDATE that locks only threads still open whose time has come. Two nodes racing
        // for the same thread cannot both lock it: SQLite runs one writer at a time, and PostgreSQL makes
        // the second UPDATE wait on the row lock and test `locked = 0` again on the committed row, which
        // fails. The seq is taken by the same row update, so the event's seq is the thread's next.
        const due = trx.selectFrom('threads').select('id').where('locked', '=', 0).where('closes_at', '<=', at).orderBy('closes_at').limit(limit);
        const rows = await trx
          .updateTable('threads')
          .set((eb) => ({ locked: 1, seq: eb('seq', '+', 1) }))
          .where('id', 'in', due)
          .where('locked', '=', 0)
          .where('closes_at', '<=', at)
          .returningAll()
          .execute();
        const closed: { thread: Thread; event: ThreadEvent }[] = [];
        for (const row of rows) {
          const thread = threadFromRow(row);
          const event = updatedEvent(thread, at);
          await trx.insertInto('thread_events').values(eventToRow(event)).execute();
          await insertAudit(trx, { actorId: null, actorName: 'schedule', action: 'thread.close', threadId: thread.id, target: thread.slug, reason: null, details: { closesAt: thread.closesAt } }, at);
          closed.push({ thread, event });
        }
        return closed;
      });
    },
  };

  /** The `thread.updated` event of a thread's settings as they now stand. */
  function updatedEvent(thread: Thread, at: string): ThreadEvent {
    const { locked, slowModeSeconds, preModeration, hidden, commentPolicy, qa, closesAt } = thread;
    return { type: 'thread.updated', thread: { locked, slowModeSeconds, preModeration, hidden, commentPolicy, qa, closesAt }, threadId: thread.id, seq: thread.seq, createdAt: at };
  }

  /** A thread as created here: open, no slow mode, no pre-moderation, no closing time, no events yet. */
  function newThread(fields: Pick<Thread, 'slug' | 'title' | 'article' | 'locked' | 'source' | 'articleUrl'>): Thread {
    return { id: newId(), ...fields, seq: 0, createdAt: now(), slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null };
  }

  async function importInTransaction(trx: Transaction<Database>, request: ImportThreadRequest): Promise<ImportThreadResult> {
    const slug = await freeSlug(trx, request.slug);
    const thread = await insertThread(trx, newThread({ slug, title: request.title, article: request.article, locked: false, source: request.source, articleUrl: null }));

    const placed = new Map<number, Placement & { id: string }>();
    const comments: Comment[] = [];
    for (const c of request.comments) {
      const parent = c.parentKey === null ? null : placed.get(c.parentKey);
      if (parent === undefined) throw new Error(`import ${request.source}: comment ${c.key} comes before its parent ${String(c.parentKey)}`);
      const comment = prepareNewComment({
        threadId: thread.id,
        parentId: parent?.id ?? null,
        parent,
        status: c.status,
        authorName: c.authorName,
        authorGuestId: null,
        clientId: null,
        body: c.body,
        createdAt: c.createdAt,
        heldReason: null,
        // Filled in below from the comment's comment.created event.
        seq: 0,
      });
      placed.set(c.key, comment);
      comments.push(comment);
    }

    const events: ThreadEventData[] = [
      { type: 'thread.created', thread: { slug, title: thread.title, locked: false } },
      ...comments.map((comment) => ({ type: 'comment.created' as const, comment })),
    ];
    if (request.locked) events.push({ type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null } });

    const beforeFirst = await allocateSeqs(trx, thread.id, events.length);
    // events[0] is thread.created; each comment's seq is that of its comment.created event.
    comments.forEach((comment, i) => (comment.seq = beforeFirst + 2 + i));
    for (let i = 0; i < comments.length; i += INSERT_CHUNK) {
      await trx.insertInto('comments').values(comments.slice(i, i + INSERT_CHUNK).map(commentToRow)).execute();
    }
    const stored = await insertEvents(trx, thread.id, beforeFirst, events, thread.createdAt);
    if (request.locked) await trx.updateTable('threads').set({ locked: 1 }).where('id', '=', thread.id).execute();
    return { thread: { ...thread, locked: request.locked, seq: stored.at(-1)!.seq }, created: true };
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

async function insertThread(trx: Transaction<Database>, thread: Thread): Promise<Thread> {
  await trx.insertInto('threads').values(threadToRow(thread)).execute();
  return thread;
}

/** The slug itself when free, else the first free `slug-2`, `slug-3`… */
async function freeSlug(trx: Transaction<Database>, base: string): Promise<string> {
  const rows = await trx
    .selectFrom('threads')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  const taken = new Set(rows.map((r) => r.slug));
  return uniqueSlug(base, (s) => taken.has(s));
}

async function findBySource(db: Kysely<Database>, source: string): Promise<Thread | undefined> {
  const row = await db.selectFrom('threads').selectAll().where('source', '=', source).executeTakeFirst();
  return row ? threadFromRow(row) : undefined;
}
