import { ConfigError } from '../server/config';

/**
 * Runs an npm script's `main` and turns its outcome into the exit code: its own
 * code, or 1 with one line on stderr (a bad configuration says which variable).
 */
export function runScript(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
