import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE_NAME = 'session-secret';

/**
 * The configured secret, or on the embedded default one generated on the
 * first start and kept (owner-readable only) in DATA_DIR, so sessions survive
 * restarts without any set-up.
 */
export function resolveSessionSecret(options: { configured: string | undefined; dataDir: string }): string {
  if (options.configured) return options.configured;
  const file = path.join(options.dataDir, FILE_NAME);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; a replaced file keeps its old one.
  fs.chmodSync(file, 0o600);
  return secret;
}
