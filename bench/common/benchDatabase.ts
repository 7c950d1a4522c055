import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A PostgreSQL database of this run's own (`threadline_bench_<rand>`), dropped by `drop()`. */
export async function createBenchDatabase(options: { adminUrl: string }): Promise<BenchDatabase> {
  const name = `threadline_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin(options.adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE: a node killed mid-query may leave a connection behind for a moment.
      await withAdmin(options.adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
