import { ERRORS, type ErrorBody, type ErrorCode, type FieldErrors } from '../contract/errors';

/**
 * An error with a stable public code. `detail` is private: it goes to the log,
 * never to a client.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: { message?: string; fields?: FieldErrors; detail?: string; cause?: unknown } = {}) {
    super(options.message ?? ERRORS[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.detail = options.detail;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): ErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/** Anything thrown that is not an AppError becomes a generic internal error for the client. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', { detail: err instanceof Error ? (err.stack ?? err.message) : String(err), cause: err });
}
