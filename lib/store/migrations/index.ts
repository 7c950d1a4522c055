import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial';

/**
 * The one ordered list of migrations, shared by SQLite and PostgreSQL.
 * Imported statically (not read from disk) so they work bundled or not.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
