import { sql, type RawBuilder } from 'kysely';
import { compileOnce, type CompiledOnce } from '../compiledOnce';
import type { OpenedDatabase } from '../openDatabase';
import { prepareOnServer } from '../pgNamedStatements';
import { perShape, postedColumns, rulesFor, selectList, shapeOf, type PostParams, type PostedRow, type PostingRule, type RuleSql } from './rules';

/**
 * The post no rule stops, in the fewest statements: the seq UPDATE carries
 * every rule of posting/rules.ts, negated, in its WHERE, so it takes a seq only
 * when none stops the post, and returns what the post becomes. Any doubt
 * yields no row and nothing written; the caller then runs the transaction
 * (transaction.ts), which judges the rules and explains a refusal.
 *
 * On PostgreSQL the UPDATE and both INSERTs are one autocommitted statement
 * (data-modifying CTEs): one round trip instead of a transaction's four or
 * more, which is most of a post's latency. A concurrent post with the same
 * clientId fails the whole statement on the unique index (never a seq without
 * its event), and the caller's retry finds the stored comment. On SQLite,
 * where a query costs no round trip and writes are serialized, the UPDATE
 * runs alone and the caller inserts the rows in the same transaction.
 *
 * Each shape (post-shape × engine) is compiled once and, on PostgreSQL,
 * prepared on the server once per connection (a named statement).
 */
export function createClearPost(opened: OpenedDatabase, rules: readonly PostingRule[]): (record: PostParams) => CompiledOnce<PostParams, PostedRow> {
  const { db, dialect } = opened;
  const byShape = perShape((shape) => {
    const statement = compileOnce<PostParams, PostedRow>((p) => {
      const q: RuleSql = { p, db, dialect, shape };
      const clear = sql.join(
        rulesFor(shape, rules).map((rule) => sql`not (${(rule.mayStop ?? rule.stops)(q)})`),
        sql` and `,
      );
      const update = sql`update threads set seq = seq + 1 where threads.id = ${p('threadId')} and ${clear}
        returning seq, ${selectList(postedColumns(q))}`;
      const raw = dialect === 'postgres' ? withRows(q, update) : (update as RawBuilder<PostedRow>);
      return { compile: () => raw.compile(db) };
    });
    if (dialect === 'postgres') prepareOnServer(statement.sql());
    return statement;
  });
  return (record) => byShape(shapeOf(record));
}

/** PostgreSQL: the comment's row and its event's written by the same statement as the seq. */
function withRows({ p }: RuleSql, update: RawBuilder<unknown>): RawBuilder<PostedRow> {
  return sql<PostedRow>`
    with t as (${update}),
    c as (
      insert into comments (id, thread_id, parent_id, depth, root_id, status, author_name, author_guest_id, client_id, body, created_at, edited_at, seq, locked, pinned, held_reason, mentions)
      select ${p('id')}::text, ${p('threadId')}::text, ${p('parentId')}::text, t.depth, t.root_id, t.status,
        ${p('authorName')}::text, ${p('authorGuestId')}::text, ${p('clientId')}::text, ${p('body')}::text,
        ${p('createdAt')}::text, null, t.seq, 0, 0, t.held_reason, ${p('mentionsJson')}::text
      from t
      returning seq, depth, root_id, status, held_reason
    ),
    e as (
      insert into thread_events (thread_id, seq, type, comment_id, payload, created_at)
      select ${p('threadId')}::text, c.seq, 'comment.created', ${p('id')}::text, '{}', ${p('createdAt')}::text from c
    )
    select c.seq, c.depth, c.root_id, c.status, c.held_reason, t.parent_author from c cross join t`;
}
