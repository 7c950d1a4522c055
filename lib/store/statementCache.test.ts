import assert from 'node:assert/strict';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { cachingSqlite } from './statementCache';

function memory() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (id integer primary key, v text)');
  return sqlite;
}

test('the same SQL text is prepared once and its statement reused', () => {
  const db = cachingSqlite(memory());
  const first = db.prepare('select v from t where id = ?');
  const again = db.prepare('select v from t where id = ?');
  assert.equal(again, first);
  assert.equal(db.prepared, 1);
  db.prepare('select id from t');
  assert.equal(db.prepared, 2);
  db.close();
});

test('past its size the least recently used statement is dropped', () => {
  const db = cachingSqlite(memory(), { size: 2 });
  const a = db.prepare('select 1');
  db.prepare('select 2');
  db.prepare('select 1'); // a is now the most recently used
  db.prepare('select 3'); // drops `select 2`
  assert.equal(db.prepare('select 1'), a);
  assert.equal(db.prepared, 3);
  db.prepare('select 2');
  assert.equal(db.prepared, 4, '`select 2` was prepared again');
  db.close();
});

test('a statement still iterating is not handed out again', () => {
  const sqlite = memory();
  sqlite.exec("insert into t (v) values ('a'), ('b')");
  const db = cachingSqlite(sqlite);
  const text = 'select v from t order by id';
  const rows = db.prepare(text).iterate() as IterableIterator<{ v: string }>;
  assert.equal(rows.next().value?.v, 'a');
  const other = db.prepare(text);
  assert.deepEqual(other.all(), [{ v: 'a' }, { v: 'b' }], 'a fresh statement runs beside the busy one');
  assert.equal(rows.next().value?.v, 'b');
  rows.return?.();
  db.close();
});

test('through Kysely: repeated queries give the right rows and reuse their statements', async () => {
  const cached = cachingSqlite(memory());
  const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: cached }) });
  for (let i = 1; i <= 20; i++) await db.insertInto('t').values({ id: i, v: `v${i}` }).execute();
  for (let i = 1; i <= 20; i++) {
    const row = await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirstOrThrow();
    assert.equal(row.v, `v${i}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('t').set({ v: 'x' }).where('id', '=', 1).execute();
  });
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ v: 'y' }).where('id', '=', 2).execute();
      await sql`select * from missing_table`.execute(trx);
    }),
  );
  assert.equal((await db.selectFrom('t').select('v').where('id', '=', 2).executeTakeFirstOrThrow()).v, 'v2', 'the failed transaction rolled back');
  // insert, select, begin, update, commit, the failing select, rollback, and the last update's own text.
  assert.ok(cached.prepared <= 8, `prepared ${cached.prepared} statements for 44 queries`);
  await db.destroy();
});
