import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorLog } from '../lib/domain/errorLog';
import { ensurePrivateDir, keepPrivate } from '../lib/store/privateFiles';

const FILE_NAME = 'session-secret';

/**
 * The configured secret, or on the embedded default one generated on the
 * first start and kept (owner-readable only, 0600 in a 0700 DATA_DIR) in
 * DATA_DIR, so sessions survive restarts without any set-up.
 */
export function resolveSessionSecret(options: { configured: string | undefined; dataDir: string; log?: ErrorLog }): string {
  if (options.configured) return options.configured;
  // The folder is made (or checked) private before anything is read from or written into it.
  ensurePrivateDir(options.dataDir, options.log);
  const file = path.join(options.dataDir, FILE_NAME);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) {
      keepPrivate(file);
      return existing;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; a replaced file keeps its old one.
  fs.chmodSync(file, 0o600);
  return secret;
}
