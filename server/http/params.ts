import { CommentIdSchema, SlugSchema } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';

/** A string that could never be a slug names no thread. */
export function slugParam(value: string | undefined): string {
  if (!SlugSchema.safeParse(value).success) throw new AppError('thread_not_found');
  return value!;
}

/** Likewise for comment ids. */
export function commentIdParam(value: string | undefined): string {
  if (!CommentIdSchema.safeParse(value).success) throw new AppError('comment_not_found');
  return value!;
}
