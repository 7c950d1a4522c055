import type { CompiledQuery, Compilable, QueryResult } from 'kysely';

/** What runs a compiled query: the database or a transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** Hands the builder a stand-in for the named value; the stand-in must end up a bound parameter. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

export interface CompiledOnce<P, R> {
  execute(runner: QueryRunner, params: P): Promise<QueryResult<R>>;
  /** The SQL text, compiled on first use. */
  sql(): string;
}

const MARK = '\u0000param:';

/**
 * A query built and compiled by Kysely once, then run with new values: for
 * the statements every post runs, where building the query tree and
 * compiling it cost more than SQLite's execution of it (docs/benchmarks.md,
 * posting). The builder gets stand-ins for the values; each must become a
 * bound parameter (a value Kysely would inline, or a shape that depends on a
 * value, is refused when compiled), so the text is the same for any values.
 * Values in the builder other than stand-ins (a literal 0) stay as compiled.
 * `undefined` is bound as NULL.
 */
export function compileOnce<P extends object, R = unknown>(build: (param: Param<P>) => Compilable<R>): CompiledOnce<P, R> {
  let compiled: { query: CompiledQuery<R>; bind: ((params: P) => unknown)[] } | undefined;

  function compile() {
    const names = new Set<string>();
    const param = ((name: string) => {
      names.add(name);
      return `${MARK}${name}`;
    }) as Param<P>;
    const query = build(param).compile();
    if (query.sql.includes(MARK)) throw new Error('compileOnce: a value was inlined into the SQL text');
    const bound = new Set<string>();
    const bind = query.parameters.map((value): ((params: P) => unknown) => {
      if (typeof value === 'string' && value.startsWith(MARK)) {
        const name = value.slice(MARK.length);
        bound.add(name);
        return (params) => (params as Record<string, unknown>)[name] ?? null;
      }
      return () => value;
    });
    const unbound = [...names].filter((n) => !bound.has(n));
    if (unbound.length > 0) throw new Error(`compileOnce: not bound as parameters: ${unbound.join(', ')}`);
    return { query, bind };
  }

  return {
    async execute(runner, params) {
      compiled ??= compile();
      const { query, bind } = compiled;
      return runner.executeQuery<R>({ ...query, parameters: bind.map((b) => b(params)) });
    },
    sql() {
      compiled ??= compile();
      return compiled.query.sql;
    },
  };
}
