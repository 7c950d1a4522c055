import { cursorFitsSort, type Sort } from '../contract/api';
import { hasForbiddenControl } from '../contract/text';
import { AppError } from '../domain/errors';
import type { Comment } from '../domain/types';
import type { ThreadListAfter, TopLevelAfter, TopLevelOrder } from '../store/store';
import { isAnswered } from '../domain/questions';

/**
 * The cursor after a branch: its seq, and in the `top` order its likes too.
 * A cursor is a snapshot: a branch whose likes change between two pages may
 * move past it (shown twice, or not at all, in one walk: docs/api.md).
 */
export function cursorOf(sort: Sort, last: Comment): string {
  if (sort === 'answered-first') return `${isAnswered(last) ? 1 : 0}.${last.seq}`;
  return sort === 'top' ? `${last.likes}.${last.seq}` : String(last.seq);
}

export function parseCursor(sort: Sort, cursor: string | undefined): TopLevelAfter | undefined {
  if (cursor === undefined) return undefined;
  if (!cursorFitsSort(sort, cursor)) throw new AppError('invalid_request', { fields: { after: ['must be a cursor returned as nextCursor for this sort'] } });
  const [first, second] = cursor.split('.');
  if (sort === 'answered-first') return { answered: first === '1', seq: Number(second) };
  return second === undefined ? { seq: Number(first) } : { likes: Number(first), seq: Number(second) };
}

/**
 * Whether the branch at cursor `a` comes before the one at `b` in the sort's
 * order (the store's keyset order: seq up or down, or likes down then seq up).
 */
export function cursorBefore(sort: Sort, a: string, b: string): boolean {
  const [x, y] = [parseCursor(sort, a)!, parseCursor(sort, b)!];
  if (sort === 'newest') return x.seq > y.seq;
  if (sort === 'top' && x.likes !== y.likes) return (x.likes ?? 0) > (y.likes ?? 0);
  if (sort === 'answered-first' && x.answered !== y.answered) return x.answered === true;
  return x.seq < y.seq;
}

/** The store's order of top-level comments for a sort (`picks` is read otherwise: threadService.ts loadBranches). */
export function topLevelOrder(sort: Exclude<Sort, 'picks'>): TopLevelOrder {
  if (sort === 'newest') return 'desc';
  if (sort === 'oldest') return 'asc';
  return sort;
}

/** A thread list's keyset and its cursor's encoding: the time and the id, apart by a character neither holds. */
const THREAD_CURSOR_SEPARATOR = ' ';
const THREAD_CURSOR_ID = /^[a-z0-9]{1,32}$/;

/** The cursor after a thread in a list (newest first: lib/store/threadReads.ts). Opaque: base64url of its keyset. */
export function threadCursorOf(last: ThreadListAfter): string {
  return Buffer.from(`${last.createdAt}${THREAD_CURSOR_SEPARATOR}${last.id}`, 'utf8').toString('base64url');
}

/**
 * The keyset a thread list's cursor names, or `invalid_request` naming `after`
 * for anything this server did not hand out (the schema has checked only its
 * alphabet): it must decode, and encode back to itself, to a time and an id.
 */
export function parseThreadCursor(cursor: string | undefined): ThreadListAfter | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [createdAt = '', id = '', ...rest] = text.split(THREAD_CURSOR_SEPARATOR);
  const after = { createdAt, id };
  // Date.parse reads past a NUL ("2026-01-01\u0000" is a time to it), which no stored time holds and PostgreSQL cannot compare.
  const fits = rest.length === 0 && THREAD_CURSOR_ID.test(id) && !hasForbiddenControl(createdAt) && Number.isFinite(Date.parse(createdAt)) && threadCursorOf(after) === cursor;
  if (!fits) throw new AppError('invalid_request', { fields: { after: ['must be a cursor returned as next'] } });
  return after;
}
