/**
 * bench/lock: how long a moderator's lock takes to reach every reader, beside
 * one comment's fan-out measured in the same rounds on the same readers.
 * Threadline only (two nodes, PostgreSQL, Redis, as bench/fanout starts them).
 * `npm run bench:lock -- --help` for options; docs/benchmarks.md for the method.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBenchSession } from '../common/benchSession';
import { sleep } from '../common/clock';
import { pinningAvailable } from '../common/processSupervisor';
import { localRedisPid } from '../common/redisKeys';
import { environment } from '../fanout/report';
import { DEFAULT_RESULTS_DIR, exitOnCliError, GENERATOR_CPU, PAUSE_BETWEEN_ROUNDS_MS, SERVER_CPU, targetContext } from '../fanout/run';
import { round } from '../common/stats';
import { threadlineTarget } from '../common/targets/threadlineTarget';
import { signInModerator } from './moderator';
import { parseLockArgs, type LockOptions } from './options';
import { lockMarkdownSummary, lockRoundLine, summariseLock, writeLockReport, type LockReport } from './report';
import { runLockRound, type LockRoundRecord } from './runRound';

const ROOT = path.resolve(__dirname, '..', '..');

function log(message: string): void {
  process.stderr.write(`[lock] ${message}\n`);
}

/** Null when the lock benchmark can run against this checkout, or why not. */
function unavailableReason(): string | null {
  const reason = threadlineTarget.unavailableReason(ROOT);
  if (reason) return reason;
  if (!fs.readFileSync(path.join(ROOT, 'server', 'http', 'staffRoutes.ts'), 'utf8').includes("'lock' : 'unlock'")) return 'the API has no thread lock route yet';
  if (!fs.existsSync(path.join(ROOT, 'scripts', 'userCreate.ts'))) return 'scripts/userCreate.ts is missing';
  return null;
}

export async function runLockBenchmark(options: LockOptions): Promise<LockReport> {
  const startedAt = new Date().toISOString();
  const pinned = options.pin && pinningAvailable();
  const env = environment(pinned);
  const reason = unavailableReason();
  if (reason) throw new Error(`the lock benchmark cannot run: ${reason}`);

  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    log(
      `${options.readers} readers, ${options.lockEvents} lock/unlock + ${options.comments} comments per round, one every ${options.intervalMs} ms, ${options.rounds} round(s); ` +
        `${pinned ? `servers on CPU ${SERVER_CPU}, generator on CPU ${GENERATOR_CPU}` : 'not pinned'}; load average ${env.loadAverageAtStart.join(' ')}`,
    );
    if ((env.loadAverageAtStart[0] ?? 0) > env.cpus * 0.5) log(`note: the machine is already busy (load ${env.loadAverageAtStart[0]}); numbers will be noisier`);

    const target = await threadlineTarget.start(targetContext({ options, supervisor, registerCleanup, pinned, log }));
    const moderator = await signInModerator({ target, supervisor, root: ROOT, log });
    const redisPid = await localRedisPid(options.redisUrl);

    const rounds: LockRoundRecord[] = [];
    const discarded: LockRoundRecord[] = [];
    let retriesLeft = options.retryNoisy;
    for (let n = 1; n <= options.rounds; n += 1) {
      for (;;) {
        log(`round ${n}/${options.rounds}`);
        const record = await runLockRound({ round: n, target, moderator, options, supervisor, root: ROOT, generatorCpu: pinned ? GENERATOR_CPU : undefined, redisPid });
        log(lockRoundLine(record));
        await sleep(PAUSE_BETWEEN_ROUNDS_MS);
        if (record.noisy && retriesLeft > 0) {
          retriesLeft -= 1;
          discarded.push(record);
          log(`round ${n} ran beside foreign load: redoing it (${retriesLeft} retries left)`);
          continue;
        }
        rounds.push(record);
        break;
      }
    }

    const { pgAdminUrl: _pg, redisUrl: _redis, resultsDir: _dir, ...shownOptions } = options;
    return {
      benchmark: 'lock',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: shownOptions,
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
      rounds,
      discardedRounds: discarded,
      summary: summariseLock(rounds),
    };
  });
}

/** Runs the benchmark, prints the markdown summary on stdout and writes the JSON; returns the JSON's path. */
export async function runLockCli(argv: string[]): Promise<string> {
  const options = parseLockArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runLockBenchmark(options);
  console.log(`\n${lockMarkdownSummary(report)}\n`);
  const file = writeLockReport(report, options.resultsDir);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

if (require.main === module) {
  runLockCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
