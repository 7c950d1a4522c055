import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { AppError } from '../../domain/errors';
import type { ErrorCode } from '../../contract/errors';
import type { HeldReason } from '../../domain/types';
import type { Param } from '../compiledOnce';
import { banInForce, bansInForce, rangeBansInForce } from '../moderationStore';
import { BannedRefusal } from '../refusals';
import type { Database } from '../schema';
import type { CreateCommentRecord } from '../store';
import { DEFAULT_SITE_SETTINGS } from '../../domain/commentPolicy';
import { accountRequired, guestReview, newAccount, oftenRejected, shadowBanned } from './personRules';

/**
 * What every posting statement is given: the record, the comment's id and the
 * time. For a post, the new comment's id and its time; for an edit (editing.ts),
 * the edited comment's id, the new text and the edit's time.
 */
export type PostParams = CreateCommentRecord & { id: string; createdAt: string; hold: HeldReason | null; mentionsJson?: string | null } & PersonParams;

/**
 * What the comment policy and the trust rules read besides the thread (personRules.ts), as bound
 * values: whether the author is signed in (1) or a guest (0), and the environment's defaults of
 * the site settings an admin may not have set.
 */
export interface PersonParams {
  account: number;
  defaultPolicy: string;
  defaultNewAccountHold: number;
  defaultRejections: number;
  defaultWindowDays: number;
}

/** The person parameters of a post's record. */
export function personParams(record: Pick<CreateCommentRecord, 'authorIsAccount' | 'siteDefaults'>): PersonParams {
  const site = record.siteDefaults ?? DEFAULT_SITE_SETTINGS;
  return {
    account: record.authorIsAccount ? 1 : 0,
    defaultPolicy: site.commentPolicy,
    defaultNewAccountHold: site.newAccountHold,
    defaultRejections: site.rejections,
    defaultWindowDays: site.rejectionWindowDays,
  };
}

/**
 * Which conditions a post carries; each combination is one fixed SQL text
 * (compiled once, and on PostgreSQL prepared once per connection). An edit is
 * a shape of its own: the rules that concern it judge it as they judge a post.
 */
export interface PostShape {
  ban: boolean;
  clientId: boolean;
  parent: boolean;
  /** An author's edit of their comment (`id`), rather than a new comment. */
  edit: boolean;
}

export function shapeOf(record: CreateCommentRecord): PostShape {
  return { ban: record.refuseIfBannedAt !== undefined, clientId: record.clientId !== null, parent: record.parentId !== null, edit: false };
}

/** The shape of every edit: the ban is always checked; no clientId, and the parent does not matter (the comment is already placed). */
export const EDIT_SHAPE: PostShape = { ban: true, clientId: false, parent: false, edit: true };

/** One `build(shape)` per shape, made on first use: each statement is compiled once per shape. */
export function perShape<T>(build: (shape: PostShape) => T): (shape: PostShape) => T {
  const built = new Map<string, T>();
  return (shape) => {
    const key = `${shape.ban}/${shape.clientId}/${shape.parent}/${shape.edit}`;
    let value = built.get(key);
    if (value === undefined) {
      value = build(shape);
      built.set(key, value);
    }
    return value;
  };
}

/** What a rule's SQL is built from. */
export interface RuleSql {
  p: Param<PostParams>;
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  shape: PostShape;
}

/**
 * `retried`: the guest's clientId is taken, and the post is answered with the comment stored first.
 * `unchanged`: the edit's text is the comment's already, and it is answered with the comment as it is.
 * Neither is a refusal, and nothing is written.
 */
export type PostingStop =
  | 'retried'
  | 'unchanged'
  | Extract<ErrorCode, 'thread_not_found' | 'comment_gone' | 'comment_held' | 'thread_locked' | 'banned' | 'account_required' | 'slow_mode' | 'parent_not_found' | 'branch_locked'>;

/**
 * One posting rule. Its `stops` is SQL over the thread's row (`threads`, NULL
 * columns when there is no such thread), true when the post must not be stored.
 */
export interface PostingRule {
  /** The refusal (its AppError code), or `retried`. */
  stop: PostingStop;
  /** Whether the rule concerns a post of this shape at all. */
  appliesTo(shape: PostShape): boolean;
  stops(q: RuleSql): RawBuilder<unknown>;
  /**
   * For a rule that reads what another post to the same thread may be writing
   * at this moment: the one-statement post cannot decide it (its subqueries see
   * the database as it was before the thread's row lock was granted), so it
   * leaves to the transaction every post this cheaper condition on the
   * thread's row alone says the rule could stop.
   */
  mayStop?(q: RuleSql): RawBuilder<unknown>;
  /** The refusal, with what its message needs; read in the refused transaction. The default is the bare code. */
  refusal?(trx: Transaction<Database>, params: PostParams): Promise<AppError>;
}

const always = () => true;
const onlyEdits = (shape: PostShape) => shape.edit;

/** The edited comment, if it is the author's (the service has said so; this keeps the store from changing anyone else's). */
const editedComment = ({ p }: RuleSql) => sql`select 1 from comments where id = ${p('id')} and thread_id = ${p('threadId')} and author_guest_id = ${p('authorGuestId')}`;

/**
 * The posting rules, in the order their refusals take precedence. Both paths
 * are built from this list (oneStatement.ts: no rule may stop the post;
 * transaction.ts: the first rule that stops it refuses it), and so are edits
 * (editing.ts, through the transaction's judge: the rules whose `appliesTo`
 * takes the edit shape), so a rule added here is kept by all three.
 */
export const POSTING_RULES: readonly PostingRule[] = [
  {
    // A retry is answered with what was stored, even if the thread has been locked or the guest banned since.
    stop: 'retried',
    appliesTo: (shape) => shape.clientId,
    stops: ({ p }) => sql`exists (select 1 from comments where author_guest_id = ${p('authorGuestId')} and client_id = ${p('clientId')})`,
  },
  {
    // Gone (deleted), or hidden by an admin: a hidden thread takes no posts or edits, and is not told apart from a missing one.
    stop: 'thread_not_found',
    appliesTo: always,
    stops: () => sql`(threads.id is null or threads.hidden = 1)`,
  },
  {
    // Deleted by its author or removed by a moderator (or never this author's): there is nothing to edit.
    stop: 'comment_gone',
    appliesTo: onlyEdits,
    stops: (q) => sql`not exists (${editedComment(q)} and status in ('visible', 'pending'))`,
  },
  {
    // Held for review: the text a moderator approves is the text that is published, so it does not change under them.
    stop: 'comment_held',
    appliesTo: onlyEdits,
    stops: (q) => sql`exists (${editedComment(q)} and status = 'pending')`,
  },
  {
    // Read from the row the seq is taken from: no comment commits with a seq above the thread's lock event.
    // Past its closing time a thread is closed whether or not a closing poller has locked it yet (lib/domain/closing.ts).
    stop: 'thread_locked',
    appliesTo: always,
    stops: ({ p }) => sql`(threads.locked = 1 or (threads.closes_at is not null and threads.closes_at <= ${p('createdAt')}))`,
  },
  {
    stop: 'banned',
    appliesTo: (shape) => shape.ban,
    // The person's own ban (an account's on every device), or a range ban on the address a guest posts from.
    stops: ({ p, db }) =>
      sql`(exists ${bansInForce(db, p('authorGuestId'), p('refuseIfBannedAt')!).select(sql`1`.as('one'))}
        or exists ${rangeBansInForce(db, p('authorGuestId'), p('refuseIfBannedAt')!, p('addressBits')).select(sql`1`.as('one'))})`,
    async refusal(trx, params) {
      const ban = await banInForce(trx, params.authorGuestId, params.refuseIfBannedAt!, params.addressBits);
      return new BannedRefusal(ban);
    },
  },
  {
    // The comment policy (lib/domain/commentPolicy.ts): under `accounts`, a guest signs in first. An edit of a
    // comment written before the policy changed adds no one new to the conversation, and is judged as before.
    stop: 'account_required',
    appliesTo: (shape) => !shape.edit,
    stops: accountRequired,
  },
  {
    // One comment per guest per slow_mode_seconds: the guest's latest comment here must be older than that.
    // Slow mode paces what is added to a conversation; an edit adds nothing (docs/decisions.md, "Edits pass the posting rules").
    stop: 'slow_mode',
    appliesTo: (shape) => !shape.edit,
    stops: ({ p, dialect }) => sql`case when threads.slow_mode_seconds > 0 then exists (
      select 1 from comments where thread_id = ${p('threadId')} and author_guest_id = ${p('authorGuestId')}
      and created_at > ${secondsBefore(dialect, p('createdAt'), sql`threads.slow_mode_seconds`)}) else false end`,
    mayStop: () => sql`threads.slow_mode_seconds > 0`,
    async refusal(trx, params) {
      const row = await trx
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select((eb) => [eb.fn.max('comments.created_at').as('last'), eb.fn.max('threads.slow_mode_seconds').as('seconds')])
        .where('comments.thread_id', '=', params.threadId)
        .where('comments.author_guest_id', '=', params.authorGuestId)
        .executeTakeFirst();
      const wait = row?.last ? Date.parse(row.last) + Number(row.seconds) * 1000 - Date.parse(params.createdAt) : 0;
      return new AppError('slow_mode', { retryAfter: Math.max(1, Math.ceil(wait / 1000)) });
    },
  },
  {
    // Replies go under a comment readers can see, in the same thread.
    stop: 'parent_not_found',
    appliesTo: (shape) => shape.parent,
    stops: ({ p }) => sql`not exists (select 1 from comments where id = ${p('parentId')} and thread_id = ${p('threadId')} and status = 'visible')`,
  },
  {
    // A locked comment takes no replies, nor does anything below it; nor are they edited (the lock keeps the branch as it stands).
    stop: 'branch_locked',
    appliesTo: (shape) => shape.parent || shape.edit,
    stops: ({ p, shape }) => sql`exists (
      with recursive chain(id, parent_id, locked) as (
        select id, parent_id, locked from comments where id = ${shape.edit ? p('id') : p('parentId')}
        union all
        select c.id, c.parent_id, c.locked from comments c join chain on c.id = chain.parent_id
      )
      select 1 from chain where locked = 1)`,
  },
  {
    // Last: an edit that changes nothing is answered only when no rule refuses it.
    stop: 'unchanged',
    appliesTo: onlyEdits,
    stops: (q) => sql`exists (${editedComment(q)} and body = ${q.p('body')})`,
  },
];

/** The rules that concern a post of this shape, in order. */
export function rulesFor(shape: PostShape, rules: readonly PostingRule[] = POSTING_RULES): PostingRule[] {
  return rules.filter((rule) => rule.appliesTo(shape));
}

/**
 * Whether a stored post or edit is held for review, as SQL over the thread's
 * row: when the thread is pre-moderated or the caller holds it (a banned
 * word). An edit is also held when it changes a featured (pinned) comment: a
 * pin endorses the text as it was. An edit held for either is `edited` (after
 * approval), which is what the moderator needs to know first.
 */
export function heldColumns(q: RuleSql): Record<'status' | 'held_reason', RawBuilder<unknown>> {
  const { p, shape } = q;
  const hold = sql`cast(${p('hold')} as text)`;
  const review = shape.edit ? sql`(threads.pre_moderation = 1 or exists (select 1 from comments where id = ${p('id')} and pinned = 1))` : sql`threads.pre_moderation = 1`;
  const reason = shape.edit ? 'edited' : 'pre_moderation';
  // A new comment is also held for who wrote it (personRules.ts), the shadow-ban first: its reason is
  // what keeps it from everyone but its author and the moderators, whatever else holds it.
  const person: [RawBuilder<unknown>, string][] = shape.edit
    ? []
    : [[guestReview(q), 'guest_review'], [oftenRejected(q), 'untrusted'], [newAccount(q), 'new_account']];
  const shadow = shape.edit ? sql`1 = 0` : shadowBanned(q);
  const personHeld = person.length === 0 ? sql`1 = 0` : sql.join(person.map(([held]) => held), sql` or `);
  const personReason = sql.join(person.map(([held, why]) => sql`when ${held} then ${sql.lit(why)}`), sql` `);
  return {
    status: sql`case when ${shadow} or ${review} or ${hold} is not null or ${personHeld} then 'pending' else 'visible' end`,
    held_reason: sql`case when ${shadow} then 'shadow_banned' when ${review} then ${sql.lit(reason)} when ${hold} is not null then ${hold} ${personReason} else null end`,
  };
}

/**
 * What a stored post becomes, as SQL over the thread's row: held or not
 * (heldColumns); one level below its parent, in its parent's branch (placeUnder
 * in lib/domain/placement.ts, here in SQL because the one-statement post never
 * reads the parent into JS). And who wrote the parent, read where the parent is
 * read anyway: the reply's notice needs it after the commit, and is spared a
 * read of its own (CreateCommentResult.parentAuthorId; docs/decisions.md, "Notices after the commit").
 */
export function postedColumns(q: RuleSql): Record<'depth' | 'root_id' | 'status' | 'held_reason' | 'parent_author', RawBuilder<unknown>> {
  const { p, shape } = q;
  return {
    depth: shape.parent ? sql`(select depth + 1 from comments where id = ${p('parentId')})` : sql`1`,
    root_id: shape.parent ? sql`(select coalesce(root_id, id) from comments where id = ${p('parentId')})` : sql`cast(${p('id')} as text)`,
    parent_author: shape.parent ? sql`(select author_guest_id from comments where id = ${p('parentId')})` : sql`cast(null as text)`,
    ...heldColumns(q),
  };
}

/** `name AS alias` for each column, for a RETURNING or SELECT list. */
export function selectList(columns: Record<string, RawBuilder<unknown>>): RawBuilder<unknown> {
  return sql.join(Object.entries(columns).map(([alias, expression]) => sql`${expression} as ${sql.ref(alias)}`));
}

/** Whether what was judged is held, and why. */
export interface HeldRow {
  status: string;
  held_reason: string | null;
}

/** The row both paths read back: the seq taken, what the post became, and its parent's author (null: no parent, or a guest's). */
export interface PostedRow extends HeldRow {
  seq: number | string;
  depth: number | string;
  root_id: string;
  parent_author: string | null;
}

/** The ISO time (as `toISOString` writes it) `seconds` before `at`: times are stored as such text, so they compare as text. */
function secondsBefore(dialect: RuleSql['dialect'], at: unknown, seconds: RawBuilder<unknown>): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql`to_char((cast(${at} as timestamptz) - make_interval(secs => ${seconds})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '-' || ${seconds} || ' seconds')`;
}
