import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../../lib/domain/ids';
import type { NotificationKind, ModerationDecision } from '../../lib/domain/notifications';
import { databaseTarget, openDatabase } from '../../lib/store';
import type { Database } from '../../lib/store/schema';
import type { TestDatabase } from '../../lib/store/testDatabases';

/**
 * What the mail tests need of the database around them: notices as the bell's listener writes them
 * (docs/notifications.md; that listener is not this test's subject, so its rows are written here),
 * follows, and a proven address for a staff account (staff sign in with a password, which proves none).
 */
export interface NoticeRows {
  db: Kysely<Database>;
  /** One notice for one account, made at `createdAt`. */
  notice(row: { recipientId: string; kind: Exclude<NotificationKind, 'followed'>; threadId: string; commentId: string; actorId?: string | null; actorName?: string | null; decision?: ModerationDecision; reason?: string | null; createdAt: string }): Promise<string>;
  follow(request: { ownerId: string; threadId: string; at: string }): Promise<void>;
  verifiedAddress(userId: string, email: string): Promise<void>;
  /** The notice's mail mark (null: not yet taken). */
  mailedAt(id: string): Promise<string | null>;
  close(): Promise<void>;
}

export function noticeRows(database: TestDatabase): NoticeRows {
  const { db } = openDatabase(databaseTarget({ databaseUrl: database.databaseUrl, dataDir: database.dataDir }));
  return {
    db,
    async notice(row) {
      const id = newId();
      await db
        .insertInto('notifications')
        .values({
          id,
          recipient_id: row.recipientId,
          kind: row.kind,
          thread_id: row.threadId,
          comment_id: row.commentId,
          actor_id: row.actorId ?? null,
          actor_name: row.actorName ?? null,
          decision: row.decision ?? '',
          reason: row.reason ?? null,
          created_at: row.createdAt,
          read_at: null,
          mailed_at: null,
        })
        .execute();
      return id;
    },
    async follow({ ownerId, threadId, at }) {
      await db.insertInto('thread_watches').values({ owner_id: ownerId, thread_id: threadId, mode: 'follow', created_at: at }).execute();
    },
    async verifiedAddress(userId, email) {
      await db.updateTable('users').set({ email, email_verified_at: new Date().toISOString() }).where('id', '=', userId).execute();
    },
    async mailedAt(id) {
      const row = await db.selectFrom('notifications').select('mailed_at').where('id', '=', id).executeTakeFirstOrThrow();
      return row.mailed_at;
    },
    close: () => db.destroy(),
  };
}

/** An address no other test of the run has. */
export const freshAddress = (label = 'reader') => `${label}.${randomBytes(5).toString('hex')}@example.test`;
