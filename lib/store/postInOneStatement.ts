import { sql, type Kysely, type RawBuilder } from 'kysely';
import { compileOnce, type CompiledOnce, type Param } from './compiledOnce';
import { prepareOnServer } from './pgNamedStatements';
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

type PostRecord = CreateCommentRecord & { id: string; createdAt: string };
type PostRow = { seq: number; depth: number; root_id: string; status: string; held_reason: string | null };
/** Which conditions the statement carries; each combination is one fixed SQL text. */
type Shape = { ban: boolean; clientId: boolean; parent: boolean };

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
 * Each of its eight shapes is compiled once and prepared on the server once per
 * connection (a named statement), not built, compiled, parsed and planned on
 * every post.
 *
 * The same rules as `createCommentInTransaction`; the store suite runs both
 * paths on PostgreSQL and the transaction on SQLite.
 */
export function createPostInOneStatement(db: Kysely<Database>): (record: PostRecord) => Promise<PostedInOneStatement | undefined> {
  const shapes = new Map<string, CompiledOnce<PostRecord, PostRow>>();

  return async function postInOneStatement(record) {
    const shape: Shape = { ban: record.refuseIfBannedAt !== undefined, clientId: record.clientId !== null, parent: record.parentId !== null };
    const key = `${shape.ban}/${shape.clientId}/${shape.parent}`;
    let statement = shapes.get(key);
    if (!statement) {
      statement = compileOnce<PostRecord, PostRow>((p) => {
        const raw = buildPost(p, shape);
        return { compile: () => raw.compile(db) };
      });
      prepareOnServer(statement.sql());
      shapes.set(key, statement);
    }
    const result = await statement.execute(db, { ...record, hold: record.hold ?? null });
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      seq: Number(row.seq),
      depth: Number(row.depth),
      rootId: row.root_id,
      status: row.status === 'pending' ? 'pending' : 'visible',
      heldReason: row.held_reason === 'pre_moderation' || row.held_reason === 'banned_word' ? row.held_reason : null,
    };
  };
}

function buildPost(p: Param<PostRecord>, shape: Shape): RawBuilder<PostRow> {
  const conditions: RawBuilder<unknown>[] = [sql`id = ${p('threadId')}`, sql`locked = 0`, sql`slow_mode_seconds = 0`];
  if (shape.ban) {
    conditions.push(sql`not exists (
      select 1 from bans where guest_id = ${p('authorGuestId')} and lifted_at is null
      and (until is null or until > ${p('refuseIfBannedAt')}))`);
  }
  if (shape.clientId) {
    conditions.push(sql`not exists (select 1 from comments where author_guest_id = ${p('authorGuestId')} and client_id = ${p('clientId')})`);
  }
  if (shape.parent) {
    conditions.push(sql`exists (select 1 from comments where id = ${p('parentId')} and thread_id = ${p('threadId')} and status = 'visible')`);
    conditions.push(sql`not exists (
      with recursive chain(id, parent_id, locked) as (
        select id, parent_id, locked from comments where id = ${p('parentId')}
        union all
        select c.id, c.parent_id, c.locked from comments c join chain on c.id = chain.parent_id
      )
      select 1 from chain where locked = 1)`);
  }
  const depth = shape.parent ? sql`(select depth + 1 from comments where id = ${p('parentId')})` : sql`1`;
  const rootId = shape.parent ? sql`(select coalesce(root_id, id) from comments where id = ${p('parentId')})` : sql`${p('id')}::text`;

  return sql<PostRow>`
    with t as (
      update threads set seq = seq + 1
      where ${sql.join(conditions, sql` and `)}
      returning seq, pre_moderation
    ),
    c as (
      insert into comments (id, thread_id, parent_id, depth, root_id, status, author_name, author_guest_id, client_id, body, created_at, edited_at, seq, locked, pinned, held_reason)
      select ${p('id')}::text, ${p('threadId')}::text, ${p('parentId')}::text, ${depth}, ${rootId},
        case when t.pre_moderation = 1 or ${p('hold')}::text is not null then 'pending' else 'visible' end,
        ${p('authorName')}::text, ${p('authorGuestId')}::text, ${p('clientId')}::text, ${p('body')}::text,
        ${p('createdAt')}::text, null, t.seq, 0, 0,
        case when t.pre_moderation = 1 then 'pre_moderation' else ${p('hold')}::text end
      from t
      returning seq, depth, root_id, status, held_reason
    ),
    e as (
      insert into thread_events (thread_id, seq, type, comment_id, payload, created_at)
      select ${p('threadId')}::text, c.seq, 'comment.created', ${p('id')}::text, '{}', ${p('createdAt')}::text from c
    )
    select seq, depth, root_id, status, held_reason from c`;
}
