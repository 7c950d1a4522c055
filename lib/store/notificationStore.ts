import { PostgresAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { displayNameKey } from '../domain/identity';
import { newId } from '../domain/ids';
import type { ModerationDecision, Notification, NotificationKind, ThreadWatchMode } from '../domain/notifications';
import { queuedComments } from './moderationStore';
import { compileOnce, type CompiledOnce, type QueryRunner } from './compiledOnce';
import { prepareOnServer } from './pgNamedStatements';
import { noticeStillTrue, recipientBlocksThread, recipientMutesActor, silenced } from './noticeStillTrue';
import type { Database, NotificationsTable } from './schema';

/** A notice the rules decided to keep (lib/services/notifications): all of it but what storing it gives it. */
export type NewNotification = Omit<Notification, 'id' | 'createdAt' | 'readAt'>;

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
 * A fact the store asks as it keeps a notice, in the statement that inserts it (AUDIENCE_CHECK_SQL):
 * which notices must pass which is decided by lib/services/notifications/rules.ts (AUDIENCE_PHASES).
 */
export type AudienceCheck =
  /** Its actor has no ban in force and is not shadow-banned (noticeStillTrue.ts silenced). */
  | 'actorNotSilenced'
  /** Its recipient has an open account (a guest has none; a deleted or closed account is gone). */
  | 'recipientHasAccount'
  /** Its recipient has not muted its actor. */
  | 'recipientNotMuting'
  /** Its recipient has not blocked its thread. */
  | 'threadNotBlocked';

/** A notice to keep only if each of its checks holds when it is kept (none: kept whatever). */
export interface CheckedNotification extends NewNotification {
  checks?: readonly AudienceCheck[];
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
  /**
   * Keeps these notices, each only if its checks hold now, in one statement (one round trip); one already
   * kept (same recipient, comment, kind and decision) is not kept again. Answers those newly kept.
   */
  insert(request: { notices: readonly CheckedNotification[]; at: string }): Promise<Notification[]>;
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

/** Each check as SQL over the notice `n` being kept: the same facts the bell asks later (noticeStillTrue.ts). */
const AUDIENCE_CHECK_SQL: Record<AudienceCheck, (at: RawBuilder<unknown>) => RawBuilder<SqlBool>> = {
  actorNotSilenced: (at) => sql`not ${silenced(sql.ref('n.actor_id'), at)}`,
  recipientHasAccount: () => sql`exists (select 1 from users u where u.id = n.recipient_id and u.removed_at is null)`,
  recipientNotMuting: () => sql`not ${recipientMutesActor}`,
  threadNotBlocked: () => sql`not ${recipientBlocksThread}`,
};
const AUDIENCE_CHECKS = Object.keys(AUDIENCE_CHECK_SQL) as AudienceCheck[];

/** A kept notice's columns that come from the notice (created_at is the time; read_at and mailed_at start empty). */
const KEPT_COLUMNS = ['id', 'recipient_id', 'kind', 'thread_id', 'comment_id', 'actor_id', 'actor_name', 'decision', 'reason'] as const;
type KeptColumn = (typeof KEPT_COLUMNS)[number];

/**
 * The statement that keeps `count` notices, built and compiled once per count (compiledOnce.ts; a change
 * makes at most MAX_MENTIONS_PER_COMMENT + 2, a reply's one being the most common), and on PostgreSQL
 * prepared once per connection: the notices as rows of `n`, each inserted only when every check it
 * asks for (a 1 in its column) holds, idempotent by notifications_once.
 */
function keepStatements(db: Kysely<Database>): (count: number) => CompiledOnce<Record<string, unknown>, NotificationsTable> {
  const byCount = new Map<number, CompiledOnce<Record<string, unknown>, NotificationsTable>>();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (count) => {
    let statement = byCount.get(count);
    if (statement) return statement;
    statement = compileOnce<Record<string, unknown>, NotificationsTable>((p) => {
      const rows = Array.from({ length: count }, (_, i) => {
        const values = [
          ...KEPT_COLUMNS.map((column) => sql`cast(${p(`${column}_${i}`)} as text)`),
          ...AUDIENCE_CHECKS.map((check) => sql`cast(${p(`${check}_${i}`)} as integer)`),
        ];
        return sql`(${sql.join(values)})`;
      });
      const at = sql`cast(${p('at')} as text)`;
      const checked = AUDIENCE_CHECKS.map((check) => sql`(${sql.ref(`n.${check}`)} = 0 or ${AUDIENCE_CHECK_SQL[check](at)})`);
      const raw = sql<NotificationsTable>`with n (${sql.join([...KEPT_COLUMNS, ...AUDIENCE_CHECKS].map((c) => sql.id(c)))}) as (values ${sql.join(rows)})
        insert into notifications (${sql.join([...KEPT_COLUMNS, 'created_at', 'read_at', 'mailed_at'].map((c) => sql.id(c)))})
        select ${sql.join(KEPT_COLUMNS.map((c) => sql.ref(`n.${c}`)))}, ${at}, null, null from n
        where ${sql.join(checked, sql` and `)}
        on conflict (recipient_id, comment_id, kind, decision) do nothing
        returning *`;
      return { compile: () => raw.compile(db) };
    });
    if (postgres) prepareOnServer(statement.sql());
    byCount.set(count, statement);
    return statement;
  };
}

/** Keeps notices through `runner`: the database (NotificationStore.insert), or a post's transaction (posting/index.ts). */
export type NoticeKeeper = (runner: QueryRunner, request: { notices: readonly CheckedNotification[]; at: string }) => Promise<Notification[]>;

/** The one way notices are kept, whoever runs it (NotificationStore.insert's contract). */
export function createNoticeKeeper(db: Kysely<Database>): NoticeKeeper {
  const keep = keepStatements(db);
  return async (runner, { notices, at }) => {
    if (notices.length === 0) return [];
    const params: Record<string, unknown> = { at };
    notices.forEach((n, i) => {
      const row: Record<KeptColumn, unknown> = {
        id: newId(),
        recipient_id: n.recipientId,
        kind: n.kind,
        thread_id: n.threadId,
        comment_id: n.commentId,
        actor_id: n.actorId,
        actor_name: n.actorName,
        decision: n.decision ?? '',
        reason: n.reason,
      };
      for (const column of KEPT_COLUMNS) params[`${column}_${i}`] = row[column];
      for (const check of AUDIENCE_CHECKS) params[`${check}_${i}`] = n.checks?.includes(check) ? 1 : 0;
    });
    const { rows } = await keep(notices.length).execute(runner, params);
    return rows.map(notificationFromRow);
  };
}

export function createNotificationStore(db: Kysely<Database>, keep: NoticeKeeper = createNoticeKeeper(db)): NotificationStore {
  const listed = () => db.selectFrom('notifications as n').innerJoin('comments as c', 'c.id', 'n.comment_id').innerJoin('threads as t', 't.id', 'n.thread_id');

  return {
    insert: (request) => keep(db, request),

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
