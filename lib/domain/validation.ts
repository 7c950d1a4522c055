import type { z } from 'zod';
import type { FieldErrors } from '../contract/errors';
import { AppError } from './errors';

/** zod issues as per-field messages, keyed by dotted path (`""` for the whole input). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** Parses `input` or throws a 400 `invalid_request` that names each field at fault. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('invalid_request', { fields: fieldErrors(result.error) });
  return result.data;
}
