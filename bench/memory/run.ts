/**
 * bench/memory: server memory per idle subscribed reader on one node, for
 * Threadline ("ours": thread:subscribe to one thread) and bare Socket.IO
 * (joining a room), alternating rounds on freshly started nodes.
 * `npm run bench:memory -- --help`; docs/benchmarks.md for the method.
 */
import os from 'node:os';
import path from 'node:path';
import { withBenchSession } from '../common/benchSession';
import { pinningAvailable } from '../common/processSupervisor';
import { environment } from '../fanout/report';
import { round } from '../common/stats';
import { DEFAULT_RESULTS_DIR, exitOnCliError, GENERATOR_CPU, PAUSE_BETWEEN_ROUNDS_MS, targetContext } from '../fanout/run';
import { sleep } from '../common/clock';
import { parseMemoryArgs, type MemoryOptions } from './options';
import { compareMemory, memoryMarkdown, memoryRoundLine, summariseMemory, writeMemoryReport, type MemoryReport } from './report';
import { runMemoryRound, type MemoryRound } from './runRound';
import { resolveTargets } from '../common/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const HEAP_PROBE = path.join(ROOT, 'bench', 'memory', 'heapProbe.cjs');

function log(message: string): void {
  process.stderr.write(`[memory] ${message}\n`);
}

export async function runMemoryBenchmark(options: MemoryOptions): Promise<MemoryReport> {
  const startedAt = new Date().toISOString();
  const pinned = options.pin && pinningAvailable();
  const env = environment(pinned);
  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    const targets = resolveTargets(options.targets);
    log(
      `${options.readers} idle readers over ${options.generators} generator process(es), ${options.rounds} round(s); targets ${targets.map((t) => t.name).join(', ')}; ` +
        `${pinned ? 'server on CPU 0, generators on CPU 1' : 'not pinned'}; load average ${env.loadAverageAtStart.join(' ')}`,
    );
    const rounds: MemoryRound[] = [];
    for (let n = 1; n <= options.rounds; n += 1) {
      for (const target of targets) {
        log(`round ${n}/${options.rounds}: ${target.name}`);
        // A fresh context per round: fresh nodes, a fresh database and run tag.
        const context = targetContext({ options: { ...options, nodes: 1 }, nodeArgs: ['--expose-gc', '--require', HEAP_PROBE, ...cpuProfileArgs()], supervisor, registerCleanup, pinned, log });
        const record = await runMemoryRound({ round: n, target, context, options, supervisor, root: ROOT, generatorCpu: pinned ? GENERATOR_CPU : undefined, log });
        log(memoryRoundLine(record));
        rounds.push(record);
        await sleep(PAUSE_BETWEEN_ROUNDS_MS);
      }
    }
    const summary = targets.map((t) => summariseMemory(t.name, rounds));
    const { pgAdminUrl: _pg, redisUrl: _redis, resultsDir: _dir, ...shownOptions } = options;
    return {
      benchmark: 'memory',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: shownOptions,
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
      rounds,
      summary,
      comparison: compareMemory(summary, rounds),
    };
  });
}

export async function runMemoryCli(argv: string[]): Promise<string> {
  const options = parseMemoryArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runMemoryBenchmark(options);
  console.log(`\n${memoryMarkdown(report)}\n`);
  const file = writeMemoryReport(report, options.resultsDir);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

if (require.main === module) {
  runMemoryCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}

/** BENCH_PROF=<dir>: the node also writes a CPU profile (`--cpu-prof`) there when it exits. */
function cpuProfileArgs(): string[] {
  const dir = process.env.BENCH_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
