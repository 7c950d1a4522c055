import path from 'node:path';
import { createServices } from '../../lib/services';
import { importSeedDirectory } from '../../lib/seed/importSeeds';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { createApp, type App } from '../app';
import { silentLogger } from '../log';

export const SEEDS_DIR = path.join(__dirname, '..', '..', 'seeds');
export const SEED_SLUG = 'jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent';

/** The session secret of every test app, so a test can sign a guest cookie as a browser would hold it. */
export const TEST_SESSION_SECRET = 'test-secret-test-secret-test-secret!';

export interface TestApp {
  app: App;
  store: Store;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app on a real database, seeded, listening on a free port (no Next.js: API and sockets only). */
export async function startTestApp(kind: TestDatabaseKind): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await importSeedDirectory({ store, dir: SEEDS_DIR });
  const app = createApp({ services: createServices({ store, sessionSecret: TEST_SESSION_SECRET }), log: silentLogger });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    store,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await store.close();
      await db.cleanup();
    },
  };
}
