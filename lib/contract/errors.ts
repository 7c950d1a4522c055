import { ERROR_CODES } from './errorCodes';
import { z } from './zod';

export { ERRORS, ERROR_CODES, type ErrorCode } from './errorCodes';

/** Per-field messages, keyed by the field's dotted path (`body`, `author.name`). */
export const FieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof FieldErrorsSchema>;

/** With `banned`: the ban's reason as the moderator wrote it, and when it ends (null: for good). */
export const BanDetailsSchema = z.object({ reason: z.string(), until: z.string().nullable() });
export type BanDetails = z.infer<typeof BanDetailsSchema>;

export const ErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: FieldErrorsSchema.optional(),
  /** With `rate_limited`, `unavailable` and `sign_in_busy`: seconds until trying again can succeed. */
  retryAfter: z.number().int().min(0).optional(),
  /** With `banned`: why and until when, for the banned person to read (added in protocol 1: optional). */
  ban: BanDetailsSchema.optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The JSON body of every HTTP error response. */
export const ErrorResponseSchema = z.object({ error: ErrorBodySchema });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
