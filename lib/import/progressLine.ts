import type { ImportProgress } from './runImport';

/** Where the line goes: stderr, so stdout keeps only the report. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressLineOptions {
  stream: ProgressStream;
  /** Milliseconds, replaceable in tests. */
  now?: () => number;
  /** Nothing is shown before this much time has passed: a short import prints only its report. */
  quietMs?: number;
  /** A terminal's line is rewritten at most this often… */
  redrawMs?: number;
  /** …and a log (not a terminal) gets a new line at most this often. */
  logEveryMs?: number;
}

export interface ProgressLine {
  update(progress: ImportProgress): void;
  /** Clears a terminal's line before the report is printed. */
  done(): void;
}

const QUIET_MS = 2000;
const REDRAW_MS = 250;
const LOG_EVERY_MS = 5000;

/**
 * The progress line of a long import (docs/import.md "Progress and --report"): records read,
 * written and skipped, and how many per second in the current phase. On a terminal it is rewritten
 * in place; in a log, a line every few seconds. Quiet for the first two seconds.
 */
export function progressLine(options: ProgressLineOptions): ProgressLine {
  const now = options.now ?? (() => performance.now());
  const tty = options.stream.isTTY === true;
  const started = now();
  const every = tty ? (options.redrawMs ?? REDRAW_MS) : (options.logEveryMs ?? LOG_EVERY_MS);
  let shownAt: number | undefined;
  let phase: { name: ImportProgress['phase']; at: number; from: number } | undefined;

  return {
    update(progress) {
      const t = now();
      const count = progress.phase === 'reading' ? progress.read : progress.applied;
      if (phase?.name !== progress.phase) phase = { name: progress.phase, at: t, from: count };
      if (t - started < (options.quietMs ?? QUIET_MS)) return;
      if (shownAt !== undefined && t - shownAt < every) return;
      shownAt = t;
      const seconds = (t - phase.at) / 1000;
      const rate = seconds > 0 ? Math.round((count - phase.from) / seconds) : 0;
      const text = describeProgress(progress, rate);
      options.stream.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
    },
    done() {
      if (tty && shownAt !== undefined) options.stream.write('\r\x1b[K');
    },
  };
}

/** One line: `reading: 12,000 records (4,000/s), 3 skipped` or `writing: 5,000 of 12,000 records (900/s): 4,990 written, 13 skipped`. */
export function describeProgress(progress: ImportProgress, perSecond: number): string {
  const n = (value: number) => value.toLocaleString('en-US');
  if (progress.phase === 'reading') return `reading: ${n(progress.read)} records (${n(perSecond)}/s), ${n(progress.skipped)} skipped`;
  return `writing: ${n(progress.applied)} of ${n(progress.read)} records (${n(perSecond)}/s): ${n(progress.written)} written, ${n(progress.skipped)} skipped`;
}
