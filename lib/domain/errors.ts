import { ERRORS, type BanDetails, type ErrorBody, type ErrorCode, type FieldErrors } from '../contract/errors';
import { isOutage } from './outage';

/** Marks AppErrors across module copies (Next.js bundles its own copy of lib/). */
const BRAND = Symbol.for('threadline.AppError');

/**
 * An error with a stable public code. `detail` is private: it goes to the log,
 * never to a client.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly detail: string | undefined;
  /** Seconds, with `rate_limited`, `unavailable` and `sign_in_busy`. */
  readonly retryAfter: number | undefined;
  /** With `banned`: why, and until when (null: for good), for the banned person to read. */
  readonly ban: BanDetails | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, options: { message?: string; fields?: FieldErrors; detail?: string; retryAfter?: number; ban?: BanDetails; cause?: unknown } = {}) {
    super(options.message ?? ERRORS[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
    this.ban = options.ban;
  }

  /** True for an AppError from any copy of this module; `instanceof` is not, across bundles. */
  static is(err: unknown): err is AppError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields && { fields: this.fields }),
      ...(this.retryAfter !== undefined && { retryAfter: this.retryAfter }),
      ...(this.ban !== undefined && { ban: this.ban }),
    };
  }
}

/** How long a client is asked to wait when the database is down: a restart usually takes a few seconds. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * Anything thrown that is not an AppError becomes a generic error for the
 * client: `unavailable` (503) when a dependency is down (outage.ts), else
 * `internal` (500). The original goes to `detail`, for the log only.
 */
export function toAppError(err: unknown): AppError {
  if (AppError.is(err)) return err;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (isOutage(err)) return new AppError('unavailable', { detail, retryAfter: UNAVAILABLE_RETRY_AFTER_S, cause: err });
  return new AppError('internal', { detail, cause: err });
}
