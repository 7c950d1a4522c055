import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_moderation';
import * as m0003 from './0003_thread_status_index';
import * as m0004 from './0004_comment_roots';
import * as m0007 from './0007_reactions';

/**
 * The one ordered list of migrations, shared by SQLite and PostgreSQL.
 * Imported statically (not read from disk) so they work bundled or not.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_moderation': m0002,
  '0003_thread_status_index': m0003,
  '0004_comment_roots': m0004,
  '0007_reactions': m0007,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
