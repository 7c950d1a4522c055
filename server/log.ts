import { Writable } from 'node:stream';
import pino from 'pino';

/** Extra structured fields of one log line (`{ path, status }`); they become JSON keys, not text. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, err?: unknown, fields?: LogFields): void;
  /**
   * An info line whose fields the caller builds itself from values that are never secret (an HTTP
   * request's method, path without query, status, route and duration): it skips the redaction pass,
   * whose wildcard paths walk every field and cost more than the rest of a request's log line.
   * Loggers without it take `info`.
   */
  infoTrusted?(message: string, fields: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'text';

/**
 * Secrets that must never reach a log line, wherever a caller puts them: the
 * session and staff cookies, bearer tokens, the cookies we set, and passwords.
 */
const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
];

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** JSON lines (the default, for log collectors) or one compact human line per entry (development). */
  format?: LogFormat;
  /** Where lines go; standard output by default. Tests pass a stream of their own. */
  destination?: NodeJS.WritableStream;
}

/** The server's logger: pino, JSON lines to standard output, secrets redacted. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const out = options.destination ?? process.stdout;
  const destination = options.format === 'text' ? textLines(out) : out;
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'threadline' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  };
  const logger = pino({ ...settings, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
  // Same destination, same format, no redaction: for `infoTrusted` only.
  const trusted = pino(settings, destination);
  return wrap(logger, trusted);
}

function wrap(logger: pino.Logger, trusted: pino.Logger): Logger {
  return {
    infoTrusted: (message, fields) => trusted.info(fields, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, err, fields) => {
      if (err === undefined) logger.error(fields ?? {}, message);
      else logger.error({ ...fields, err: err instanceof Error ? err : { message: String(err) } }, message);
    },
  };
}

/** Turns pino's JSON lines into `12:00:00 INFO message key=value` for a terminal, without another dependency. */
function textLines(out: NodeJS.WritableStream): Writable {
  const hidden = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          out.write(`${line}\n`);
          continue;
        }
        const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
        const fields = Object.entries(entry)
          .filter(([key]) => !hidden.has(key))
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
        const err = entry.err as { stack?: string; message?: string } | undefined;
        const tail = err ? `\n${err.stack ?? err.message ?? ''}` : '';
        out.write(`${time} ${String(entry.level).toUpperCase()} ${String(entry.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}${tail}\n`);
      }
      done();
    },
  });
}

/** The default when no logger is given: JSON lines on standard output. */
export const consoleLogger: Logger = createLogger();

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
