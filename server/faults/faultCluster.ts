import { after, before } from 'node:test';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import type { NodeProcess } from '../testing/nodeProcess';
import { connectTestRedis, deleteKeys, REDIS_URL, uniqueRedisPrefix } from '../testing/redis';
import { SocketPool } from '../testing/sockets';
import { startTwoNodes } from './cluster';

/**
 * What a fault test file runs on: a PostgreSQL database of its own, a Redis
 * prefix of its own, the node processes it starts and the sockets it opens,
 * all cleaned up when the file ends (registered as its before/after hooks).
 */
export function useFaultCluster() {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  const prefix = uniqueRedisPrefix();
  const processes: NodeProcess[] = [];
  const sockets = new SocketPool();

  before(async () => {
    (await connectTestRedis()).disconnect(); // A clear failure when Redis is not there.
    db = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  });

  after(async () => {
    sockets.closeAll();
    for (const p of processes) await p.kill();
    await store?.close();
    await db?.cleanup();
    const admin = await connectTestRedis();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  return {
    sockets,
    /** The database the nodes share, for checking what was stored. */
    get store(): Store {
      if (!store) throw new Error('the fault cluster is not set up yet');
      return store;
    },
    async startNodes(env?: Record<string, string>): Promise<[NodeProcess, NodeProcess]> {
      if (!db) throw new Error('the fault cluster is not set up yet');
      const nodes = await startTwoNodes({ db, redisUrl: REDIS_URL, prefix, ...(env && { env }) });
      processes.push(...nodes);
      return nodes;
    },
    openThread(label: string) {
      return createOpenThread(createServices({ store: this.store, sessionSecret: TEST_SESSION_SECRET }), label);
    },
  };
}
