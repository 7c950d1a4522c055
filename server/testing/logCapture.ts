import { PassThrough } from 'node:stream';
import { createLogger, type CreateLoggerOptions, type Logger } from '../log';

/** A log line as the tests read it back (the fields the server writes; anything else is unknown). */
export interface LogEntry {
  level: string;
  msg: string;
  time?: string;
  service?: string;
  req?: { method: string; path?: string; headers?: Record<string, string> };
  res?: { status: number; headers?: Record<string, string | string[]> };
  err?: { message: string; stack?: string };
  route?: string;
  durationMs?: number;
  password?: string;
  body?: { password?: string };
  [key: string]: unknown;
}

/** The real logger, writing into memory. */
export function captureLog(options: Omit<CreateLoggerOptions, 'destination'> = {}): { log: Logger; text(): string; lines(): string[]; entries(): LogEntry[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const lines = () => text.split('\n').filter((l) => l.trim() !== '');
  return {
    log: createLogger({ ...options, destination: stream }),
    text: () => text,
    lines,
    entries: () => lines().map((l) => JSON.parse(l) as LogEntry),
  };
}
