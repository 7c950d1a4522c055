import { sql, type RawBuilder } from 'kysely';
import { NOT_CHECKED_REASONS, type NotChecked } from '../contract/api';
import { compileOnce, type Param } from './compiledOnce';
import { commentFromRow, CorruptRowError } from './mappers';
import type { QueueItem } from './moderationStore';
import type { OpenedDatabase } from './openDatabase';

/** What the spam check asks the store about a post or an edit, and what it leaves for the next ones. */
export interface SpamObservation {
  guestId: string;
  /** The address key the post came from (lib/domain/addressKey.ts). */
  address: string;
  threadId: string;
  /** The comment an edit changes (its own publication does not count as the guest's earlier one); null for a post. */
  editedCommentId: string | null;
  /** The folded text's fingerprint (lib/services/spam/fingerprint.ts); null when the text is too short to count. */
  textHash: string | null;
  at: string;
  /** The repeated-text window starts here: the text in other threads since then counts. */
  textsSince: string;
  /** The new-guest window starts here: guests first seen since then count as new. */
  guestsSince: string;
  /** A post records its guest as first seen now when the guest has no comment yet; an edit adds no guest. */
  recordGuest: boolean;
}

/** The built-in signals' facts (lib/services/spam/phases), read before this post's own traces are left. */
export interface SpamFacts {
  /** The guest has a visible comment (other than the one edited): readers or a moderator have let them through before. */
  published: boolean;
  /** Distinct threads the text was posted in within the window, this one included. */
  threadsWithText: number;
  /** The guest's first post is within the new-guest window (or is this one). */
  guestIsNew: boolean;
  /** Guests first seen posting from this address within the window, this guest included when it is new. */
  newGuestsFromAddress: number;
}

export interface SpamStore {
  /** Reads the facts and records the post's text and (for a post) its guest: one statement on PostgreSQL, one transaction on SQLite. */
  observe(observation: SpamObservation): Promise<SpamFacts>;
  /** Drops what is older than the windows: texts last posted before `textsBefore`, guests first seen before `guestsBefore`. */
  sweep(request: { textsBefore: string; guestsBefore: string }): Promise<void>;
  /** The outside service did not judge the comment's current text (posted anyway): kept for the moderators. */
  markNotChecked(request: { commentId: string; why: NotChecked; at: string }): Promise<void>;
  /** The comment's current text was judged after all (an edit checked), or a moderator kept it: true when a mark was there. */
  clearNotChecked(request: { commentId: string }): Promise<boolean>;
  /** Visible comments the outside service did not judge and no moderator has kept yet, newest first. */
  listNotChecked(request: { limit: number }): Promise<QueueItem[]>;
}

type ObserveParams = Omit<SpamObservation, 'recordGuest'> & { recordGuest: number };

interface FactsRow {
  published: unknown;
  posted: unknown;
  other_threads: number | string;
  first_at: string | null;
  other_new_guests: number | string;
}

type P = Param<ObserveParams>;

const NOT_CHECKED = new Set<string>(NOT_CHECKED_REASONS);

export function createSpamStore(opened: OpenedDatabase): SpamStore {
  const { db, dialect } = opened;

  // Every statement of a post is compiled once (compiledOnce.ts): this one runs on every post and edit.
  const facts = (p: P) => sql<FactsRow>`select
      exists (select 1 from comments where author_guest_id = ${p('guestId')} and status = 'visible'
        and id <> coalesce(cast(${p('editedCommentId')} as text), '')) as published,
      exists (select 1 from comments where author_guest_id = ${p('guestId')}) as posted,
      (select count(*) from spam_texts where hash = ${p('textHash')} and at > ${p('textsSince')} and thread_id <> ${p('threadId')}) as other_threads,
      (select first_at from spam_new_guests where guest_id = ${p('guestId')}) as first_at,
      (select count(*) from spam_new_guests where address = ${p('address')} and first_at > ${p('guestsSince')} and guest_id <> ${p('guestId')}) as other_new_guests`;
  const recordText = (p: P) => sql`insert into spam_texts (hash, thread_id, at)
      select cast(${p('textHash')} as text), cast(${p('threadId')} as text), cast(${p('at')} as text) where cast(${p('textHash')} as text) is not null
      on conflict (hash, thread_id) do update set at = excluded.at`;
  // A guest with no comment at all is new; one who has commented before is not, whatever this table remembers.
  const recordGuest = (p: P) => sql`insert into spam_new_guests (guest_id, address, first_at)
      select cast(${p('guestId')} as text), cast(${p('address')} as text), cast(${p('at')} as text)
      where cast(${p('recordGuest')} as integer) = 1 and not exists (select 1 from comments where author_guest_id = cast(${p('guestId')} as text))
      on conflict (guest_id) do nothing`;

  const compiled = <R>(build: (p: P) => RawBuilder<R>) =>
    compileOnce<ObserveParams, R>((p) => {
      const raw = build(p);
      return { compile: () => raw.compile(db) };
    });
  // PostgreSQL: one round trip. Data-modifying CTEs run to completion whether read or not, and the
  // SELECT sees the tables as they were before them, as SQLite's read-first transaction does.
  const observeInOne = compiled<FactsRow>((p) => sql<FactsRow>`with texts as (${recordText(p)}), guests as (${recordGuest(p)}) ${facts(p)}`);
  const readFacts = compiled<FactsRow>(facts);
  const writeText = compiled(recordText);
  const writeGuest = compiled(recordGuest);

  function factsFrom(row: FactsRow, observation: SpamObservation): SpamFacts {
    const newNow = !isTrue(row.posted) && row.first_at === null;
    const guestIsNew = newNow || (row.first_at !== null && row.first_at > observation.guestsSince);
    return {
      published: isTrue(row.published),
      threadsWithText: observation.textHash === null ? 1 : Number(row.other_threads) + 1,
      guestIsNew,
      newGuestsFromAddress: Number(row.other_new_guests) + (guestIsNew ? 1 : 0),
    };
  }

  return {
    async observe(observation) {
      const params: ObserveParams = { ...observation, recordGuest: observation.recordGuest ? 1 : 0 };
      if (dialect === 'postgres') return factsFrom((await observeInOne.execute(db, params)).rows[0]!, observation);
      return db.transaction().execute(async (trx) => {
        const row = (await readFacts.execute(trx, params)).rows[0]!;
        if (observation.textHash !== null) await writeText.execute(trx, params);
        if (observation.recordGuest) await writeGuest.execute(trx, params);
        return factsFrom(row, observation);
      });
    },

    async sweep({ textsBefore, guestsBefore }) {
      await db.deleteFrom('spam_texts').where('at', '<=', textsBefore).execute();
      await db.deleteFrom('spam_new_guests').where('first_at', '<=', guestsBefore).execute();
    },

    async markNotChecked({ commentId, why, at }) {
      await db
        .insertInto('spam_not_checked')
        .values({ comment_id: commentId, why, at })
        .onConflict((oc) => oc.column('comment_id').doUpdateSet({ why, at }))
        .execute();
    },

    async clearNotChecked({ commentId }) {
      const result = await db.deleteFrom('spam_not_checked').where('comment_id', '=', commentId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async listNotChecked({ limit }) {
      const rows = await db
        .selectFrom('spam_not_checked as n')
        .innerJoin('comments as c', 'c.id', 'n.comment_id')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .selectAll('c')
        .select(['t.slug as thread_slug', 't.title as thread_title', 'n.why as not_checked', 'n.at as not_checked_at'])
        .where('c.status', '=', 'visible')
        .orderBy('n.at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(({ thread_slug, thread_title, not_checked, not_checked_at, ...row }) => ({
        comment: commentFromRow(row),
        threadSlug: thread_slug,
        threadTitle: thread_title,
        reports: [],
        notChecked: notCheckedFrom(row.id, not_checked),
        queuedAt: not_checked_at,
      }));
    },
  };
}

/** The stored reason a comment was not checked, refused if it is not one this version knows. */
export function notCheckedFrom(commentId: string, why: string | null | undefined): NotChecked | null {
  if (why === null || why === undefined) return null;
  if (!NOT_CHECKED.has(why)) throw new CorruptRowError('spam_not_checked', commentId, `unknown reason ${why}`);
  return why as NotChecked;
}

/** PostgreSQL answers booleans, SQLite 1 and 0. */
function isTrue(value: unknown): boolean {
  return value === true || Number(value) === 1;
}
