import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { NotChecked } from '../contract/api';
import type { ReportCategory } from '../contract/reports';
import { newId } from '../domain/ids';
import type { Comment } from '../domain/types';
import { commentFromRow } from './mappers';
import { notCheckedFrom } from './spamStore';
import type { AddressRange } from '../domain/addressRange';
import type { AuditLogTable, BansTable, Database } from './schema';

/** One moderation action, as the audit log keeps it. */
export interface AuditEntry {
  actorId: string | null;
  actorName: string;
  action: string;
  threadId?: string | null;
  commentId?: string | null;
  /** What the action was about when it is not a comment: a guest id, a username, a thread slug. */
  target?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'details'>> {
  id: string;
  at: string;
  details: Record<string, unknown>;
}

export interface Report {
  id: string;
  threadId: string;
  commentId: string;
  guestId: string;
  category: ReportCategory;
  /** The reader's own words, or null when the category says it all. */
  reason: string | null;
  createdAt: string;
}

/** A comment's reports in numbers: every one it ever had, and those still open by category. */
export interface ReportTally {
  total: number;
  open: Partial<Record<ReportCategory, number>>;
}

/** What a moderator reads of a report. */
export type ReportSummary = Pick<Report, 'category' | 'reason' | 'createdAt'>;

/** A report's row as read back: no words are stored as '' (migration 0010). */
function reportSummary(row: { category: string; reason: string; created_at: string }): ReportSummary {
  return { category: row.category as ReportCategory, reason: row.reason === '' ? null : row.reason, createdAt: row.created_at };
}

export interface Ban {
  id: string;
  guestId: string;
  reason: string;
  /** Null: for good. */
  until: string | null;
  createdBy: string;
  createdAt: string;
  /** A guest's ban may also cover the address range it posts from (lib/domain/addressRange.ts); null: the person alone. */
  addressRange: string | null;
  /** When a moderator lifted it early; null otherwise. */
  liftedAt?: string | null;
}

/** A ban to make: `address`, the range besides the person (guests only, lib/services/moderationService.ts). */
export type NewBan = Omit<Ban, 'id' | 'createdAt' | 'addressRange' | 'liftedAt'> & { address?: AddressRange | null };

/** A comment waiting for a moderator: held, or reported by readers. */
export interface QueueItem {
  comment: Comment;
  threadSlug: string;
  threadTitle: string;
  reports: ReportSummary[];
  /** Why the outside spam service did not judge its current text, if it did not (lib/store/spamStore.ts). */
  notChecked: NotChecked | null;
  /** When it entered the queue (held: posted, or edited; reported: the latest report). */
  queuedAt: string;
}

/**
 * What a change to a comment does to its reports, in the change's transaction and at its time
 * (lib/store/commentChanges.ts).
 */
export type ReportsChange =
  /** The open reports close, answered by `resolution` (the moderator's action). */
  | { close: { by: string; resolution: string } }
  /** The reports closed by `resolution` at or after `since` open again: what one action closed (its audit entry's time). */
  | { reopen: { resolution: string; since: string } };

export interface ModerationStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(request: { limit: number }): Promise<AuditRecord[]>;
  /** The comment's newest audit entry for `action` (`comment.remove`, say), if any. */
  latestAudit(request: { commentId: string; action: string }): Promise<AuditRecord | undefined>;
  /** One open report per reader and comment: a second report from the same reader changes nothing. */
  createReport(request: Omit<Report, 'id' | 'createdAt'>): Promise<{ report: Report; created: boolean }>;
  /** How many reports the comment has had, and how many are open, by category. */
  reportTally(request: { commentId: string }): Promise<ReportTally>;
  /** Closes the open reports on a comment; returns how many. */
  resolveReports(request: { commentId: string; by: string; resolution: string }): Promise<number>;
  /** The moderators' queue, newest first; with `commentId`, that comment's item alone (none if it is not queued). */
  listQueue(request: { limit: number; commentId?: string }): Promise<QueueItem[]>;
  createBan(request: NewBan): Promise<Ban>;
  /** The ban in force on the person, or on a guest's address (`addressBits`, lib/domain/addressRange.ts). */
  activeBan(request: { guestId: string; now: string; addressBits?: string | null }): Promise<Ban | undefined>;
  /** Every ban of the person, in force or not, newest first. */
  listBans(request: { guestId: string }): Promise<Ban[]>;
  listBannedWords(): Promise<string[]>;
  setBannedWords(words: string[]): Promise<string[]>;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Bans in force at `at` (ISO time): not lifted, and permanent or not yet over. */
function inForce(db: Db, at: string) {
  return db
    .selectFrom('bans')
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', at)]));
}

/** The person's own bans in force at `at`: an account's on every device, a guest's on its cookie. */
export function bansInForce(db: Db, guestId: string, at: string) {
  return inForce(db, at).where('guest_id', '=', guestId);
}

/**
 * The range bans in force at `at` that cover a guest posting from `addressBits` (lib/domain/addressRange.ts):
 * the range's bits begin the address's. They hold guests only: a signed-in person is judged by their
 * account's ban alone (docs/decisions.md, "A person's page and bans by address range"), so a
 * newsroom's subscriber on a shared network is not refused for a guest who abused it.
 */
export function rangeBansInForce(db: Db, guestId: string, at: string, addressBits: string | null | undefined) {
  return inForce(db, at)
    .where('address_bits', 'is not', null)
    .where(sql<boolean>`substr(cast(${addressBits ?? null} as text), 1, length(address_bits)) = address_bits`)
    .where(sql<boolean>`not exists (select 1 from users where users.id = ${guestId})`);
}

export function banFromRow(row: Selectable<BansTable>): Ban {
  return { id: row.id, guestId: row.guest_id, reason: row.reason, until: row.until, createdBy: row.created_by, createdAt: row.created_at, addressRange: row.address_range, liftedAt: row.lifted_at };
}

/** The ban in force at `at` on the person or their address that lasts longest (a permanent one first). */
export async function banInForce(db: Db, guestId: string, at: string, addressBits?: string | null): Promise<Ban | undefined> {
  const longest = (q: ReturnType<typeof bansInForce>) => q.selectAll().orderBy(sql`coalesce(until, '9999')`, 'desc').executeTakeFirst();
  const [own, range] = await Promise.all([longest(bansInForce(db, guestId, at)), addressBits ? longest(rangeBansInForce(db, guestId, at, addressBits)) : undefined]);
  const rows = [own, range].filter((r) => r !== undefined);
  rows.sort((a, b) => (b.until ?? '9999').localeCompare(a.until ?? '9999'));
  return rows[0] ? banFromRow(rows[0]) : undefined;
}

/**
 * The comments on the moderators' queue (`c`): held for review, or visible with an open report (`r`,
 * with its latest `last_report`). The one statement of that rule: the desk lists from it, and a
 * thread's deletion (threadDeletion.ts) tells the desks which of its comments left it.
 */
export function queuedComments(db: Kysely<Database> | Transaction<Database>) {
  const openReports = db
    .selectFrom('reports')
    .select(['comment_id', sql<string>`max(created_at)`.as('last_report')])
    .where('resolved_at', 'is', null)
    .groupBy('comment_id');
  return db
    .selectFrom('comments as c')
    .leftJoin(openReports.as('r'), 'r.comment_id', 'c.id')
    .where((eb) => eb.or([eb('c.status', '=', 'pending'), eb.and([eb('r.last_report', 'is not', null), eb('c.status', '=', 'visible')])]));
}

/** Applies a {@link ReportsChange} to the comment's reports; returns how many changed. */
export async function changeReports(db: Db, commentId: string, change: ReportsChange, at: string): Promise<number> {
  const result =
    'close' in change
      ? await db
          .updateTable('reports')
          .set({ resolved_at: at, resolved_by: change.close.by, resolution: change.close.resolution })
          .where('comment_id', '=', commentId)
          .where('resolved_at', 'is', null)
          .executeTakeFirst()
      : await db
          .updateTable('reports')
          .set({ resolved_at: null, resolved_by: null, resolution: null })
          .where('comment_id', '=', commentId)
          .where('resolution', '=', change.reopen.resolution)
          .where('resolved_at', '>=', change.reopen.since)
          .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function auditRecord(r: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    threadId: r.thread_id,
    commentId: r.comment_id,
    target: r.target,
    reason: r.reason,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

/** Used inside the transaction of the change it records, so the log and the change commit together. */
export async function insertAudit(db: Db, entry: AuditEntry, at: string): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at,
      actor_id: entry.actorId,
      actor_name: entry.actorName,
      action: entry.action,
      thread_id: entry.threadId ?? null,
      comment_id: entry.commentId ?? null,
      target: entry.target ?? null,
      reason: entry.reason ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export function createModerationStore(db: Kysely<Database>, now: () => string): ModerationStore {
  return {
    async appendAudit(entry) {
      await insertAudit(db, entry, now());
    },

    async listAudit({ limit }) {
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(auditRecord);
    },

    async latestAudit({ commentId, action }) {
      // Newest first on the time index: the entry looked for is usually among the last few.
      const row = await db.selectFrom('audit_log').selectAll().where('comment_id', '=', commentId).where('action', '=', action).orderBy('at', 'desc').limit(1).executeTakeFirst();
      return row ? auditRecord(row) : undefined;
    },

    async createReport({ threadId, commentId, guestId, category, reason }) {
      const existing = await db.selectFrom('reports').selectAll().where('comment_id', '=', commentId).where('guest_id', '=', guestId).executeTakeFirst();
      const toReport = (r: typeof existing & object): Report => ({ id: r.id, threadId: r.thread_id, commentId: r.comment_id, guestId: r.guest_id, ...reportSummary(r) });
      if (existing) return { report: toReport(existing), created: false };
      const row = { id: newId(), thread_id: threadId, comment_id: commentId, guest_id: guestId, category, reason: reason ?? '', created_at: now(), resolved_at: null, resolved_by: null, resolution: null };
      try {
        await db.insertInto('reports').values(row).execute();
      } catch (err) {
        const raced = await db.selectFrom('reports').selectAll().where('comment_id', '=', commentId).where('guest_id', '=', guestId).executeTakeFirst();
        if (raced) return { report: toReport(raced), created: false };
        throw err;
      }
      return { report: toReport(row), created: true };
    },

    async reportTally({ commentId }) {
      const rows = await db
        .selectFrom('reports')
        .select((eb) => ['category', eb.fn.countAll().as('total'), sql<number | string>`sum(case when resolved_at is null then 1 else 0 end)`.as('open')])
        .where('comment_id', '=', commentId)
        .groupBy('category')
        .execute();
      const tally: ReportTally = { total: 0, open: {} };
      for (const row of rows) {
        tally.total += Number(row.total);
        if (Number(row.open) > 0) tally.open[row.category as ReportCategory] = Number(row.open);
      }
      return tally;
    },

    async resolveReports({ commentId, by, resolution }) {
      return changeReports(db, commentId, { close: { by, resolution } }, now());
    },

    async listQueue({ limit, commentId }) {
      let queued = queuedComments(db);
      if (commentId !== undefined) queued = queued.where('c.id', '=', commentId);
      const rows = await queued
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .leftJoin('spam_not_checked as n', 'n.comment_id', 'c.id')
        .selectAll('c')
        .select(['t.slug as thread_slug', 't.title as thread_title', 'r.last_report', 'n.why as not_checked'])
        // A comment held by its edit entered the queue when it was edited.
        .orderBy(sql`coalesce(r.last_report, c.edited_at, c.created_at)`, 'desc')
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      const reports = await db
        .selectFrom('reports')
        .select(['comment_id', 'category', 'reason', 'created_at'])
        .where('resolved_at', 'is', null)
        .where(
          'comment_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('created_at')
        .execute();
      return rows.map(({ thread_slug, thread_title, last_report, not_checked, ...row }) => ({
        comment: commentFromRow(row),
        threadSlug: thread_slug,
        threadTitle: thread_title,
        reports: reports.filter((r) => r.comment_id === row.id).map(reportSummary),
        notChecked: notCheckedFrom(row.id, not_checked),
        queuedAt: last_report ?? row.edited_at ?? row.created_at ?? '',
      }));
    },

    async createBan({ guestId, reason, until, createdBy, address }) {
      const ban: Ban = { id: newId(), guestId, reason, until, createdBy, createdAt: now(), addressRange: address?.range ?? null, liftedAt: null };
      await db
        .insertInto('bans')
        .values({
          id: ban.id,
          guest_id: guestId,
          reason,
          until,
          created_by: createdBy,
          created_at: ban.createdAt,
          lifted_at: null,
          address_range: address?.range ?? null,
          address_bits: address?.bits ?? null,
        })
        .execute();
      return ban;
    },

    async activeBan({ guestId, now: at, addressBits }) {
      return banInForce(db, guestId, at, addressBits);
    },

    async listBans({ guestId }) {
      const rows = await db.selectFrom('bans').selectAll().where('guest_id', '=', guestId).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(banFromRow);
    },

    async listBannedWords() {
      return (await db.selectFrom('banned_words').select('word').orderBy('word').execute()).map((r) => r.word);
    },

    async setBannedWords(words) {
      const unique = [...new Set(words)].sort();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('banned_words').execute();
        if (unique.length) await trx.insertInto('banned_words').values(unique.map((word) => ({ word, created_at: now() }))).execute();
      });
      return unique;
    },
  };
}
