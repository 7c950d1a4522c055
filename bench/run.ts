/**
 * `npm run bench`: every scenario of bench/scenarios.ts, one after another.
 * Arguments are passed to each scenario that knows them, e.g.
 * `npm run bench -- --quick` (all) or `--rate 5` (fan-out and reconnect); a flag
 * none knows is an error before anything starts.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './common/harness/flags';
import { exitOnCliError, parseArgsFlags, parseScenarioArgs, runScenario, scriptOf, usage } from './common/harness/scenario';
import { SCENARIOS } from './scenarios';

const distinct = [...new Set(SCENARIOS.map((s) => s.scenario))];
const USAGE = `Usage: npm run bench -- [options]

Runs ${SCENARIOS.map((s) => `${scriptOf(s.scenario)}${s.fixedArgs.length > 0 ? ` ${s.fixedArgs.join(' ')}` : ''}`).join(', ')}.
Each gets the flags it knows.

${distinct.map(usage).join('\n\n')}`;

/** The arguments one scenario understands, out of argv (checked against every scenario's flags), then its fixed ones. */
function argsFor(argv: string[], entry: (typeof SCENARIOS)[number]): string[] {
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: argv, strict: true, tokens: true, options: Object.assign({}, ...distinct.map(parseArgsFlags)) }));
  } catch (err) {
    throw new UsageError((err as Error).message, USAGE);
  }
  const own = parseArgsFlags(entry.scenario);
  const fixed = new Set(entry.fixedArgs.map((arg) => arg.replace(/^--([^=]+).*$/, '$1')));
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in own) || fixed.has(token.name)) continue;
    args.push(token.value === undefined ? `--${token.name}` : `--${token.name}=${token.value}`);
  }
  return [...args, ...entry.fixedArgs];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) throw new UsageError(USAGE, USAGE);
  const runs = SCENARIOS.map((entry) => ({ entry, args: argsFor(argv, entry) }));
  // Every set is checked before the first scenario starts: a bad flag should not surface after the fan-out's minutes.
  for (const { entry, args } of runs) parseScenarioArgs(entry.scenario, args);
  const written: string[] = [];
  for (const { entry, args } of runs) written.push(await runScenario(entry.scenario, args));
  console.log(`benchmarks done; results: ${written.join(', ')}`);
}

main().then(() => process.exit(0), exitOnCliError);
