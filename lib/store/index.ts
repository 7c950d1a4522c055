import type { ErrorLog } from '../domain/errorLog';
import { databaseTarget, openDatabase } from './openDatabase';
import { createSqlStore, type SqlStoreOptions } from './sqlStore';
import type { Store } from './store';

export type { Store } from './store';
export { databaseTarget, openDatabase, SQLITE_FILE_NAME, type DatabaseTarget } from './openDatabase';

/** Opens the configured database and brings its schema up to date. */
export async function openStore(options: { databaseUrl?: string | undefined; dataDir: string; log?: ErrorLog } & SqlStoreOptions): Promise<Store> {
  const store = createSqlStore(openDatabase(databaseTarget(options), options), options);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
