/**
 * Whether an error means a dependency (the database) is unreachable or
 * refusing work for now, rather than a bug: the client should retry later
 * (503 `unavailable`), and nothing about it is the client's fault.
 *
 * Drivers are not imported here (lib/domain stays driver-free); errors are
 * recognised by their `code` and, for pg's connection errors that have none,
 * by their message.
 */

/** Node's socket errors: the server is not there, or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03
 * (admin/crash shutdown, cannot connect now), 53300 (too many connections),
 * 57014 (a statement timed out).
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** SQLite: the file is locked past the busy timeout, cannot be opened, or the disk failed. */
const SQLITE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR'];

/** node-postgres and pg-pool raise these without a code. */
const PG_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /^Query read timeout/i,
  /Cannot use a pool after calling end on the pool/i,
];

function ownOutage(err: object): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || PG_CODES.has(code) || code.startsWith('08')) return true;
    if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && PG_MESSAGES.some((pattern) => pattern.test(message));
}

export function isOutage(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  if (ownOutage(err)) return true;
  // Node wraps a refused connection to several addresses in an AggregateError; wrappers keep the original as `cause`.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.some((e) => isOutage(e, depth + 1))) return true;
  return isOutage((err as { cause?: unknown }).cause, depth + 1);
}
