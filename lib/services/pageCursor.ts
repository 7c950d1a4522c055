import { cursorFitsSort, type Sort } from '../contract/api';
import { AppError } from '../domain/errors';
import type { Comment } from '../domain/types';
import type { TopLevelAfter } from '../store/store';

/**
 * The cursor after a branch: its seq, and in the `top` order its likes too.
 * A cursor is a snapshot: a branch whose likes change between two pages may
 * move past it (shown twice, or not at all, in one walk: docs/api.md).
 */
export function cursorOf(sort: Sort, last: Comment): string {
  return sort === 'top' ? `${last.likes}.${last.seq}` : String(last.seq);
}

export function parseCursor(sort: Sort, cursor: string | undefined): TopLevelAfter | undefined {
  if (cursor === undefined) return undefined;
  if (!cursorFitsSort(sort, cursor)) throw new AppError('invalid_request', { fields: { after: ['must be a cursor returned as nextCursor for this sort'] } });
  const [first, second] = cursor.split('.');
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
  return x.seq < y.seq;
}
