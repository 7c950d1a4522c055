import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Imports that are all-or-nothing per file (issue 18.6, docs/import.md "Atomicity and resuming").
 *
 * `import_runs`: one row per import under way. A run first reads its whole file into
 * `import_staging` (phase `reading`: nothing visible yet), then writes it to the store in short
 * transactions (phase `writing`). A run that dies leaves its row and its staging behind; the next
 * run tells a dead run (its process is gone, or it has not been heard from for a long while) from
 * one still going by `host`, `pid` and `heartbeat_at`, removes what the dead one staged, and says so
 * in its report. `line` is how far it got: the last line read, or written through.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file', 'text')
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('line', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_runs').execute();
}
