/**
 * What lib/ reports failures through. lib/ may not import server/ (eslint), so the server
 * passes its own logger (server/log.ts's `Logger` has this shape) in the options of
 * createServices and openStore; scripts and tests that pass none get standard error.
 */
export interface ErrorLog {
  error(message: string, err?: unknown): void;
}

/** The fallback when no logger is passed: one line on standard error. */
export const STDERR_LOG: ErrorLog = {
  error: (message, err) => console.error(`[threadline] ${message}:`, err instanceof Error ? err.message : err),
};
