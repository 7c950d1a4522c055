import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { isOutage } from '../domain/outage';
import { openDatabase } from './openDatabase';
import { requirePostgresUrl } from './testDatabases';

/**
 * A PostgreSQL connection that drops while the pool has lent it out (a
 * database restart ends every session, some mid-query): the query fails as
 * an outage, and the process lives on. pg also emits 'error' on the lent
 * client; unheard, that event used to kill a node during a restart.
 */
test('a pooled PostgreSQL connection ended while checked out fails its query as an outage and does not crash the process', async () => {
  const { db } = openDatabase({ kind: 'postgres', url: requirePostgresUrl(), poolSize: 2 });
  try {
    // The session ends itself mid-transaction, so the client is still checked out when its connection drops.
    const err = await db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(trx);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err, 'the query failed');
    assert.ok(isOutage(err), `an outage: ${String(err)}`);
    // Let the connection's 'end' (and the client's 'error') be delivered.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
    assert.deepEqual(rows, [{ one: 1 }], 'the pool serves again with a fresh connection');
  } finally {
    await db.destroy();
  }
});
