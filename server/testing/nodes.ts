import { randomBytes } from 'node:crypto';
import { createServices, type Services } from '../../lib/services';
import type { PasswordCost } from '../../lib/services/passwords';
import type { HashingOptions } from '../../lib/services/passwordHasher';
import { importSeedDirectory } from '../../lib/seed/importSeeds';
import { openStore, type Store } from '../../lib/store';
import type { TestDatabase } from '../../lib/store/testDatabases';
import type { LimitRules } from '../../lib/services/limits';
import { DEFAULT_SPAM_RULES, type SpamSettings } from '../../lib/services/spam';
import { createApp, type App, type AppDeps } from '../app';
import { silentLogger, type Logger } from '../log';
import { createRateLimits } from '../rateLimits';
import { SEEDS_DIR } from './testApp';

export const TEST_SESSION_SECRET = 'test-secret-test-secret-test-secret!';

/** One Threadline node: its own store (connection pool), services, HTTP server and Socket.IO. */
export interface TestNode {
  app: App;
  services: Services;
  store: Store;
  baseUrl: string;
  close(): Promise<void>;
}

export interface StartNodeOptions {
  /** The database this node opens; several nodes may open the same one. */
  db: TestDatabase;
  /** Imports the seed directory (the locked seeded thread). */
  seed?: boolean;
  /** False lifts the limits that guard load (as RATE_LIMITS=off). */
  rateLimits?: boolean;
  /** Rules other than the defaults (as the RATE_LIMIT_* variables). With `redis`, the limits live in that Redis, as in production. */
  limits?: Partial<LimitRules>;
  /** As MAX_SOCKETS_PER_ADDRESS; unset: the default. */
  socketsPerAddress?: number | 'off';
  redis?: AppDeps['redis'];
  syncIntervalMs?: number;
  presenceFlushMs?: number;
  /** Replaces the services built from the store (to give them another clock, say). */
  services?: (store: Store, defaults: Services) => Services;
  /** The scrypt cost of staff passwords; tests pass a cheap one (`TEST_PASSWORD_COST`) so hashing is fast. */
  passwordCost?: PasswordCost;
  /** Where passwords are hashed (SIGNIN_HASH_WORKERS / SIGNIN_HASH_QUEUE); the defaults when unset. */
  signInHashing?: HashingOptions;
  /** Silent unless given. */
  log?: Logger;
  metricsToken?: string;
  /** Stands in for Next.js (which makes the no-JavaScript form routes reachable too). */
  pageHandler?: AppDeps['pageHandler'];
  /** ALLOWED_ORIGINS / TRUST_PROXY, as the config would pass them. */
  edge?: AppDeps['edge'];
  /** EMBED_SECRET / EMBED_THREAD_URLS, as the config would pass them. */
  embed?: AppDeps['embed'];
  /** The spam check, as the SPAM_* variables would set it; TEST_SPAM_SETTINGS when unset. */
  spam?: SpamSettings;
  /** False as NOTIFICATIONS=off: nothing makes notices (tests that write their own). */
  notifications?: boolean;
  /** How often live counts are read and sent (server/counts/countHub.ts); unset: the default. */
  countFlushMs?: number;
}

/**
 * The spam check's defaults but the new-guest burst: every test client is 127.0.0.1, and a suite's
 * tests make their guests on one database, so to it a suite is one address bringing dozens of new
 * commenters within the hour, whose comments it would hold for review. The burst is tested where it
 * belongs, with a node of its own (server/tests/spam.integration.test.ts).
 */
export const TEST_SPAM_SETTINGS: SpamSettings = { enabled: true, rules: { ...DEFAULT_SPAM_RULES, newGuests: 'off' } };

/** A cheap scrypt cost for tests: milliseconds per hash instead of OWASP's hundreds. */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };

/** A real node on a free port (API and sockets; no Next.js). */
export async function startNode(options: StartNodeOptions): Promise<TestNode> {
  const store = await openStore({ databaseUrl: options.db.databaseUrl, dataDir: options.db.dataDir });
  const limits = createRateLimits({
    rules: options.limits,
    enabled: options.rateLimits ?? true,
    maxSocketsPerAddress: options.socketsPerAddress,
    redis: options.redis,
    log: silentLogger,
  });
  try {
    if (options.seed) await importSeedDirectory({ store, dir: SEEDS_DIR });
    const defaults = createServices({
      store,
      sessionSecret: TEST_SESSION_SECRET,
      limiters: limits.limiters,
      ...(options.passwordCost && { passwordCost: options.passwordCost }),
      ...(options.signInHashing && { signInHashing: options.signInHashing }),
      spam: options.spam ?? TEST_SPAM_SETTINGS,
      ...(options.log && { log: options.log }),
      ...(options.notifications === false && { notifications: false }),
    });
    const services = options.services ? options.services(store, defaults) : defaults;
    const app = createApp({
      services,
      log: options.log ?? silentLogger,
      metricsToken: options.metricsToken,
      redis: options.redis,
      maxSocketsPerAddress: limits.maxSocketsPerAddress,
      syncIntervalMs: options.syncIntervalMs,
      presenceFlushMs: options.presenceFlushMs,
      pageHandler: options.pageHandler,
      edge: options.edge,
      embed: options.embed,
      countFlushMs: options.countFlushMs,
    });
    const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
    let closed = false;
    return {
      app,
      services,
      store,
      baseUrl: `http://127.0.0.1:${port}`,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await app.close();
        } finally {
          await defaults.close();
          await limits.close();
          await store.close();
        }
      },
    };
  } catch (err) {
    await limits.close();
    await store.close().catch(() => {});
    throw err;
  }
}

/** A fresh open thread (its own slug, so tests sharing a database do not meet). */
export async function createOpenThread(services: Services, label = 'thread'): Promise<{ slug: string; seq: number }> {
  const thread = await services.threads.createThread({ title: `${label} ${randomBytes(4).toString('hex')}` });
  return { slug: thread.slug, seq: thread.seq };
}
