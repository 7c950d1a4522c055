import { sql, type Transaction } from 'kysely';
import { AppError } from '../../domain/errors';
import { compileOnce } from '../compiledOnce';
import type { OpenedDatabase } from '../openDatabase';
import type { Database } from '../schema';
import { perShape, postedColumns, rulesFor, selectList, shapeOf, type PostParams, type PostedRow, type PostingRule, type RuleSql } from './rules';

/** What the transaction decided: the post stored as this row, or stopped by this rule. */
export type Judgement = { stoppedBy: PostingRule } | { stoppedBy: undefined; posted: PostedRow };

/**
 * The full posting transaction's decision: takes the thread's seq, then judges
 * every rule of posting/rules.ts in one statement and answers with the first
 * that stops the post (the caller rolls back, seq included), or with what the
 * post becomes. Every post on a refusal, a retry or slow mode comes here.
 *
 * The seq comes first because on PostgreSQL the UPDATE locks the thread's row
 * until commit: the rules are then read by a later statement, which sees every
 * post and moderator's change committed before this one (two quick posts from
 * one guest cannot both pass slow mode).
 */
export function createJudge(opened: OpenedDatabase, rules: readonly PostingRule[]): (trx: Transaction<Database>, params: PostParams) => Promise<Judgement> {
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
      const q: RuleSql = { p, db, dialect };
      const stops = Object.fromEntries(rulesFor(shape, rules).map((rule) => [rule.stop, rule.stops(q)]));
      // Joined to a row that is always there, so a missing thread is judged too (its columns read NULL).
      const raw = sql`select ${selectList({ ...stops, ...postedColumns(q, shape) })}
        from (select 1 as one) as one left join threads on threads.id = ${p('threadId')}`;
      return { compile: () => raw.compile(db) };
    }),
  );

  return async (trx, params) => {
    const taken = (await takeSeq.execute(trx, params)).rows[0];
    const row = (await judge(params).execute(trx, params)).rows[0]!;
    const stoppedBy = rulesFor(shapeOf(params), rules).find((rule) => isTrue(row[rule.stop]));
    if (stoppedBy) return { stoppedBy };
    // The thread_not_found rule stops a post to a missing thread before this.
    if (!taken) throw new Error(`posting: no seq taken for thread ${params.threadId}, and no rule stopped the post`);
    return { stoppedBy: undefined, posted: { ...(row as unknown as PostedRow), seq: taken.seq } };
  };
}

/** The refusal a rule answers with; `retried` is not one (the caller answers with the stored comment). */
export async function refusalOf(rule: PostingRule, trx: Transaction<Database>, params: PostParams): Promise<AppError> {
  if (rule.stop === 'retried') throw new Error('posting: a retry is not a refusal');
  return rule.refusal ? rule.refusal(trx, params) : new AppError(rule.stop);
}

/** PostgreSQL answers booleans, SQLite 1 and 0. */
function isTrue(value: unknown): boolean {
  return value === true || Number(value) === 1;
}
