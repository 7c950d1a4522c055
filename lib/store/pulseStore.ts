import { sql, type Kysely } from 'kysely';
import { queuedComments } from './moderationStore';
import type { MinuteCount, QueueDecision } from '../domain/pulse';
import type { Database } from './schema';

export type { MinuteCount, QueueDecision };

/** What waits for a moderator now: held comments, and visible ones with open reports. */
export interface WaitingCounts {
  held: number;
  reported: number;
}

export interface ThreadActivity {
  threadId: string;
  slug: string;
  title: string;
  /** Every event of the thread in the window (posts, edits, likes, decisions): its seq advanced this much. */
  events: number;
  /** Of those, posts (`comment.created`). */
  comments: number;
}

export interface CommenterActivity {
  /** The author's person id (an account's id, or a guest's). */
  personId: string;
  name: string | null;
  comments: number;
}

/** The whole site, or one thread when `threadId` is given. */
interface Scope {
  threadId?: string;
}

/**
 * The figures of the moderators' pulse (lib/services/pulseService.ts), read from the rows themselves —
 * the seq log, the comments, the reports and the audit log — never from a counter kept beside them.
 */
export interface PulseStore {
  /** Minutes with at least one post at or after `since`, oldest first (a quiet minute is absent). */
  commentsPerMinute(request: Scope & { since: string }): Promise<MinuteCount[]>;
  /** The moderators' queue now, as the desk lists it (moderationStore.ts queuedComments). */
  waiting(request: Scope): Promise<WaitingCounts>;
  /** Decisions taken at or after `since`, newest first, at most `limit`. */
  decisions(request: Scope & { since: string; limit: number }): Promise<QueueDecision[]>;
  /** The threads with the most events at or after `since`, busiest first (ties by slug). */
  busiestThreads(request: { since: string; limit: number }): Promise<ThreadActivity[]>;
  /** The people with the most comments posted at or after `since` (any status), most first (ties by id). */
  activeCommenters(request: Scope & { since: string; limit: number }): Promise<CommenterActivity[]>;
}

/** Both engines count as text or bigint: one number. */
const n = (value: number | string | bigint | null | undefined) => Number(value ?? 0);

export function createPulseStore(db: Kysely<Database>): PulseStore {
  return {
    async commentsPerMinute({ threadId, since }) {
      // Times are ISO-8601 UTC text on both engines: the first 16 characters are the minute.
      const minute = sql<string>`substr(created_at, 1, 16)`;
      let query = db
        .selectFrom('thread_events')
        .select([minute.as('minute'), (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('type', '=', 'comment.created')
        .where('created_at', '>=', since);
      if (threadId !== undefined) query = query.where('thread_id', '=', threadId);
      const rows = await query.groupBy(minute).orderBy(minute).execute();
      return rows.map((r) => ({ minute: r.minute, comments: n(r.n) }));
    },

    async waiting({ threadId }) {
      let query = queuedComments(db).select([
        sql<number | string>`sum(case when c.status = 'pending' then 1 else 0 end)`.as('held'),
        sql<number | string>`sum(case when c.status = 'visible' then 1 else 0 end)`.as('reported'),
      ]);
      if (threadId !== undefined) query = query.where('c.thread_id', '=', threadId);
      const row = await query.executeTakeFirst();
      return { held: n(row?.held), reported: n(row?.reported) };
    },

    async decisions({ threadId, since, limit }) {
      // Approving or rejecting applies to held comments only (lib/services/moderationService.ts RULES).
      let held = db
        .selectFrom('audit_log as a')
        .innerJoin('comments as c', 'c.id', 'a.comment_id')
        .select(['a.action', 'a.at', 'c.id', 'c.created_at', 'c.edited_at'])
        .where('a.action', 'in', ['comment.approve', 'comment.reject'])
        .where('a.at', '>=', since);
      if (threadId !== undefined) held = held.where('a.thread_id', '=', threadId);
      // A reported comment's decision closes its open reports at once, all with one time and resolution;
      // an approval or rejection closes a held comment's reports too, but is counted by its audit entry above.
      let reported = db
        .selectFrom('reports')
        .select(['comment_id', 'resolution', 'resolved_at', sql<string>`min(created_at)`.as('first_report')])
        .where('resolved_at', '>=', since)
        .where('resolution', 'in', ['kept', 'remove']);
      if (threadId !== undefined) reported = reported.where('thread_id', '=', threadId);
      const [heldRows, reportRows] = await Promise.all([
        held.orderBy('a.at', 'desc').limit(limit).execute(),
        reported.groupBy(['comment_id', 'resolution', 'resolved_at']).orderBy('resolved_at', 'desc').limit(limit).execute(),
      ]);
      const decisions: QueueDecision[] = [
        ...heldRows.map((r) => ({
          kind: r.action === 'comment.approve' ? ('approve' as const) : ('reject' as const),
          commentId: r.id,
          // Held by an edit: it entered the queue when edited (an edit after the decision is not that one).
          waitingSince: r.edited_at !== null && r.edited_at <= r.at ? r.edited_at : (r.created_at ?? r.at),
          decidedAt: r.at,
        })),
        ...reportRows.map((r) => ({
          kind: r.resolution === 'kept' ? ('keep' as const) : ('remove' as const),
          commentId: r.comment_id,
          waitingSince: r.first_report,
          decidedAt: r.resolved_at!,
        })),
      ];
      return decisions.sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : 0)).slice(0, limit);
    },

    async busiestThreads({ since, limit }) {
      const rows = await db
        .selectFrom('thread_events as e')
        .innerJoin('threads as t', 't.id', 'e.thread_id')
        .select([
          't.id',
          't.slug',
          't.title',
          (eb) => eb.fn.countAll<number | string>().as('events'),
          sql<number | string>`sum(case when e.type = 'comment.created' then 1 else 0 end)`.as('comments'),
        ])
        .where('e.created_at', '>=', since)
        .groupBy(['t.id', 't.slug', 't.title'])
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('t.slug')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ threadId: r.id, slug: r.slug, title: r.title, events: n(r.events), comments: n(r.comments) }));
    },

    async activeCommenters({ threadId, since, limit }) {
      let query = db
        .selectFrom('comments')
        .select(['author_guest_id', sql<string | null>`max(author_name)`.as('name'), (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('created_at', '>=', since)
        .where('author_guest_id', 'is not', null);
      if (threadId !== undefined) query = query.where('thread_id', '=', threadId);
      const rows = await query.groupBy('author_guest_id').orderBy(sql`count(*)`, 'desc').orderBy('author_guest_id').limit(limit).execute();
      return rows.map((r) => ({ personId: r.author_guest_id!, name: r.name, comments: n(r.n) }));
    },
  };
}
