/**
 * bench/reconnect: a reconnect storm. Two nodes + Redis, readers on one thread
 * split over both, a low-rate writer; one node is SIGKILLed and every reader
 * that was on it moves to the other and catches up. Ours (thread:subscribe
 * with afterSeq, checked against the database's event log) against bare
 * Socket.IO (reconnect + join; its subscribe ack returns nothing missed).
 * `npm run bench:reconnect -- --help`; docs/benchmarks.md for the method.
 */
import os from 'node:os';
import path from 'node:path';
import { withBenchSession } from '../common/benchSession';
import { sleep } from '../common/clock';
import { pinningAvailable } from '../common/processSupervisor';
import { environment } from '../fanout/report';
import { DEFAULT_RESULTS_DIR, exitOnCliError, GENERATOR_CPU, PAUSE_BETWEEN_ROUNDS_MS, targetContext } from '../fanout/run';
import { round } from '../common/stats';
import { parseReconnectArgs, type ReconnectOptions } from './options';
import { compareReconnect, reconnectMarkdown, reconnectRoundLine, summariseReconnect, writeReconnectReport, type ReconnectReport } from './report';
import { runReconnectRound, type ReconnectRound } from './runRound';
import { resolveTargets } from '../common/cli';

const ROOT = path.resolve(__dirname, '..', '..');

function log(message: string): void {
  process.stderr.write(`[reconnect] ${message}\n`);
}

export async function runReconnectBenchmark(options: ReconnectOptions): Promise<ReconnectReport> {
  const startedAt = new Date().toISOString();
  const pinned = options.pin && pinningAvailable();
  const env = environment(pinned);
  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    const targets = resolveTargets(options.targets);
    log(
      `${options.readers} readers on two nodes, ${options.rate} comments/s, kill after ${options.preKillSeconds} s, ${options.rounds} round(s); ` +
        `targets ${targets.map((t) => t.name).join(', ')}; ${pinned ? 'servers on CPU 0, generator on CPU 1' : 'not pinned'}; load average ${env.loadAverageAtStart.join(' ')}`,
    );
    const rounds: ReconnectRound[] = [];
    for (let n = 1; n <= options.rounds; n += 1) {
      for (const target of targets) {
        log(`round ${n}/${options.rounds}: ${target.name}`);
        // Fresh nodes every round: one of them dies in it.
        const context = targetContext({ options: { ...options, nodes: 2 }, supervisor, registerCleanup, pinned, log });
        const record = await runReconnectRound({ round: n, target, context, options, supervisor, root: ROOT, generatorCpu: pinned ? GENERATOR_CPU : undefined });
        log(reconnectRoundLine(record));
        rounds.push(record);
        await sleep(PAUSE_BETWEEN_ROUNDS_MS);
      }
    }
    const summary = targets.map((t) => summariseReconnect(t.name, rounds));
    const { pgAdminUrl: _pg, redisUrl: _redis, resultsDir: _dir, ...shownOptions } = options;
    return {
      benchmark: 'reconnect',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: shownOptions,
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
      rounds,
      summary,
      comparison: compareReconnect(summary),
    };
  });
}

export async function runReconnectCli(argv: string[]): Promise<string> {
  const options = parseReconnectArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runReconnectBenchmark(options);
  console.log(`\n${reconnectMarkdown(report)}\n`);
  const file = writeReconnectReport(report, options.resultsDir);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

if (require.main === module) {
  runReconnectCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
