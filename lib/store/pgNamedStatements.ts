import type pg from 'pg';

/** SQL text → statement name, process-wide, so a name always means the same text on every connection. */
const names = new Map<string, string>();

/**
 * Marks a SQL text to be prepared on the server once per connection (a pg
 * named statement) rather than parsed and planned on every run: for the
 * statements every post runs. Only fixed texts belong here (compiled once,
 * compiledOnce.ts): each name stays prepared for the connection's lifetime.
 */
export function prepareOnServer(text: string): void {
  if (!names.has(text)) names.set(text, `threadline_${names.size + 1}`);
}

type Query = (...args: unknown[]) => unknown;

/**
 * Kysely runs every query as `client.query(text, values)`, an unnamed
 * statement; a text marked by `prepareOnServer` is sent as a named one
 * instead. Everything else passes through untouched.
 */
export function nameStatements(client: pg.PoolClient): void {
  const target = client as unknown as { query: Query };
  const query = target.query.bind(client) as Query;
  target.query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length <= 2 ? names.get(text) : undefined;
    return name === undefined ? query(...args) : query({ name, text, values });
  };
}
