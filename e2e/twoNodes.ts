import { createTestDatabase, type TestDatabase } from '../lib/store/testDatabases';
import { redisEnv, test } from './fixtures';
import { startServer, type ServerProcess } from './serverProcess';

/** What a spec's nodes share: their PostgreSQL database (a schema of their own) and their environment. */
export interface Nodes {
  readonly db: TestDatabase;
  readonly env: Record<string, string>;
  /** A node on the shared database and Redis prefix; stopped when the suite ends. */
  start(options?: { port?: number; dataDir?: string }): Promise<ServerProcess>;
  /** Node A, then node B, and where scripts such as thread:create find their store. */
  startTwo(): Promise<{ a: ServerProcess; b: ServerProcess; store: { dataDir: string; databaseUrl: string } }>;
}

/**
 * The set-up of the specs "across two nodes": real nodes on one PostgreSQL database made for the
 * suite, joined by Redis under a key prefix of the suite's own (`name`). Registers the suite's
 * beforeAll (the database) and afterAll (every node started here stopped, then the database dropped).
 */
export function useNodes(name: string, extraEnv: Record<string, string> = {}): Nodes {
  let db: TestDatabase | undefined;
  let env: Record<string, string> | undefined;
  const started: ServerProcess[] = [];

  test.beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.databaseUrl!, SESSION_SECRET: `e2e-${name}-session-secret-of-two-nodes`, ...redisEnv(name), ...extraEnv };
  });
  test.afterAll(async () => {
    for (const node of started.splice(0)) await node.stop();
    await db?.cleanup();
  });

  const nodes: Nodes = {
    get db() {
      if (!db) throw new Error('useNodes: the database is made in beforeAll');
      return db;
    },
    get env() {
      if (!env) throw new Error('useNodes: the environment is made in beforeAll');
      return env;
    },
    async start(options = {}) {
      const node = await startServer({ env: nodes.env, ...options });
      started.push(node);
      return node;
    },
    async startTwo() {
      const a = await nodes.start();
      const b = await nodes.start();
      return { a, b, store: { dataDir: a.dataDir, databaseUrl: nodes.db.databaseUrl! } };
    },
  };
  return nodes;
}
