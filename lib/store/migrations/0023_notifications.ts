import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Conversations that call you back (issue 17, docs/notifications.md):
 *
 * - `comments.mentions`: the accounts a comment's `@Name`s resolved to when it was stored, as JSON
 *   (`[{"id":…,"name":…}]`, lib/domain/types.ts MentionRef); NULL when it names nobody.
 * - `notifications`: one notice kept for one account (the bell's list), with its read mark and
 *   whether it has been mailed (or passed over for mail): `mailed_at`.
 * - `person_mutes`: whom a person muted (nothing they do notifies the muter).
 * - `thread_watches`: threads a person follows (their digest) or blocked (silenced).
 * - `notification_preferences`: a person's email choice per kind, where they made one (lib/domain/notifications.ts).
 * - `mail_outbox`: every mail on its way, durable: a restart or an SMTP outage loses nothing, and a
 *   mail sent is marked so, never sent again. `dedupe_key` makes queuing the same mail twice a no-op.
 * - `mail_digests`: when each person's daily digest last went out (what the next one starts after).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('mentions', 'text').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    // '' for kinds other than `moderation`, so the unique index below holds for them too (NULLs never clash).
    .addColumn('decision', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('mailed_at', 'text')
    .execute();
  // The same notice is never kept twice (a retried listener, a held comment approved twice over).
  await db.schema.createIndex('notifications_once').on('notifications').columns(['recipient_id', 'comment_id', 'kind', 'decision']).unique().execute();
  // The bell's list, newest first, and its unread count.
  await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_id', 'created_at', 'id']).execute();
  // The mail batcher's scan: notices not yet mailed, oldest first.
  await db.schema.createIndex('notifications_unmailed').on('notifications').columns(['mailed_at', 'created_at']).execute();
  // A deleted thread or comment takes its notices along.
  await db.schema.createIndex('notifications_thread').on('notifications').column('thread_id').execute();
  await db.schema.createIndex('notifications_comment').on('notifications').column('comment_id').execute();

  await db.schema
    .createTable('person_mutes')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('muted_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_mutes_pk', ['owner_id', 'muted_id'])
    .execute();

  await db.schema
    .createTable('thread_watches')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_watches_pk', ['owner_id', 'thread_id'])
    .execute();
  // The digest reads a thread's followers; a thread's deletion takes its watches.
  await db.schema.createIndex('thread_watches_thread').on('thread_watches').columns(['thread_id', 'mode']).execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The account it is for (NULL: a mail to an address alone, such as an address's verification).
    .addColumn('user_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    // What it is about (lib/domain/notifications.ts EMAIL_KINDS, or `verify`, `digest`).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    // Extra headers as a JSON object (List-Unsubscribe, List-Unsubscribe-Post).
    .addColumn('headers', 'text', (c) => c.notNull())
    // The Message-ID every attempt sends: a receiver that got a mail whose acceptance was lost drops the repeat.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_dedupe').on('mail_outbox').column('dedupe_key').unique().execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('mail_digests')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('last_sent_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['mail_digests', 'mail_outbox', 'notification_preferences', 'thread_watches', 'person_mutes', 'notifications']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('comments').dropColumn('mentions').execute();
}
