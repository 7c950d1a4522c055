/**
 * `npm run bench`: every benchmark, one after another (fan-out on two nodes,
 * fan-out on one node, lock, idle memory, reconnect storm, posting, render, huge threads).
 * Arguments are passed to each benchmark that knows them, e.g.
 * `npm run bench -- --quick` (both) or `--rate 5` (fan-out only); a flag
 * neither knows is an error before anything starts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FANOUT_FLAGS, FANOUT_USAGE, parseFanoutArgs, UsageError } from './fanout/options';
import { DEFAULT_RESULTS_DIR, exitOnCliError, runFanoutCli } from './fanout/run';
import { LOCK_FLAGS, LOCK_USAGE, parseLockArgs } from './lock/options';
import { runLockCli } from './lock/run';
import { MEMORY_FLAGS, MEMORY_USAGE, parseMemoryArgs } from './memory/options';
import { runMemoryCli } from './memory/run';
import { parseReconnectArgs, RECONNECT_FLAGS, RECONNECT_USAGE } from './reconnect/options';
import { runReconnectCli } from './reconnect/run';
import { parsePostingArgs, POSTING_FLAGS, POSTING_USAGE } from './posting/options';
import { runPostingCli } from './posting/run';
import { parseRenderArgs, RENDER_FLAGS, RENDER_USAGE } from './render/options';
import { runRenderCli } from './render/run';
import { HUGE_FLAGS, HUGE_USAGE, parseHugeArgs } from './hugeThread/options';
import { runHugeCli } from './hugeThread/run';

type Flags = NonNullable<ParseArgsConfig['options']>;

const USAGE = `Usage: npm run bench -- [options]

Runs bench/fanout (two nodes, then --nodes 1), bench/lock, bench/memory, bench/reconnect,
bench/posting, bench/render, then bench/hugeThread. Each gets the flags it knows (--nodes is set by this runner).

${FANOUT_USAGE}

${LOCK_USAGE}

${MEMORY_USAGE}

${RECONNECT_USAGE}

${POSTING_USAGE}

${RENDER_USAGE}

${HUGE_USAGE}`;

/** The arguments one benchmark understands, out of argv (checked against every benchmark's flags). */
function argsFor(argv: string[], own: Flags): string[] {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: argv,
      strict: true,
      tokens: true,
      options: { ...FANOUT_FLAGS, ...LOCK_FLAGS, ...MEMORY_FLAGS, ...RECONNECT_FLAGS, ...POSTING_FLAGS, ...RENDER_FLAGS, ...HUGE_FLAGS } as Flags,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, USAGE);
  }
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in own)) continue;
    args.push(token.value === undefined ? `--${token.name}` : `--${token.name}=${token.value}`);
  }
  return args;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) throw new UsageError(USAGE, USAGE);
  // The runner runs fan-out once per node count, so a --nodes of the user's is dropped.
  const fanoutArgs = argsFor(argv, FANOUT_FLAGS).filter((arg) => !arg.startsWith('--nodes'));
  const fanoutOneNodeArgs = [...fanoutArgs, '--nodes=1'];
  const lockArgs = argsFor(argv, LOCK_FLAGS);
  const memoryArgs = argsFor(argv, MEMORY_FLAGS);
  const reconnectArgs = argsFor(argv, RECONNECT_FLAGS);
  const postingArgs = argsFor(argv, POSTING_FLAGS);
  const renderArgs = argsFor(argv, RENDER_FLAGS);
  const hugeArgs = argsFor(argv, HUGE_FLAGS);
  // Every set is checked before the first benchmark starts: a bad flag should not surface after the fan-out's minutes.
  parseFanoutArgs(fanoutArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parseLockArgs(lockArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parseMemoryArgs(memoryArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parseReconnectArgs(reconnectArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parsePostingArgs(postingArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parseRenderArgs(renderArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  parseHugeArgs(hugeArgs, { resultsDir: DEFAULT_RESULTS_DIR });
  const written: string[] = [];
  written.push(await runFanoutCli(fanoutArgs));
  written.push(await runFanoutCli(fanoutOneNodeArgs));
  written.push(await runLockCli(lockArgs));
  written.push(await runMemoryCli(memoryArgs));
  written.push(await runReconnectCli(reconnectArgs));
  written.push(await runPostingCli(postingArgs));
  written.push(await runRenderCli(renderArgs));
  written.push(await runHugeCli(hugeArgs));
  console.log(`benchmarks done; results: ${written.join(', ')}`);
}

main().then(() => process.exit(0), exitOnCliError);
