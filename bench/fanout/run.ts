/**
 * bench/fanout: publish-to-receive latency of a live comment, as readers feel
 * it, for Threadline ("ours") and a bare Socket.IO + Redis adapter baseline,
 * side by side in one run. `npm run bench:fanout -- --help` for options;
 * docs/benchmarks.md for the method.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../common/clock';
import { parseFanoutArgs, UsageError, type FanoutOptions } from './options';
import type { TargetName } from '../common/targets/target';
import { withBenchSession } from '../common/benchSession';
import { pinningAvailable, type ProcessSupervisor } from '../common/processSupervisor';
import { localRedisPid } from '../common/redisKeys';
import { compare, environment, markdownSummary, roundLine, summariseTarget, writeReport, type FanoutReport } from './report';
import { runRound, type RoundRecord } from './runRound';
import { baselineTarget } from '../common/targets/baselineTarget';
import type { FanoutTarget, RunningTarget, TargetContext } from '../common/targets/target';
import { threadlineTarget } from '../common/targets/threadlineTarget';
import type { RedisAdapterMode } from '../../server/redisEndpoint';

const ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** Servers share core 0; the generator has core 1 to itself, so it never competes with what it measures. */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;
/** Lets the last round's sockets close and the servers settle before the next round connects. */
export const PAUSE_BETWEEN_ROUNDS_MS = 1500;

const TARGETS: Record<TargetName, FanoutTarget> = { ours: threadlineTarget, baseline: baselineTarget };

function log(message: string): void {
  process.stderr.write(`[fanout] ${message}\n`);
}

export async function runFanoutBenchmark(options: FanoutOptions): Promise<FanoutReport> {
  const startedAt = new Date().toISOString();
  const pinned = options.pin && pinningAvailable();
  const env = environment(pinned);
  return withBenchSession(log, async ({ supervisor, registerCleanup }) => {
    const skipped: FanoutReport['skipped'] = {};
    const targets: FanoutTarget[] = [];
    for (const name of options.targets) {
      const reason = TARGETS[name].unavailableReason(ROOT);
      if (reason) {
        skipped[name] = reason;
        log(`skipping ${name}: ${reason}`);
      } else targets.push(TARGETS[name]);
    }
    if (targets.length === 0) throw new Error('no target can run');
    // ours first within each round: alternating ours, baseline, ours, baseline… spreads drift over both.
    targets.sort((a, b) => (a.name === 'ours' ? -1 : b.name === 'ours' ? 1 : 0));

    log(
      `${options.nodes} node(s)${options.nodes === 1 ? ' (no Redis)' : ` + Redis (${options.adapter} adapter)`}, ${options.readers} readers, ${options.rate} comments/s, ${options.seconds} s (+${options.warmupSeconds} s warm-up), ${options.rounds} round(s); ` +
        `targets ${targets.map((t) => t.name).join(', ')}; ${pinned ? `servers on CPU ${SERVER_CPU}, generator on CPU ${GENERATOR_CPU}` : 'not pinned'}; ` +
        `load average ${env.loadAverageAtStart.join(' ')}`,
    );
    if ((env.loadAverageAtStart[0] ?? 0) > env.cpus * 0.5) log(`note: the machine is already busy (load ${env.loadAverageAtStart[0]}); numbers will be noisier`);

    const context = targetContext({ options, supervisor, registerCleanup, pinned, log });
    // The baseline starts in a second; start it first so a Redis problem shows before Threadline's longer start.
    const running: RunningTarget[] = [];
    const startOrder = [...targets.filter((t) => t.name === 'baseline'), ...targets.filter((t) => t.name !== 'baseline')];
    for (const target of startOrder) running.push(await target.start(context));
    const redisPid = options.nodes > 1 ? await localRedisPid(options.redisUrl) : null;

    const rounds: RoundRecord[] = [];
    const discarded: RoundRecord[] = [];
    let retriesLeft = options.retryNoisy;
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const target of targets) {
        const live = running.find((r) => r.name === target.name) as RunningTarget;
        for (;;) {
          log(`round ${round}/${options.rounds}: ${target.name}`);
          const record = await runRound({ round, target: live, options, supervisor, root: ROOT, generatorCpu: pinned ? GENERATOR_CPU : undefined, redisPid });
          log(roundLine(record));
          await sleep(PAUSE_BETWEEN_ROUNDS_MS);
          // Redone at once, so the ours/baseline alternation holds; the discarded round stays in the JSON.
          if (record.noisy && retriesLeft > 0) {
            retriesLeft -= 1;
            discarded.push(record);
            log(`round ${round} ${target.name} ran beside foreign load: redoing it (${retriesLeft} retries left)`);
            continue;
          }
          rounds.push(record);
          break;
        }
      }
    }

    const summary = targets.map((t) => summariseTarget(t.name, rounds));
    const { pgAdminUrl: _pg, redisUrl: _redis, resultsDir: _dir, ...shownOptions } = options;
    return {
      benchmark: 'fanout',
      startedAt,
      finishedAt: new Date().toISOString(),
      options: shownOptions,
      environment: { ...env, loadAverageAtEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
      skipped,
      rounds,
      discardedRounds: discarded,
      summary,
      comparison: compare(summary, rounds, options.nodes),
    };
  });
}

/** What a target needs to start its nodes, for any scenario that starts targets (bench/lock too). */
export function targetContext(args: {
  options: { redisUrl: string; pgAdminUrl: string; startTimeoutSeconds: number; adapter?: RedisAdapterMode; nodes?: 1 | 2 };
  /** Extra Node.js flags for the server processes. */
  nodeArgs?: string[];
  supervisor: ProcessSupervisor;
  registerCleanup: (cleanup: () => Promise<void>) => void;
  pinned: boolean;
  log: (message: string) => void;
}): TargetContext {
  return {
    root: ROOT,
    redisUrl: args.options.redisUrl,
    redisAdapter: args.options.adapter ?? 'classic',
    nodes: args.options.nodes ?? 2,
    nodeArgs: args.nodeArgs ?? [],
    pgAdminUrl: args.options.pgAdminUrl,
    supervisor: args.supervisor,
    serverCpu: args.pinned ? SERVER_CPU : undefined,
    runTag: randomBytes(3).toString('hex'),
    startTimeoutMs: args.options.startTimeoutSeconds * 1000,
    log: args.log,
    registerCleanup: args.registerCleanup,
  };
}

/** Runs the benchmark, prints the markdown summary on stdout and writes the JSON; returns the JSON's path. */
export async function runFanoutCli(argv: string[]): Promise<string> {
  const options = parseFanoutArgs(argv, { resultsDir: DEFAULT_RESULTS_DIR });
  const report = await runFanoutBenchmark(options);
  console.log(`\n${markdownSummary(report)}\n`);
  const file = writeReport(report, options.resultsDir);
  log(`results: ${path.relative(process.cwd(), file)}`);
  return file;
}

/** Usage errors print the usage (exit 2, or 0 for --help); anything else its stack (exit 1). */
export function exitOnCliError(err: unknown): never {
  if (err instanceof UsageError) {
    console.error(err.isHelp ? err.message : `${err.message}\n\n${err.usage}`);
    process.exit(err.isHelp ? 0 : 2);
  }
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
}

if (require.main === module) {
  runFanoutCli(process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
