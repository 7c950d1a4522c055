import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Webhooks that are folded together (issue 14.4: a report flood must not be a
 * webhook flood). A delivery with a `topic` (`comment.reported:<comment id>`)
 * waits its turn behind the previous one of the same topic and URL, and while
 * it waits (pending, not yet attempted) later notices of the topic replace its
 * payload rather than queue another: the unique partial index makes that one
 * row per topic and URL, on every node at once (an upsert). `topic_rank` orders
 * those payloads (the comment's count of reports), so a notice read earlier
 * never replaces one read later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('topic', 'text').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('topic_rank', 'integer').execute();
  await db.schema.createIndex('webhook_deliveries_topic').on('webhook_deliveries').columns(['topic', 'url', 'next_attempt_at']).execute();
  await sql`create unique index webhook_deliveries_waiting on webhook_deliveries (topic, url) where state = 'pending' and attempts = 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_waiting').execute();
  await db.schema.dropIndex('webhook_deliveries_topic').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('topic_rank').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('topic').execute();
}
