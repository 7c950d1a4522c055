import { afterEach } from 'node:test';
import { openStore } from './index';
import type { Store } from './store';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

export interface TestStores {
  /** A database of its own on the engine, with a store open on it. */
  fresh(): Promise<Store>;
  /** The database of the last `fresh()` store (a dry run or a second process opens it too). */
  lastDatabase(): TestDatabase;
}

/**
 * Stores on a real engine for the tests of one `describe` (call it inside): after each test every
 * store it opened is closed and every database dropped, so each test starts from an empty store.
 */
export function storesPerTest(kind: TestDatabaseKind): TestStores {
  const opened: { db: TestDatabase; store: Store }[] = [];
  afterEach(async () => {
    for (const { db, store } of opened.splice(0)) {
      await store.close();
      await db.cleanup();
    }
  });
  return {
    async fresh() {
      const db = await createTestDatabase(kind);
      const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      opened.push({ db, store });
      return store;
    },
    lastDatabase() {
      const last = opened.at(-1);
      if (!last) throw new Error('no store opened yet in this test');
      return last.db;
    },
  };
}
