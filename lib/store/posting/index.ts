import type { Transaction } from 'kysely';
import { newId } from '../../domain/ids';
import { HELD_REASONS } from '../../contract/api';
import { mentionsToJson } from '../../domain/mentions';
import type { Comment, HeldReason } from '../../domain/types';
import { findByClientId } from '../commentReads';
import { prepareNewComment } from '../newComment';
import type { OpenedDatabase } from '../openDatabase';
import type { Database } from '../schema';
import type { CreateCommentRecord, CreateCommentResult, EditCommentRecord, EditCommentResult } from '../store';
import { createNoticeKeeper, type NoticeKeeper } from '../notificationStore';
import { isUniqueViolation } from '../uniqueViolation';
import { createCommentRows, createdEvent } from './commentRows';
import { createEditing } from './editing';
import { createClearPost } from './oneStatement';
import { personParams, POSTING_RULES, type PostParams, type PostedRow, type PostingRule } from './rules';
import { createJudge, refusalOf } from './transaction';

/** `Store.createComment`, and each of its two paths alone (for the posting table test); `Store.editComment`, judged by the same rules. */
export interface Posting {
  createComment(record: CreateCommentRecord): Promise<CreateCommentResult>;
  editComment(record: EditCommentRecord): Promise<EditCommentResult>;
  /** The post no rule stops, in the fewest statements (oneStatement.ts); undefined, with nothing written, otherwise. */
  postIfClear(record: CreateCommentRecord): Promise<CreateCommentResult | undefined>;
  /** The full transaction (transaction.ts): stores the post or throws the first rule's refusal. */
  postInTransaction(record: CreateCommentRecord): Promise<CreateCommentResult>;
}

/** Thrown inside a post's transaction to roll it back: the guest's clientId is taken. */
class ClientIdUsed extends Error {}

/** `rules` is for tests: the store always posts by POSTING_RULES. `keeper`: the store's own (its statements compiled once), else one of its own. */
export function createPosting(opened: OpenedDatabase, now: () => string, rules: readonly PostingRule[] = POSTING_RULES, keeper?: NoticeKeeper): Posting {
  const { db, dialect } = opened;
  const clearPost = createClearPost(opened, rules);
  const judge = createJudge(opened, rules);
  const storeRows = createCommentRows(db);
  // SQLite keeps a post's notices in its transaction (store.ts CreateCommentRecord.notices); PostgreSQL leaves them to the notifier.
  const keepNotices = dialect === 'sqlite' ? (keeper ?? createNoticeKeeper(db)) : undefined;

  const paramsOf = (record: CreateCommentRecord): PostParams => ({
    ...record,
    ...personParams(record),
    hold: record.hold ?? null,
    id: newId(),
    createdAt: now(),
    mentionsJson: mentionsToJson(record.mentions),
  });

  async function postIfClear(record: CreateCommentRecord): Promise<CreateCommentResult | undefined> {
    const params = paramsOf(record);
    const statement = clearPost(params);
    if (dialect === 'postgres') {
      let row: PostedRow | undefined;
      try {
        row = (await statement.execute(db, params)).rows[0];
      } catch (err) {
        // The same (guest, clientId) committed concurrently: the transaction finds it.
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
      if (!row) return undefined;
      const comment = postedComment(params, row);
      return { comment, event: createdEvent(comment, params.createdAt), parentAuthorId: row.parent_author };
    }
    try {
      return await db.transaction().execute(async (trx) => {
        const row = (await statement.execute(trx, params)).rows[0];
        if (!row) return undefined;
        return store(trx, record, postedComment(params, row), params.createdAt, row.parent_author);
      });
    } catch (err) {
      if (err instanceof ClientIdUsed) return undefined;
      throw err;
    }
  }

  async function postInTransaction(record: CreateCommentRecord): Promise<CreateCommentResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(async (trx) => {
          const params = paramsOf(record);
          const judgement = await judge(trx, params);
          if (!judgement.stoppedBy) return store(trx, record, postedComment(params, judgement.posted), params.createdAt, judgement.posted.parent_author);
          // Throwing rolls back the seq just taken.
          if (judgement.stoppedBy.stop === 'retried') throw new ClientIdUsed();
          throw await refusalOf(judgement.stoppedBy, trx, params);
        });
      } catch (err) {
        if (err instanceof ClientIdUsed && record.clientId !== null) {
          const existing = await findByClientId(db, record.authorGuestId, record.clientId);
          if (existing) return { comment: existing, event: null };
        }
        // The same (guest, clientId) committed concurrently: the next attempt finds it.
        if (!(err instanceof ClientIdUsed || isUniqueViolation(err)) || attempt >= 3) throw err;
      }
    }
  }

  /** Both rows (and on SQLite the post's notices), or a rollback when the (guest, clientId) pair is already stored. */
  async function store(trx: Transaction<Database>, record: CreateCommentRecord, comment: Comment, createdAt: string, parentAuthorId: string | null): Promise<CreateCommentResult> {
    const event = await storeRows(trx, comment, createdAt);
    if (!event) throw new ClientIdUsed();
    if (!keepNotices || !record.notices) return { comment, event, parentAuthorId };
    const notices = await keepNotices(trx, { notices: record.notices({ comment, parentAuthorId }), at: createdAt });
    return { comment, event, parentAuthorId, notices };
  }

  return {
    postIfClear,
    postInTransaction,
    editComment: createEditing(opened, judge),
    async createComment(record) {
      return (await postIfClear(record)) ?? postInTransaction(record);
    },
  };
}

/** The comment a post stored: what the caller sent, and what the statement decided. */
function postedComment(params: PostParams, row: PostedRow): Comment {
  return prepareNewComment({
    id: params.id,
    threadId: params.threadId,
    parentId: params.parentId,
    placement: { depth: Number(row.depth), rootId: row.root_id },
    status: row.status === 'pending' ? 'pending' : 'visible',
    heldReason: HELD_REASONS.includes(row.held_reason as HeldReason) ? (row.held_reason as HeldReason) : null,
    authorName: params.authorName,
    authorGuestId: params.authorGuestId,
    clientId: params.clientId,
    body: params.body,
    createdAt: params.createdAt,
    seq: Number(row.seq),
    ...(params.mentions && { mentions: params.mentions }),
  });
}
