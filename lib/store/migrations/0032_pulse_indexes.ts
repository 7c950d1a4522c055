import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The editors' pulse (issue 19.5, lib/store/pulseStore.ts) reads the last hours of the whole site:
 * events and comments by time, reports by when they were decided. Without these a moderator's
 * dashboard would scan every event and comment ever written on each refresh.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('thread_events_created').on('thread_events').columns(['created_at', 'thread_id']).execute();
  await db.schema.createIndex('comments_created').on('comments').columns(['created_at', 'thread_id']).execute();
  await db.schema.createIndex('reports_resolved').on('reports').columns(['resolved_at', 'thread_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reports_resolved').execute();
  await db.schema.dropIndex('comments_created').execute();
  await db.schema.dropIndex('thread_events_created').execute();
}
