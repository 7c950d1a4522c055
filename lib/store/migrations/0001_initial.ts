import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they take `Kysely<any>` so later schema changes never break them.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('comments.id'))
    .addColumn('depth', 'integer', (c) => c.notNull().check(sql`depth >= 1`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text')
    .addColumn('author_guest_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text')
    .addColumn('edited_at', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_thread_seq').on('comments').columns(['thread_id', 'seq']).unique().execute();
  await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();
  // A retried post (same guest, same clientId) must find the comment it already stored.
  await db.schema.createIndex('comments_guest_client').on('comments').columns(['author_guest_id', 'client_id']).unique().execute();

  await db.schema
    .createTable('thread_events')
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // Comment events point at the comment and are read with its current state; thread events carry a payload.
    .addColumn('comment_id', 'text', (c) => c.references('comments.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_events_pk', ['thread_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('thread_events').execute();
  await db.schema.dropTable('comments').execute();
  await db.schema.dropTable('threads').execute();
}
