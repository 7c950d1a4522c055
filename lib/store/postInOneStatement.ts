import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema';
import type { CreateCommentRecord } from './store';

/** What the statement decided: the rest of the comment is what the caller sent. */
export interface PostedInOneStatement {
  seq: number;
  depth: number;
  rootId: string;
  status: 'visible' | 'pending';
  heldReason: 'pre_moderation' | 'banned_word' | null;
}

/**
 * PostgreSQL only: the common post (open thread, no slow mode, no ban, a new
 * clientId, a visible parent in an unlocked branch) as one autocommitted
 * statement: take the seq, insert the comment, insert its event. One round trip
 * instead of a transaction's four or more, which is most of a post's latency.
 *
 * Every condition is checked in the seq UPDATE's WHERE, so any doubt yields no
 * row and nothing written; the caller then runs the full transaction, which
 * handles slow mode and explains refusals. A concurrent post with the same
 * clientId fails the whole statement on the unique index (never a seq without
 * its event), and the caller's retry finds the stored comment.
 *
 * The same rules as `createCommentInTransaction`; the store suite runs both
 * paths on PostgreSQL and the transaction on SQLite.
 */
export async function postInOneStatement(
  db: Kysely<Database>,
  record: CreateCommentRecord & { id: string; createdAt: string },
): Promise<PostedInOneStatement | undefined> {
  const conditions: RawBuilder<unknown>[] = [
    sql`id = ${record.threadId}`,
    sql`locked = 0`,
    sql`slow_mode_seconds = 0`,
  ];
  if (record.refuseIfBannedAt !== undefined) {
    conditions.push(sql`not exists (
      select 1 from bans where guest_id = ${record.authorGuestId} and lifted_at is null
      and (until is null or until > ${record.refuseIfBannedAt}))`);
  }
  if (record.clientId !== null) {
    conditions.push(sql`not exists (select 1 from comments where author_guest_id = ${record.authorGuestId} and client_id = ${record.clientId})`);
  }
  if (record.parentId !== null) {
    conditions.push(sql`exists (select 1 from comments where id = ${record.parentId} and thread_id = ${record.threadId} and status = 'visible')`);
    conditions.push(sql`not exists (
      with recursive chain(id, parent_id, locked) as (
        select id, parent_id, locked from comments where id = ${record.parentId}
        union all
        select c.id, c.parent_id, c.locked from comments c join chain on c.id = chain.parent_id
      )
      select 1 from chain where locked = 1)`);
  }
  const depth = record.parentId === null ? sql`1` : sql`(select depth + 1 from comments where id = ${record.parentId})`;
  const rootId = record.parentId === null ? sql`${record.id}::text` : sql`(select coalesce(root_id, id) from comments where id = ${record.parentId})`;
  const hold = record.hold ?? null;

  const result = await sql<{ seq: number; depth: number; root_id: string; status: string; held_reason: string | null }>`
    with t as (
      update threads set seq = seq + 1
      where ${sql.join(conditions, sql` and `)}
      returning seq, pre_moderation
    ),
    c as (
      insert into comments (id, thread_id, parent_id, depth, root_id, status, author_name, author_guest_id, client_id, body, created_at, edited_at, seq, locked, pinned, held_reason)
      select ${record.id}::text, ${record.threadId}::text, ${record.parentId}::text, ${depth}, ${rootId},
        case when t.pre_moderation = 1 or ${hold}::text is not null then 'pending' else 'visible' end,
        ${record.authorName}::text, ${record.authorGuestId}::text, ${record.clientId}::text, ${record.body}::text,
        ${record.createdAt}::text, null, t.seq, 0, 0,
        case when t.pre_moderation = 1 then 'pre_moderation' else ${hold}::text end
      from t
      returning seq, depth, root_id, status, held_reason
    ),
    e as (
      insert into thread_events (thread_id, seq, type, comment_id, payload, created_at)
      select ${record.threadId}::text, c.seq, 'comment.created', ${record.id}::text, '{}', ${record.createdAt}::text from c
    )
    select seq, depth, root_id, status, held_reason from c`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    seq: Number(row.seq),
    depth: Number(row.depth),
    rootId: row.root_id,
    status: row.status === 'pending' ? 'pending' : 'visible',
    heldReason: row.held_reason === 'pre_moderation' || row.held_reason === 'banned_word' ? row.held_reason : null,
  };
}
