import assert from 'node:assert/strict';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { compileOnce } from './compiledOnce';

interface Db {
  t: { id: number; v: string | null; n: number };
}

function memory(): Kysely<Db> {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (id integer primary key, v text, n integer not null default 0)');
  return new Kysely<Db>({ dialect: new SqliteDialect({ database: sqlite }) });
}

test('compiled once, run with each call’s values; constants in the builder stay', async () => {
  const db = memory();
  let builds = 0;
  const insert = compileOnce<{ id: number; v: string | null }>((p) => {
    builds += 1;
    return db.insertInto('t').values({ id: p('id'), v: p('v'), n: 7 });
  });
  const select = compileOnce<{ id: number }, { v: string | null; n: number }>((p) => db.selectFrom('t').select(['v', 'n']).where('id', '=', p('id')));
  for (let id = 1; id <= 3; id++) await insert.execute(db, { id, v: `v${id}` });
  await insert.execute(db, { id: 4, v: undefined as unknown as null });
  assert.equal(builds, 1);
  assert.deepEqual((await select.execute(db, { id: 2 })).rows, [{ v: 'v2', n: 7 }]);
  assert.deepEqual((await select.execute(db, { id: 4 })).rows, [{ v: null, n: 7 }], 'undefined is bound as NULL');
  assert.match(insert.sql(), /insert into "t"/);
  await db.destroy();
});

test('runs inside a transaction, and rolls back with it', async () => {
  const db = memory();
  const insert = compileOnce<{ id: number }>((p) => db.insertInto('t').values({ id: p('id'), v: 'x', n: 0 }));
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await insert.execute(trx, { id: 1 });
      throw new Error('give up');
    }),
  );
  await db.transaction().execute((trx) => insert.execute(trx, { id: 2 }));
  assert.deepEqual(await db.selectFrom('t').select('id').execute(), [{ id: 2 }]);
  await db.destroy();
});

test('a value the builder inlines into the SQL text is refused', async () => {
  const db = memory();
  const inlined = compileOnce<{ v: string }>((p) => db.selectFrom('t').select('id').where('v', '=', sql.lit(p('v'))));
  await assert.rejects(inlined.execute(db, { v: 'a' }), /inlined/);
  await db.destroy();
});
