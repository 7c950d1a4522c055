import { sql, type Transaction } from 'kysely';
import { AppError } from '../../domain/errors';
import { compileOnce } from '../compiledOnce';
import type { OpenedDatabase } from '../openDatabase';
import type { Database } from '../schema';
import { heldColumns, perShape, postedColumns, rulesFor, selectList, shapeOf, type HeldRow, type PostParams, type PostedRow, type PostShape, type PostingRule, type RuleSql } from './rules';

/** What the transaction decided: the post stored as this row (an edit: held or not, and its seq), or stopped by this rule. */
export type Judgement<R extends HeldRow = PostedRow> = { stoppedBy: PostingRule } | { stoppedBy: undefined; posted: R };

/** A post is judged by its record's shape; an edit says it is one (EDIT_SHAPE) and gets back its seq and whether it is held. */
export interface Judge {
  (trx: Transaction<Database>, params: PostParams): Promise<Judgement>;
  (trx: Transaction<Database>, params: PostParams, shape: PostShape): Promise<Judgement<HeldRow & { seq: number | string }>>;
}

/**
 * The full posting transaction's decision: takes the thread's seq, then judges
 * every rule of posting/rules.ts in one statement and answers with the first
 * that stops the post (the caller rolls back, seq included), or with what the
 * post becomes. Every post on a refusal, a retry or slow mode comes here, and
 * every edit (editing.ts).
 *
 * The seq comes first because on PostgreSQL the UPDATE locks the thread's row
 * until commit: the rules are then read by a later statement, which sees every
 * post and moderator's change committed before this one (two quick posts from
 * one guest cannot both pass slow mode).
 */
export function createJudge(opened: OpenedDatabase, rules: readonly PostingRule[]): Judge {
  const { db, dialect } = opened;
  const takeSeq = compileOnce<{ threadId: string }, { seq: number | string }>((p) =>
    db
      .updateTable('threads')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', p('threadId'))
      .returning('seq'),
  );
  const judge = perShape((shape) =>
    compileOnce<PostParams, Record<string, unknown>>((p) => {
      const q: RuleSql = { p, db, dialect, shape };
      const stops = Object.fromEntries(rulesFor(shape, rules).map((rule) => [rule.stop, rule.stops(q)]));
      const becomes = shape.edit ? heldColumns(q) : postedColumns(q);
      // Joined to a row that is always there, so a missing thread is judged too (its columns read NULL).
      const raw = sql`select ${selectList({ ...stops, ...becomes })}
        from (select 1 as one) as one left join threads on threads.id = ${p('threadId')}`;
      return { compile: () => raw.compile(db) };
    }),
  );

  return (async (trx: Transaction<Database>, params: PostParams, shape: PostShape = shapeOf(params)) => {
    const taken = (await takeSeq.execute(trx, params)).rows[0];
    const row = (await judge(shape).execute(trx, params)).rows[0]!;
    const stoppedBy = rulesFor(shape, rules).find((rule) => isTrue(row[rule.stop]));
    if (stoppedBy) return { stoppedBy };
    // The thread_not_found rule stops a post to a missing thread before this.
    if (!taken) throw new Error(`posting: no seq taken for thread ${params.threadId}, and no rule stopped the post`);
    return { stoppedBy: undefined, posted: { ...(row as unknown as PostedRow), seq: taken.seq } };
  }) as Judge;
}

/** The refusal a rule answers with; `retried` and `unchanged` are not refusals (the caller answers with the stored comment). */
export async function refusalOf(rule: PostingRule, trx: Transaction<Database>, params: PostParams): Promise<AppError> {
  if (rule.stop === 'retried' || rule.stop === 'unchanged') throw new Error(`posting: ${rule.stop} is not a refusal`);
  return rule.refusal ? rule.refusal(trx, params) : new AppError(rule.stop);
}

/** PostgreSQL answers booleans, SQLite 1 and 0. */
function isTrue(value: unknown): boolean {
  return value === true || Number(value) === 1;
}
