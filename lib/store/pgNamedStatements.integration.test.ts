import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { compileOnce } from './compiledOnce';
import { openDatabase } from './openDatabase';
import { prepareOnServer } from './pgNamedStatements';
import { requirePostgresUrl } from './testDatabases';

test('a text marked prepareOnServer runs as a named statement, prepared once per connection; others stay unnamed', async () => {
  const { db } = openDatabase({ kind: 'postgres', url: requirePostgresUrl(), poolSize: 1 });
  try {
    const marker = `named_${process.pid}_${Date.now()}`;
    const statement = compileOnce<{ n: number }, { doubled: number }>((p) => ({ compile: () => sql<{ doubled: number }>`select ${p('n')}::int * 2 as doubled, ${sql.raw(`'${marker}'`)}::text as marker`.compile(db) }));
    prepareOnServer(statement.sql());
    for (let n = 1; n <= 3; n++) assert.deepEqual((await statement.execute(db, { n })).rows.map((r) => Number(r.doubled)), [n * 2]);
    const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db);
    const ours = prepared.rows.filter((r) => r.statement.includes(marker));
    assert.equal(ours.length, 1, 'one named statement on the connection');
    assert.match(ours[0]!.name, /^threadline_\d+$/);
    assert.equal(prepared.rows.filter((r) => r.statement.includes('pg_prepared_statements')).length, 0, 'an unmarked text is not kept');
  } finally {
    await db.destroy();
  }
});
