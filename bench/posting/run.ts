/**
 * bench/posting: how many comments/s one node takes while a reader still gets
 * each one within 20 ms (p99) of its intended send time — Threadline vs a bare
 * node:http + prepared INSERT + Socket.IO emit, on SQLite and on PostgreSQL.
 * `npm run bench:posting -- --help` for options; docs/benchmarks.md for the method.
 */
import os from 'node:os';
import path from 'node:path';
import { pinSelf } from '../common/pinSelf';
import { withBenchSession } from '../common/benchSession';
import { waitForQuietMachine } from '../common/quietMachine';
import { environment } from '../fanout/report';
import { DEFAULT_RESULTS_DIR, exitOnCliError, GENERATOR_CPU, targetContext } from '../fanout/run';
import { sleep } from '../common/clock';
import { runLadder } from './ladder';
import { parsePostingArgs, type PostingOptions } from './options';
import { markdownSummary, summariseStore, writeReport, type LadderRecord, type PostingReport } from './report';
import { startBaseline, startOurs, type PostingTarget } from './targets';

const PAUSE_BETWEEN_LADDERS_MS = 500;

function log(message: string): void {
  process.stderr.write(`[posting] ${message}\n`);
}

export async function runPostingBenchmark(options: PostingOptions): Promise<PostingReport> {
  const startedAt = new Date().toISOString();
  // The orchestrator is the load generator: it takes core 1, the servers core 0.
  const pinned = options.pin && pinSelf(GENERATOR_CPU);
  const env = environment(pinned);
  log(`stores ${options.stores.join(', ')}; targets ${options.targets.join(', ')}; ladder ${options.rates.join(', ')}/s; ${options.rounds} round(s); ${pinned ? 'servers on CPU 0, generator on CPU 1' : 'not pinned'}; load ${env.loadAverageAtStart.join(' ')}`);
  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    const context = targetContext({ options: { redisUrl: '', pgAdminUrl: options.pgAdminUrl, startTimeoutSeconds: options.startTimeoutSeconds }, supervisor, registerCleanup, pinned, log });
    const running: PostingTarget[] = [];
    for (const store of options.stores) {
      if (options.targets.includes('baseline')) running.push(await startBaseline(context, store));
      if (options.targets.includes('ours')) running.push(await startOurs(context, store));
    }
    // ours first within each store: ours, baseline, ours, baseline… spreads drift over both.
    running.sort((a, b) => (a.store === b.store ? (a.name === 'ours' ? -1 : 1) : options.stores.indexOf(a.store) - options.stores.indexOf(b.store)));

    const ladders: LadderRecord[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const target of running) {
        if (options.quietWaitSeconds > 0) {
          const quiet = await waitForQuietMachine({ maxSeconds: options.quietWaitSeconds, thresholdPercent: 20 });
          if (!quiet.quiet) log(`machine still ${quiet.busyPercent}% busy after ${quiet.waitedSeconds} s; running anyway`);
        }
        log(`round ${round}/${options.rounds}: ${target.name} on ${target.store}`);
        const ladder = await runLadder({ target, options, log });
        ladders.push({ round, target: target.name, store: target.store, ...ladder });
        log(`round ${round} ${target.name} on ${target.store}: sustained ${ladder.sustainedRate} comments/s`);
        await sleep(PAUSE_BETWEEN_LADDERS_MS);
      }
    }
    const { pgAdminUrl: _pg, resultsDir: _dir, ...shownOptions } = options;
    return {
      benchmark: 'posting',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: shownOptions,
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
      ladders,
      summary: options.stores.map((store) => summariseStore(store, ladders)),
    };
  });
}

/** Runs the benchmark, prints the markdown summary and writes the JSON; returns the JSON's path. */
export async function runPostingCli(argv: string[]): Promise<string> {
  const options = parsePostingArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runPostingBenchmark(options);
  console.log(`\n${markdownSummary(report)}\n`);
  const file = writeReport(report, options.resultsDir);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

if (require.main === module) {
  runPostingCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
