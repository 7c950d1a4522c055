/**
 * What lib/ reports failures through. lib/ may not import server/ (eslint), so the server
 * passes its own logger (server/log.ts's `Logger` has this shape) in the options of
 * createServices and openStore; scripts and tests that pass none get standard error.
 */
export interface ErrorLog {
  error(message: string, err?: unknown): void;
  /** Something fixed on the way that an operator should know about; loggers without it report it as an error. */
  warn?(message: string): void;
}

/** The fallback when no logger is passed: one line on standard error. */
export const STDERR_LOG: ErrorLog = {
  error: (message, err) => console.error(`[threadline] ${message}:`, err instanceof Error ? err.message : err),
  warn: (message) => console.error(`[threadline] ${message}`),
};

/** A warning through `log`, as an error line when it has no `warn`. */
export function warnTo(log: ErrorLog, message: string): void {
  if (log.warn) log.warn(message);
  else log.error(message);
}
