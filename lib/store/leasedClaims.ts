import type { Kysely } from 'kysely';
import type { Database, OutboxColumns } from './schema';

/** The outboxes whose rows are claimed with a lease: the webhooks' deliveries and the mail. */
type OutboxTable = 'webhook_deliveries' | 'mail_outbox';

/** What a claim reads and writes of an outbox's row. */
type LeasedRow = { id: string } & Pick<OutboxColumns, 'state' | 'next_attempt_at' | 'lease_until' | 'attempts'>;

/**
 * Takes up to `limit` due rows of an outbox for this node: each is leased until `leaseUntil` and its
 * attempt counted. A conditional UPDATE per row makes the claim exclusive: two nodes never both get
 * one (a row another node took between the look and the update is left to it). Answers the rows as
 * they now are, for the outbox's own mapper.
 */
export async function claimLeased<T extends OutboxTable>(db: Kysely<Database>, table: T, request: { now: string; leaseUntil: string; limit: number }): Promise<Database[T][]> {
  // Both tables share these columns; Kysely's types cannot say so of a table named by a type parameter,
  // so the query is typed as of one table, `outbox`, and runs on the one named.
  const outbox = db as unknown as Kysely<{ outbox: LeasedRow }>;
  const name = table as unknown as 'outbox';
  const { now: at, leaseUntil, limit } = request;
  const due = await outbox
    .selectFrom(name)
    .select('id')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: Database[T][] = [];
  for (const { id } of due) {
    const row = await outbox
      .updateTable(name)
      .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(row as unknown as Database[T]);
  }
  return claimed;
}
