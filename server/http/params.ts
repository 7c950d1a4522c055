import type { z } from 'zod';
import { CommentIdSchema, SlugSchema } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';

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

/** The query string checked by its schema (a name given twice: its last value), or a 400 naming each field at fault. */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  return parseOrThrow(schema, Object.fromEntries(url.searchParams));
}
