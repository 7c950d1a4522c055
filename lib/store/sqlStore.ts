import { Migrator, sql } from 'kysely';
import { createAccountStore } from './accountStore';
import { createCommentChanges } from './commentChanges';
import { createCommentReads } from './commentReads';
import { createEventReads } from './eventReads';
import { createImportStore } from './importStore';
import { createMentionStore } from './mentionStore';
import { migrationProvider } from './migrations';
import { createModerationStore } from './moderationStore';
import { createNoticeKeeper, createNotificationStore } from './notificationStore';
import { createOwnDataStore } from './personData';
import { createPersonStore } from './personStore';
import type { OpenedDatabase } from './openDatabase';
import { createPolicyStore } from './policyStore';
import { createPosting } from './posting';
import { POSTING_RULES } from './posting/rules';
import type { Store } from './store';
import { createThreadDeletion } from './threadDeletion';
import { createSpamStore } from './spamStore';
import { createSsoTokenStore } from './ssoTokenStore';
import { createSignInLinkStore } from './signInLinkStore';
import { createThreadReads } from './threadReads';
import { createThreadWrites } from './threadWrites';
import { createWebhookStore } from './webhookStore';
import { createMailStore } from './mailStore';
import { announceThreadChanges, watchThreadChanges } from './threadChanges';
import { createPulseStore } from './pulseStore';

export interface SqlStoreOptions {
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /** COMMENTS_CLOSE_AFTER_DAYS: threads made here close this many days after creation; unset: never (lib/domain/closing.ts). */
  closeAfterDays?: number | null;
}

/**
 * The store over Kysely, the same code for SQLite and PostgreSQL, composed of
 * one part per kind of work: reads of threads, comments and events; posting
 * (posting/, with its rulebook); changes to comments and threads; deleting a
 * thread; and the accounts, moderation, webhook and import stores.
 */
export function createSqlStore(opened: OpenedDatabase, options: SqlStoreOptions = {}): Store {
  const { db, dialect } = opened;
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  // One keeper of notices for the bell's store and for a post's transaction (SQLite): its statements compiled once.
  const keepNotices = createNoticeKeeper(db);
  const posting = createPosting(opened, now, POSTING_RULES, keepNotices);

  return {
    dialect,
    ...createThreadReads(db),
    ...createCommentReads(db),
    ...createEventReads(db),
    createComment: posting.createComment,
    editComment: posting.editComment,
    ...createCommentChanges(db, now),
    ...createThreadWrites(db, now, { closeAfterDays: options.closeAfterDays }),
    ...createThreadDeletion(db, now),
    accounts: createAccountStore(db, now),
    ownData: createOwnDataStore(db, now),
    moderation: createModerationStore(db, now),
    policy: createPolicyStore(db, now),
    people: createPersonStore(db, now),
    webhooks: createWebhookStore(db),
    // SQLite needs no notice: a server sees another connection's commit in its data_version.
    imports: createImportStore(db, now, { announceChanges: dialect === 'postgres' ? announceThreadChanges : undefined }),
    spam: createSpamStore(opened),
    ssoTokens: createSsoTokenStore(db),
    signInLinks: createSignInLinkStore(db),
    mentions: createMentionStore(db),
    mail: createMailStore(db),
    notifications: createNotificationStore(db, keepNotices),
    pulse: createPulseStore(db),

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

    watchThreadChanges: (watchOptions) => watchThreadChanges(opened.changes, watchOptions),
  };
}
