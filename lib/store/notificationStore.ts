import { sql, type Kysely } from 'kysely';
import { displayNameKey } from '../domain/identity';
import { newId } from '../domain/ids';
import type { ModerationDecision, Notification, NotificationKind, ThreadWatchMode } from '../domain/notifications';
import { queuedComments } from './moderationStore';
import { compileOnce, type Param } from './compiledOnce';
import { noticeStillTrue, silenced } from './noticeStillTrue';
import type { Database, NotificationsTable } from './schema';

/** A notice the rules decided to keep (lib/services/notifications). */
export interface NewNotification {
  recipientId: string;
  kind: Notification['kind'];
  threadId: string;
  commentId: string;
  actorId: string | null;
  actorName: string | null;
  decision: ModerationDecision | null;
  reason: string | null;
}

/** One notice as the bell lists it: with its thread, and a short excerpt of the comment while it is visible. */
export interface BellNotification extends Notification {
  thread: { slug: string; title: string };
  /** The comment's text, cut short (markdown source, spaces folded); null once it is not visible. */
  excerpt: string | null;
}

/** Where a page of the bell's list starts: strictly older than this notice (the list's keyset). */
export interface NotificationBefore {
  createdAt: string;
  id: string;
}

/**
 * What the rules need to know about the people a change may notify, read in one query per change
 * (the posting path's cost matters: lib/services/notifications/notifier.ts runs after the commit).
 */
export interface Audience {
  /** The actor has a ban in force, or is shadow-banned (no actor: false). */
  actorSilenced: boolean;
  /** Of the candidates, those with an open account (a guest id, a deleted or removed account is absent). */
  accounts: ReadonlySet<string>;
  /** Of the candidates, those who muted the actor. */
  muting: ReadonlySet<string>;
  /** Of the candidates, those who blocked the thread. */
  blocking: ReadonlySet<string>;
}

export interface MutedPerson {
  personId: string;
  /** Their display name now (null when unknown: an account since deleted). */
  displayName: string | null;
  createdAt: string;
}

export interface ThreadWatch {
  thread: { id: string; slug: string; title: string };
  mode: ThreadWatchMode;
  createdAt: string;
}

/** The bell's store (issue 17, docs/notifications.md): the notices kept, their read marks, mutes and thread watches. */
export interface NotificationStore {
  audience(request: { actorId: string | null; threadId: string; candidateIds: readonly string[]; at: string }): Promise<Audience>;
  /** Keeps these notices; one already kept (same recipient, comment, kind and decision) is not kept again. Answers those newly kept. */
  insert(request: { notices: readonly NewNotification[]; at: string }): Promise<Notification[]>;
  /**
   * A page of the person's notices, newest first, strictly before `before`: only those still worth telling
   * (lib/store/noticeStillTrue.ts, the rule the mail asks too: on a thread neither hidden nor blocked, a reply or
   * mention while its comment is visible and its author neither muted nor silenced, a decision while it stands).
   */
  list(request: { recipientId: string; before?: NotificationBefore; limit: number; at: string }): Promise<BellNotification[]>;
  /** Unread notices still worth telling (noticeStillTrue.ts) per person (a person with none is absent). */
  unreadCounts(request: { recipientIds: readonly string[]; at: string }): Promise<Map<string, number>>;
  /** Marks these (or all) of the person's notices read; answers how many changed. Others' ids change nothing. */
  markRead(request: { recipientId: string; ids: readonly string[] | 'all'; at: string }): Promise<number>;

  /** How many comments wait in the moderators' queue (held, or visible with open reports): the staff's bell. */
  queueCount(): Promise<number>;
  /** The open account that goes by this display name (its key: lib/domain/identity.ts displayNameKey). */
  accountIdByName(displayName: string): Promise<string | undefined>;
  listMutes(ownerId: string): Promise<MutedPerson[]>;
  /** False when it was there already. */
  mute(request: { ownerId: string; mutedId: string; at: string }): Promise<boolean>;
  /** False when there was none. */
  unmute(request: { ownerId: string; mutedId: string }): Promise<boolean>;
  isMuted(request: { ownerId: string; mutedId: string }): Promise<boolean>;

  listWatches(ownerId: string): Promise<ThreadWatch[]>;
  watchOf(request: { ownerId: string; threadId: string }): Promise<ThreadWatchMode | null>;
  /** Follows or blocks the thread (replacing the other mode). */
  setWatch(request: { ownerId: string; threadId: string; mode: ThreadWatchMode; at: string }): Promise<void>;
  /** False when there was none. */
  clearWatch(request: { ownerId: string; threadId: string }): Promise<boolean>;
}

/** How much of a comment the bell shows. */
/** What the audience of a change is read by. */
interface AudienceParams {
  actorId: string;
  threadId: string;
  at: string;
}

export const EXCERPT_CHARS = 140;

export function excerptOf(body: string | null): string | null {
  if (body === null) return null;
  const folded = body.replace(/\s+/g, ' ').trim();
  return folded.length <= EXCERPT_CHARS ? folded : `${folded.slice(0, EXCERPT_CHARS - 1).trimEnd()}…`;
}

function notificationFromRow(row: NotificationsTable): Notification {
  return {
    id: row.id,
    recipientId: row.recipient_id,
    kind: row.kind as Notification['kind'],
    threadId: row.thread_id,
    commentId: row.comment_id,
    actorId: row.actor_id,
    actorName: row.actor_name,
    decision: row.decision === '' ? null : (row.decision as ModerationDecision),
    reason: row.reason,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}


/**
 * The person has a ban in force at this time (the posting rules' test: lifted_at, until) or is
 * shadow-banned: nothing they do tells anyone.
 */

/**
 * The one rule of what the bell still shows (list and count alike): nothing on a thread readers no
 * longer see (hidden by an admin) or that the recipient blocked; a reply or mention while its comment
 * is visible, by someone the recipient has not muted, who is not banned or shadow-banned now; a
 * moderator's decision on one's own comment whatever became of the comment (the decision is the news:
 * "removed" must be told).
 */

export function createNotificationStore(db: Kysely<Database>): NotificationStore {
  const listed = () => db.selectFrom('notifications as n').innerJoin('comments as c', 'c.id', 'n.comment_id').innerJoin('threads as t', 't.id', 'n.thread_id');

  /** Each candidate's account state, mute of the actor and block of the thread, and the actor's standing (no actor: '', nobody's id). */
  const audienceOf = (param: Param<AudienceParams>) =>
    db
      .selectFrom('users as u')
      .select((eb) => [
        'u.id',
        eb
          .exists(eb.selectFrom('person_mutes as pm').select(sql<number>`1`.as('one')).whereRef('pm.owner_id', '=', 'u.id').where('pm.muted_id', '=', param('actorId')))
          .as('muting'),
        eb
          .exists(eb.selectFrom('thread_watches as tw').select(sql<number>`1`.as('one')).whereRef('tw.owner_id', '=', 'u.id').where('tw.thread_id', '=', param('threadId')).where('tw.mode', '=', 'block'))
          .as('blocking'),
        silenced(sql.val(param('actorId')), param('at')).as('silenced'),
      ])
      .where('u.removed_at', 'is', null);
  // A reply tells one person: its audience and its notice are the two statements most notices cost, built and compiled once (compiledOnce.ts).
  const audienceOfOne = compileOnce<AudienceParams & { candidateId: string }, { id: string; muting: unknown; blocking: unknown; silenced: unknown }>((param) =>
    audienceOf(param).where('u.id', '=', param('candidateId')),
  );
  const insertOne = compileOnce<NotificationsTable, NotificationsTable>((param) =>
    db
      .insertInto('notifications')
      .values({
        id: param('id'),
        recipient_id: param('recipient_id'),
        kind: param('kind'),
        thread_id: param('thread_id'),
        comment_id: param('comment_id'),
        actor_id: param('actor_id'),
        actor_name: param('actor_name'),
        decision: param('decision'),
        reason: param('reason'),
        created_at: param('created_at'),
        read_at: param('read_at'),
        mailed_at: param('mailed_at'),
      })
      .onConflict((oc) => oc.columns(['recipient_id', 'comment_id', 'kind', 'decision']).doNothing())
      .returningAll(),
  );

  return {
    async audience({ actorId, threadId, candidateIds, at }) {
      if (candidateIds.length === 0) return { actorSilenced: false, accounts: new Set(), muting: new Set(), blocking: new Set() };
      const ids = [...new Set(candidateIds)];
      const params = { actorId: actorId ?? '', threadId, at };
      // One round trip either way.
      const rows = ids.length === 1 ? (await audienceOfOne.execute(db, { ...params, candidateId: ids[0]! })).rows : await audienceOf((name) => params[name]).where('u.id', 'in', ids).execute();
      const truthy = (v: unknown) => v === true || Number(v) === 1;
      return {
        actorSilenced: rows.some((r) => truthy(r.silenced)),
        accounts: new Set(rows.map((r) => r.id)),
        muting: new Set(rows.filter((r) => truthy(r.muting)).map((r) => r.id)),
        blocking: new Set(rows.filter((r) => truthy(r.blocking)).map((r) => r.id)),
      };
    },

    async insert({ notices, at }) {
      if (notices.length === 0) return [];
      const values = notices.map(
        (n): NotificationsTable => ({
          id: newId(),
          recipient_id: n.recipientId,
          kind: n.kind,
          thread_id: n.threadId,
          comment_id: n.commentId,
          actor_id: n.actorId,
          actor_name: n.actorName,
          decision: n.decision ?? '',
          reason: n.reason,
          created_at: at,
          read_at: null,
          mailed_at: null,
        }),
      );
      const rows =
        values.length === 1
          ? (await insertOne.execute(db, values[0]!)).rows
          : await db
              .insertInto('notifications')
              .values(values)
              .onConflict((oc) => oc.columns(['recipient_id', 'comment_id', 'kind', 'decision']).doNothing())
              .returningAll()
              .execute();
      return rows.map(notificationFromRow);
    },

    async list({ recipientId, before, limit, at }) {
      let query = listed()
        .selectAll('n')
        .select(['t.slug', 't.title', 'c.status as comment_status', 'c.body'])
        .where('n.recipient_id', '=', recipientId)
        .where(noticeStillTrue(at, 'told'));
      if (before) {
        query = query.where((eb) => eb.or([eb('n.created_at', '<', before.createdAt), eb.and([eb('n.created_at', '=', before.createdAt), eb('n.id', '<', before.id)])]));
      }
      const rows = await query.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        ...notificationFromRow(row),
        thread: { slug: row.slug, title: row.title },
        excerpt: row.comment_status === 'visible' ? excerptOf(row.body) : null,
      }));
    },

    async unreadCounts({ recipientIds, at }) {
      if (recipientIds.length === 0) return new Map();
      const rows = await listed()
        .select((eb) => ['n.recipient_id', eb.fn.countAll<number | string>().as('unread')])
        .where('n.recipient_id', 'in', [...new Set(recipientIds)])
        .where('n.read_at', 'is', null)
        .where(noticeStillTrue(at, 'told'))
        .groupBy('n.recipient_id')
        .execute();
      return new Map(rows.map((r) => [r.recipient_id, Number(r.unread)]));
    },

    async markRead({ recipientId, ids, at }) {
      if (ids !== 'all' && ids.length === 0) return 0;
      let query = db.updateTable('notifications').set({ read_at: at }).where('recipient_id', '=', recipientId).where('read_at', 'is', null);
      if (ids !== 'all') query = query.where('id', 'in', [...new Set(ids)]);
      return Number((await query.executeTakeFirst()).numUpdatedRows);
    },

    async queueCount() {
      const row = await queuedComments(db).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async accountIdByName(displayName) {
      const row = await db.selectFrom('users').select('id').where('display_key', '=', displayNameKey(displayName)).where('removed_at', 'is', null).executeTakeFirst();
      return row?.id;
    },

    async listMutes(ownerId) {
      const rows = await db
        .selectFrom('person_mutes as pm')
        .leftJoin('users as u', 'u.id', 'pm.muted_id')
        .select(['pm.muted_id', 'pm.created_at', 'u.display_name'])
        .where('pm.owner_id', '=', ownerId)
        .orderBy('pm.created_at', 'desc')
        .orderBy('pm.muted_id')
        .execute();
      return rows.map((r) => ({ personId: r.muted_id, displayName: r.display_name ?? null, createdAt: r.created_at }));
    },

    async mute({ ownerId, mutedId, at }) {
      const result = await db
        .insertInto('person_mutes')
        .values({ owner_id: ownerId, muted_id: mutedId, created_at: at })
        .onConflict((oc) => oc.columns(['owner_id', 'muted_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async unmute({ ownerId, mutedId }) {
      const result = await db.deleteFrom('person_mutes').where('owner_id', '=', ownerId).where('muted_id', '=', mutedId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async isMuted({ ownerId, mutedId }) {
      return (await db.selectFrom('person_mutes').select('muted_id').where('owner_id', '=', ownerId).where('muted_id', '=', mutedId).executeTakeFirst()) !== undefined;
    },

    async listWatches(ownerId) {
      const rows = await db
        .selectFrom('thread_watches as tw')
        .innerJoin('threads as t', 't.id', 'tw.thread_id')
        .select(['t.id', 't.slug', 't.title', 'tw.mode', 'tw.created_at'])
        .where('tw.owner_id', '=', ownerId)
        // A thread an admin hid does not exist for readers, its title included.
        .where('t.hidden', '=', 0)
        .orderBy('tw.created_at', 'desc')
        .orderBy('t.id')
        .execute();
      return rows.map((r) => ({ thread: { id: r.id, slug: r.slug, title: r.title }, mode: r.mode as ThreadWatchMode, createdAt: r.created_at }));
    },

    async watchOf({ ownerId, threadId }) {
      const row = await db.selectFrom('thread_watches').select('mode').where('owner_id', '=', ownerId).where('thread_id', '=', threadId).executeTakeFirst();
      return row ? (row.mode as ThreadWatchMode) : null;
    },

    async setWatch({ ownerId, threadId, mode, at }) {
      await db
        .insertInto('thread_watches')
        .values({ owner_id: ownerId, thread_id: threadId, mode, created_at: at })
        .onConflict((oc) => oc.columns(['owner_id', 'thread_id']).doUpdateSet({ mode, created_at: at }))
        .execute();
    },

    async clearWatch({ ownerId, threadId }) {
      const result = await db.deleteFrom('thread_watches').where('owner_id', '=', ownerId).where('thread_id', '=', threadId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** A person's notice settings as their export carries them. */
export interface NoticeSettingsExport {
  mutes: { personId: string; displayName: string | null; createdAt: string }[];
  threadWatches: { thread: { slug: string; title: string }; mode: string; createdAt: string }[];
}

export async function readNoticeSettings(db: Kysely<Database>, userId: string): Promise<NoticeSettingsExport> {
  const store = createNotificationStore(db);
  const [mutes, watches] = await Promise.all([store.listMutes(userId), store.listWatches(userId)]);
  return { mutes, threadWatches: watches.map((w) => ({ thread: { slug: w.thread.slug, title: w.thread.title }, mode: w.mode, createdAt: w.createdAt })) };
}

/** Kinds the bell keeps (a followed thread's news goes to the digest alone). */
export type BellKind = Exclude<NotificationKind, 'followed'>;
