import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Isolated databases for tests against the real engines (no mocks).
 * SQLite: a file in a fresh temp folder. PostgreSQL: a fresh schema inside the
 * run's own database, which `npm test` creates, names in TEST_PG_URL, and drops
 * at the end of the run.
 */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** Set for PostgreSQL. */
  databaseUrl: string | undefined;
  dataDir: string;
  cleanup(): Promise<void>;
}

export type TestDatabaseKind = TestDatabase['kind'];

export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  return kind === 'sqlite' ? sqliteTestDatabase() : postgresTestDatabase();
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-test-'));
}

async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dataDir = tempDir();
  return {
    kind: 'sqlite',
    databaseUrl: undefined,
    dataDir,
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** The run's PostgreSQL database; a clear failure, never a skip, when it is missing. */
export function requirePostgresUrl(): string {
  const url = process.env.TEST_PG_URL;
  if (!url) {
    throw new Error(
      'TEST_PG_URL is not set. Run the tests with `npm test`, which creates a PostgreSQL database for the run ' +
        '(PostgreSQL must be running on 127.0.0.1:5432, or set TEST_PG_ADMIN_URL).',
    );
  }
  return url;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot connect to the test PostgreSQL at ${redact(url)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresTestDatabase(): Promise<TestDatabase> {
  const base = requirePostgresUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient(base, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = tempDir();
  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    cleanup: async () => {
      await withClient(base, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
