import type { z } from 'zod';
import { CommentIdSchema, PersonIdSchema, SlugSchema } from '../../lib/contract/api';
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

/** And for person ids (an account's or a guest's). */
export function personIdParam(value: string | undefined): string {
  if (!PersonIdSchema.safeParse(value).success) throw new AppError('person_not_found');
  return value!;
}

/**
 * The looser form some routes (an admin's export and erasure of a person, mutes, notices) have always taken:
 * letters, digits, `_` and `-`, up to 64 (lib/domain/ids.ts, a guest's too); anything else names nobody.
 */
export function loosePersonIdParam(value: string | undefined): string {
  if (!value || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new AppError('person_not_found');
  return value;
}

/** The query string checked by its schema (a name given twice: its last value), or a 400 naming each field at fault. */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  return parseOrThrow(schema, Object.fromEntries(url.searchParams));
}
