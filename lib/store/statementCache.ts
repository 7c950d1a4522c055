import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept prepared; queries with inlined lists of varying length make new texts, so the cache is bounded. */
export const STATEMENT_CACHE_SIZE = 500;

/** What Kysely's SqliteDialect needs of a database: `prepare` and `close`. */
export interface CachingSqlite {
  prepare(sql: string): Statement;
  close(): void;
  /** Statements prepared so far (cache misses), for tests and profiling. */
  readonly prepared: number;
}

/**
 * Kysely's SQLite driver calls `db.prepare(sql)` for every query, and SQLite
 * parses and plans the text each time: about a fifth of a post's CPU here
 * (docs/benchmarks.md, posting). The same SQL text gets the same prepared
 * statement back (least recently used dropped past `size`). Safe because the
 * driver runs one statement at a time on its single connection and `all`/`run`
 * finish synchronously; a statement still busy (an unfinished `iterate`) is not
 * shared: that caller gets a fresh one.
 */
export function cachingSqlite(sqlite: SqliteDatabase, options: { size?: number } = {}): CachingSqlite {
  const size = options.size ?? STATEMENT_CACHE_SIZE;
  const cache = new Map<string, Statement>();
  let prepared = 0;
  const prepare = (sql: string): Statement => {
    prepared += 1;
    return sqlite.prepare(sql);
  };
  return {
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached) {
        if (cached.busy) return prepare(sql);
        // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
    get prepared() {
      return prepared;
    },
  };
}
