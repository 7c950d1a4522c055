import { sql, type Kysely } from 'kysely';
import type { ReportCategory } from '../contract/reports';
import { BADGES, type Badge } from '../domain/identity';
import { parseBadges } from './accountStore';
import { newId } from '../domain/ids';
import type { Comment } from '../domain/types';
import { commentFromRow } from './mappers';
import { auditRecord, type AuditRecord } from './moderationStore';
import type { Database } from './schema';

/** A moderator's private note about a person. */
export interface PersonNote {
  id: string;
  personId: string;
  authorId: string | null;
  authorName: string;
  text: string;
  createdAt: string;
}

/** One of the person's comments, with the thread it is on. */
export interface PersonComment {
  comment: Comment;
  threadSlug: string;
  threadTitle: string;
}

/** A report made on one of the person's comments. */
export interface ReportOnPerson {
  commentId: string;
  category: ReportCategory;
  reason: string | null;
  createdAt: string;
  resolution: string | null;
  resolvedAt: string | null;
}

/** What moderators read and keep about one person (a guest or an account), for the person's page. */
export interface PersonStore {
  /** The address key (lib/domain/addressKey.ts) a guest last posted from: one row per guest, overwritten. */
  noteGuestAddress(request: { guestId: string; address: string; at: string }): Promise<void>;
  guestAddress(guestId: string): Promise<string | undefined>;
  /** Whether the person has left any trace here: a comment, or an address seen. */
  knownGuest(guestId: string): Promise<boolean>;
  /** Replaces an account's badges; undefined when there is no such account. */
  setBadges(request: { userId: string; badges: Badge[] }): Promise<Badge[] | undefined>;
  /** Every account with a badge (few: the newsroom's staff, journalists, experts). */
  badgedAccounts(): Promise<{ id: string; badges: Badge[] }[]>;
  addNote(request: Omit<PersonNote, 'id' | 'createdAt'>): Promise<PersonNote>;
  /** Newest first. */
  listNotes(request: { personId: string; limit: number }): Promise<PersonNote[]>;
  /** The person's comments across threads, newest first; `before`: a `createdAt|id` cursor from the last page. */
  listComments(request: { personId: string; limit: number; before?: { createdAt: string; id: string } }): Promise<PersonComment[]>;
  /** How many comments the person has, by status. */
  commentCounts(personId: string): Promise<Record<string, number>>;
  /** Reports on the person's comments, newest first. */
  reportsOn(request: { personId: string; limit: number }): Promise<ReportOnPerson[]>;
  /** Audit entries about the person (their id as the target) or their comments, newest first. */
  auditAbout(request: { personId: string; limit: number }): Promise<AuditRecord[]>;
  /** Live sessions of an account. */
  countSessions(request: { userId: string; now: string }): Promise<number>;
}


export function createPersonStore(db: Kysely<Database>, now: () => string): PersonStore {
  return {
    async noteGuestAddress({ guestId, address, at }) {
      await db
        .insertInto('guest_addresses')
        .values({ guest_id: guestId, address, seen_at: at })
        .onConflict((oc) => oc.column('guest_id').doUpdateSet({ address, seen_at: at }))
        .execute();
    },

    async guestAddress(guestId) {
      const row = await db.selectFrom('guest_addresses').select('address').where('guest_id', '=', guestId).executeTakeFirst();
      return row?.address;
    },

    async knownGuest(guestId) {
      const [comment, address] = await Promise.all([
        db.selectFrom('comments').select('id').where('author_guest_id', '=', guestId).limit(1).executeTakeFirst(),
        db.selectFrom('guest_addresses').select('guest_id').where('guest_id', '=', guestId).executeTakeFirst(),
      ]);
      return comment !== undefined || address !== undefined;
    },

    async setBadges({ userId, badges }) {
      const wanted = BADGES.filter((b) => badges.includes(b));
      const result = await db.updateTable('users').set({ badges: JSON.stringify(wanted) }).where('id', '=', userId).executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? undefined : wanted;
    },

    async badgedAccounts() {
      const rows = await db.selectFrom('users').select(['id', 'badges']).where('badges', '<>', '[]').where('removed_at', 'is', null).execute();
      return rows.map((r) => ({ id: r.id, badges: parseBadges(r.badges) })).filter((r) => r.badges.length > 0);
    },

    async addNote({ personId, authorId, authorName, text }) {
      const note: PersonNote = { id: newId(), personId, authorId, authorName, text, createdAt: now() };
      await db
        .insertInto('person_notes')
        .values({ id: note.id, person_id: personId, author_id: authorId, author_name: authorName, text, created_at: note.createdAt })
        .execute();
      return note;
    },

    async listNotes({ personId, limit }) {
      const rows = await db.selectFrom('person_notes').selectAll().where('person_id', '=', personId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, personId: r.person_id, authorId: r.author_id, authorName: r.author_name, text: r.text, createdAt: r.created_at }));
    },

    async listComments({ personId, limit, before }) {
      let query = db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .selectAll('c')
        .select(['t.slug as thread_slug', 't.title as thread_title'])
        .where('c.author_guest_id', '=', personId);
      if (before) {
        query = query.where((eb) => eb.or([eb('c.created_at', '<', before.createdAt), eb.and([eb('c.created_at', '=', before.createdAt), eb('c.id', '<', before.id)])]));
      }
      const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
      return rows.map(({ thread_slug, thread_title, ...row }) => ({ comment: commentFromRow(row), threadSlug: thread_slug, threadTitle: thread_title }));
    },

    async commentCounts(personId) {
      const rows = await db.selectFrom('comments').select((eb) => ['status', eb.fn.countAll().as('n')]).where('author_guest_id', '=', personId).groupBy('status').execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    async reportsOn({ personId, limit }) {
      const rows = await db
        .selectFrom('reports as r')
        .innerJoin('comments as c', 'c.id', 'r.comment_id')
        .select(['r.comment_id', 'r.category', 'r.reason', 'r.created_at', 'r.resolution', 'r.resolved_at'])
        .where('c.author_guest_id', '=', personId)
        .orderBy('r.created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        commentId: r.comment_id,
        category: r.category as ReportCategory,
        reason: r.reason === '' ? null : r.reason,
        createdAt: r.created_at,
        resolution: r.resolution,
        resolvedAt: r.resolved_at,
      }));
    },

    async auditAbout({ personId, limit }) {
      const theirComments = db.selectFrom('comments').select('id').where('author_guest_id', '=', personId);
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where((eb) => eb.or([eb('target', '=', personId), eb('comment_id', 'in', theirComments)]))
        .orderBy('at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(auditRecord);
    },

    async countSessions({ userId, now: at }) {
      const row = await db
        .selectFrom('sessions')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
