import fs from 'node:fs';
import path from 'node:path';
import { STDERR_LOG, warnTo, type ErrorLog } from '../domain/errorLog';

/**
 * What Threadline keeps in DATA_DIR (the SQLite database with its WAL files, the session secret),
 * and what a volume's root may hold besides: a folder with nothing else in it is Threadline's own.
 */
const OWN_ENTRIES = /^(?:threadline\.sqlite(?:-wal|-shm|-journal)?|session-secret|lost\+found)$/;

/** A start refused because DATA_DIR cannot be made private without touching what is not ours. */
export class DataDirError extends Error {}

/**
 * DATA_DIR holds password hashes, sessions, guest ids and the session secret: only its owner may
 * enter it (0700). A missing folder is made so. One an earlier version made readable by others is
 * tightened, with a warning, when it holds only Threadline's files; a folder shared with other
 * files (`/tmp`, a home folder) is left alone and the start refused, saying what to do. Set by
 * chmod after the fact, so the umask the server runs under does not matter.
 */
export function ensurePrivateDir(dir: string, log: ErrorLog = STDERR_LOG): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const others = fs.readdirSync(dir).filter((name) => !OWN_ENTRIES.test(name));
  const shown = `DATA_DIR ${path.resolve(dir)}`;
  if (others.length > 0) {
    throw new DataDirError(
      `${shown} can be read by other users (mode ${octal(mode)}) and holds files that are not Threadline's (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}). ` +
        `Give Threadline a folder of its own, or make this one private yourself: chmod 700 ${path.resolve(dir)}`,
    );
  }
  try {
    fs.chmodSync(dir, 0o700);
  } catch (err) {
    throw new DataDirError(`${shown} can be read by other users (mode ${octal(mode)}) and could not be made private (${(err as Error).message}): chmod 700 ${path.resolve(dir)}`);
  }
  warnTo(log, `${shown} could be read by other users (mode ${octal(mode)}); it is now ${octal(0o700)}`);
}

/** A file of DATA_DIR readable and writable by its owner only (0600), when it exists. */
export function keepPrivate(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (mode !== 0o600) fs.chmodSync(file, 0o600);
}

/** Creates the file empty and owner-only if it is missing (before another library creates it with its own mode). */
export function createPrivate(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  keepPrivate(file);
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
