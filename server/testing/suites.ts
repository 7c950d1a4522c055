import { after, afterEach, before } from 'node:test';
import type { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../lib/store/testDatabases';
import { startNode, TEST_PASSWORD_COST, type StartNodeOptions, type TestNode } from './nodes';
import { connectTestRedis, deleteKeys, namedRedisUrl, uniqueRedisPrefix, waitForSubscriber } from './redis';
import { SocketPool } from './sockets';
import { staffMember, type StaffMember } from './staff';

/** The engines every store-backed behaviour is tested on. */
export const DATABASE_KINDS: readonly TestDatabaseKind[] = ['sqlite', 'postgres'];

export interface NodesSuite {
  /** The suite's own database (set once its `before` has run). */
  readonly db: TestDatabase;
  /** Sockets of the suite: closed after each test. */
  readonly sockets: SocketPool;
  /** The Redis key prefix of the suite's own (with `redis`). */
  readonly prefix: string;
  /** A plain client on the shared Redis for the test itself (with `redis`). */
  readonly admin: Redis;
  /** Starts a node on the suite's database; it is closed with the suite (or after the test, with `closeNodes: 'afterEach'`). */
  start(options?: Omit<StartNodeOptions, 'db'>): Promise<TestNode>;
  /**
   * Two nodes, `a` then `b`, joined through Redis under the suite's prefix (with `redis`), each with a Redis
   * connection of its own name (`<prefix>-<tag>-a`, `-b`); resolves once both subscribers are in place, as
   * what is published before that is lost by design.
   */
  startPair(tag: string, options?: (which: 'a' | 'b') => Omit<StartNodeOptions, 'db' | 'redis'>): Promise<NodePair>;
  /** Closes the suite's sockets and nodes now (for a test that must stop them before something else). */
  closeAll(): Promise<void>;
}

export interface NodePair {
  a: TestNode;
  b: TestNode;
  /** Each node's Redis connection name. */
  names: { a: string; b: string };
}

/**
 * What a test file or describe runs on, registered as its hooks: a database of
 * its own, optionally a Redis prefix of its own, and the nodes and sockets it
 * opens, all closed and cleaned up at the end (the keys under the prefix are
 * deleted once the nodes are closed, so none are left behind).
 */
export function useNodes(options: { kind?: TestDatabaseKind; redis?: boolean; closeNodes?: 'afterEach' | 'after' } = {}): NodesSuite {
  let db: TestDatabase | undefined;
  let admin: Redis | undefined;
  const prefix = uniqueRedisPrefix();
  const nodes: TestNode[] = [];
  const sockets = new SocketPool();
  const closeAll = async () => {
    sockets.closeAll();
    for (const node of nodes.splice(0)) await node.close();
  };

  // Set up once, by whichever comes first: this hook or a `start` from a later hook (node:test may
  // begin the file-level hooks of two describes at once, so hook order alone is no guarantee).
  let setUp: Promise<void> | undefined;
  const ready = () =>
    (setUp ??= (async () => {
      if (options.redis) admin = await connectTestRedis();
      db = await createTestDatabase(options.kind ?? 'postgres');
    })());

  before(ready);
  afterEach(() => (options.closeNodes === 'afterEach' ? closeAll() : sockets.closeAll()));
  after(async () => {
    await closeAll();
    await db?.cleanup();
    if (admin) {
      await deleteKeys(admin, prefix);
      await admin.quit();
    }
  });

  return {
    sockets,
    prefix,
    closeAll,
    get db() {
      if (!db) throw new Error('the suite’s database is not set up yet (used outside a test or hook?)');
      return db;
    },
    get admin() {
      if (!admin) throw new Error('no Redis in this suite (pass redis: true), or it is not set up yet');
      return admin;
    },
    async start(nodeOptions = {}) {
      await ready();
      const node = await startNode({ db: this.db, ...nodeOptions });
      nodes.push(node);
      return node;
    },
    async startPair(tag, options = () => ({})) {
      const names = { a: `${prefix}-${tag}-a`, b: `${prefix}-${tag}-b` };
      const start = (which: 'a' | 'b') => this.start({ ...options(which), redis: { url: namedRedisUrl(names[which]), prefix } });
      const a = await start('a');
      const b = await start('b');
      await waitForSubscriber(this.admin, names.a);
      await waitForSubscriber(this.admin, names.b);
      return { a, b, names };
    },
  };
}

/**
 * One node on a fresh database of `kind` for the enclosing describe (or file),
 * started before its tests; `node` is set once its `before` has run.
 */
export function useNode(kind: TestDatabaseKind, options: Omit<StartNodeOptions, 'db'> = {}): { readonly node: TestNode; readonly db: TestDatabase; readonly sockets: SocketPool } {
  const suite = useNodes({ kind });
  let node: TestNode | undefined;
  before(async () => {
    node = await suite.start(options);
  });
  return {
    sockets: suite.sockets,
    get db() {
      return suite.db;
    },
    get node() {
      if (!node) throw new Error('the suite’s node is not started yet (used outside a test or hook?)');
      return node;
    },
  };
}

/**
 * `useNode` with its staff: an admin and a moderator, each a new account signed in on the node
 * before the tests. Staff passwords are hashed at `TEST_PASSWORD_COST` unless `options` say otherwise.
 */
export function useStaffNode(
  kind: TestDatabaseKind,
  options: Omit<StartNodeOptions, 'db'> = {},
): { readonly node: TestNode; readonly db: TestDatabase; readonly sockets: SocketPool; readonly admin: StaffMember; readonly mod: StaffMember } {
  const suite = useNode(kind, { passwordCost: TEST_PASSWORD_COST, ...options });
  let staff: { admin: StaffMember; mod: StaffMember } | undefined;
  before(async () => {
    staff = { admin: await staffMember(suite.node, 'admin'), mod: await staffMember(suite.node, 'moderator') };
  });
  const signedIn = () => {
    if (!staff) throw new Error('the suite’s staff are not signed in yet (used outside a test or hook?)');
    return staff;
  };
  return {
    sockets: suite.sockets,
    get db() {
      return suite.db;
    },
    get node() {
      return suite.node;
    },
    get admin() {
      return signedIn().admin;
    },
    get mod() {
      return signedIn().mod;
    },
  };
}
