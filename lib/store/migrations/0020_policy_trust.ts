import { type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Who may comment, and whose comments wait (docs/decisions.md, "Comment policy, trust and shadow-bans"):
 *
 * - `site_settings`: what an admin set on the panel (`PUT /api/settings`), one row per key
 *   (lib/domain/commentPolicy.ts SITE_SETTING_KEYS); a key without a row takes the environment's default.
 * - `threads.comment_policy`: the thread's own policy, or NULL to follow the site's.
 * - `person_standing`: a moderator's word on a person (an account or a guest, by person id): trusted,
 *   shadow-banned, and since when their rejections count (trusting them again starts the count over).
 *   For accounts, `users.trusted` and `users.shadow_banned` (migration 0016) are kept equal to it.
 * - the audit log by comment and action: the posting rule counts a person's rejected comments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('threads').addColumn('comment_policy', 'text').execute();
  await db.schema
    .createTable('person_standing')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('trusted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shadow_banned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('trusted_since', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_comment_action').on('audit_log').columns(['comment_id', 'action', 'at']).execute();
  await db.schema.createIndex('comments_author_status').on('comments').columns(['author_guest_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_author_status').execute();
  await db.schema.dropIndex('audit_log_comment_action').execute();
  await db.schema.dropTable('person_standing').execute();
  await db.schema.alterTable('threads').dropColumn('comment_policy').execute();
  await db.schema.dropTable('site_settings').execute();
}
