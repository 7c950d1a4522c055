/**
 * `npm run bench`: every benchmark, one after another (for now only fan-out).
 * Arguments are passed to each, e.g. `npm run bench -- --quick`.
 */
import { exitOnCliError, runFanoutCli } from './fanout/run';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const written: string[] = [];
  written.push(await runFanoutCli(argv));
  console.log(`benchmarks done; results: ${written.join(', ')}`);
}

main().then(() => process.exit(0), exitOnCliError);
