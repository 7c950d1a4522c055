import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Imports from other systems (docs/import.md).
 *
 * `import_sources` maps a source's own ids (a Disqus post id, a WordPress comment id…) to
 * ours, so importing the same file twice finds every record already there and changes nothing.
 *
 * `import_staging` holds, for the length of one run, the comments whose parent (or thread) had not
 * been seen yet when they were read: a streamed import keeps them here rather than in memory.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_sources')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_sources_pk', ['source', 'kind', 'external_id'])
    .execute();

  await db.schema
    .createTable('import_staging')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('parent_external_id', 'text')
    .addColumn('record', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_staging_pk', ['run_id', 'position'])
    .execute();
  // Whether a waiting comment's parent is itself still waiting (else it is an orphan).
  await db.schema.createIndex('import_staging_external').on('import_staging').columns(['run_id', 'external_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_staging').execute();
  await db.schema.dropTable('import_sources').execute();
}
