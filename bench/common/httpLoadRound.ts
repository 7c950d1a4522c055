import http from 'node:http';
import { runHttpLoad, type HttpLoadResult } from '../render/httpLoad';
import { count, type Values } from './harness/flags';
import { alternateRounds } from './harness/rounds';
import { defineScenario, type Scenario } from './harness/scenario';
import { assertRunning } from './processSupervisor';
import { quietBeforeRound } from './quietMachine';
import type { SummaryCells } from './harness/summary';
import * as standard from './harness/standardFlags';
import { percentOfCore, sampleCpu } from './processCpu';
import { NOISY_FOREIGN_CPU_PERCENT } from './generatorProcess';
import { round } from './stats';

/** The flags of a closed-loop page load on a synthetic thread's article page; `roundsHelp` says what the rounds alternate. */
export function closedLoopPageFlags(roundsHelp: string) {
  return {
    comments: count('comments in the synthetic thread', { name: 'thread-comments' }),
    depth: count('its deepest reply level', { name: 'thread-depth' }),
    concurrency: count('requests in flight, closed loop on keep-alive sockets'),
    seconds: standard.seconds('measured seconds per target per round'),
    warmupSeconds: standard.warmupSeconds('seconds of load before each measurement'),
    rounds: standard.rounds(roundsHelp),
    ...standard.serverRunFlags(),
  };
}

type PageOptions = Values<ReturnType<typeof closedLoopPageFlags>>;

/**
 * What a closed-loop page scenario (bench/render, bench/pageCache) declares alike: its defaults and presets
 * around the thread's size and the load, its pinning (this process is the load generator: core 1, the servers
 * core 0) and its log line.
 */
export function closedLoopPageScenario<B>(
  spec: Pick<Scenario<PageOptions, B>, 'name' | 'flags' | 'run' | 'markdown' | 'summarise'> & { thread: { comments: number; depth: number; concurrency: number; smokeComments: number } },
): Scenario<PageOptions, B> {
  const { thread, ...scenario } = spec;
  return defineScenario<PageOptions, B>({
    ...scenario,
    defaults: { ...standard.STANDARD_DEFAULTS, comments: thread.comments, depth: thread.depth, concurrency: thread.concurrency, seconds: 10, warmupSeconds: 2, rounds: 3, quietWaitSeconds: 10 },
    presets: {
      quick: { seconds: 3, warmupSeconds: 1, rounds: 1, quietWaitSeconds: 3 },
      smoke: { comments: thread.smokeComments, concurrency: 2, seconds: 1, warmupSeconds: 0.3, rounds: 1, quietWaitSeconds: 0 },
    },
    services: [],
    pinning: 'self',
    describe: (o) => `${o.comments} comments (depth ${o.depth}); concurrency ${o.concurrency}; ${o.seconds} s (+${o.warmupSeconds} s warm-up) × ${o.rounds} round(s)`,
  });
}

/** One GET, its body whole. */
export function getPage(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** A closed-loop GET load on one server, with what its process and the rest of the machine spent meanwhile. */
export interface HttpLoadRound extends HttpLoadResult {
  serverCpuPercent: number | null;
  /** Server CPU time per answered request, µs: its cost, robust to waiting for a core on a busy machine. */
  serverCpuUsPerRequest: number | null;
  /** CPU of neither the server nor this process (the load generator) during the round. */
  foreignCpuPercent: number | null;
}

/** runHttpLoad against `url`, sampling the CPU of `pid` (the server answering it) around it. */
export async function measureHttpLoad(options: { url: string; pid: number; concurrency: number; seconds: number; warmupSeconds: number }): Promise<HttpLoadRound> {
  const pids = [options.pid, process.pid];
  const start = sampleCpu(pids);
  const result = await runHttpLoad(options);
  const end = sampleCpu(pids);
  const server = percentOfCore(start, end, options.pid);
  const machine = percentOfCore(start, end);
  const foreign = machine === null ? null : Math.max(0, Math.round((machine - (server ?? 0) - (percentOfCore(start, end, process.pid) ?? 0)) * 10) / 10);
  const cpuUs = server === null || result.allRequests === 0 ? null : round(((server / 100) * result.elapsedSeconds * 1e6) / result.allRequests, 1);
  return { ...result, serverCpuPercent: server, serverCpuUsPerRequest: cpuUs, foreignCpuPercent: foreign };
}

/** A page scenario's verdict on its throughput ratio, and whether every round ran clean (no error, the machine to itself). */
export function pageLoadVerdict(throughputRatio: number, target: number, rounds: readonly { errors: number; foreignCpuPercent: number | null }[]) {
  return {
    target,
    meetsTarget: throughputRatio >= target,
    trustworthy: rounds.every((x) => x.errors === 0 && (x.foreignCpuPercent ?? 0) <= NOISY_FOREIGN_CPU_PERCENT),
  };
}

/** A number for a results table: `–` where there is none. */
export function tableCell(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A page scenario's line in its results summary, from its medians, ratios and verdict. */
export function pageLoadSummaryCells(cells: { medians: string; ratios: string }, verdict: ReturnType<typeof pageLoadVerdict>): SummaryCells {
  return { ...cells, target: `pages/s ≥ ${verdict.target}×`, meetsTarget: verdict.meetsTarget, caveat: verdict.trustworthy ? undefined : 'errors or foreign load' };
}

/** One side of a page scenario: a variant's page on one server, whose process is measured. */
export interface PageSide<V extends string> {
  variant: V;
  url: string;
  pid: number;
}

/**
 * A page scenario's rounds: each side in turn (alternating, as every bench does), the machine let go quiet
 * before each, the servers checked alive, a closed-loop load on the side's page measured with its server's CPU.
 */
export async function pageLoadRounds<V extends string>(args: {
  sides: readonly PageSide<V>[];
  servers: Parameters<typeof assertRunning>[0];
  options: { rounds: number; quietWaitSeconds: number; concurrency: number; seconds: number; warmupSeconds: number };
  line(record: HttpLoadRound & { round: number; variant: V }): string;
  log(message: string): void;
}): Promise<(HttpLoadRound & { round: number; variant: V })[]> {
  const { options } = args;
  const { rounds } = await alternateRounds({
    rounds: options.rounds,
    sides: args.sides,
    label: (side) => side.variant,
    run: async (round, side) => {
      assertRunning(args.servers);
      await quietBeforeRound(options.quietWaitSeconds);
      return { round, variant: side.variant, ...(await measureHttpLoad({ url: side.url, pid: side.pid, concurrency: options.concurrency, seconds: options.seconds, warmupSeconds: options.warmupSeconds })) };
    },
    line: args.line,
    log: args.log,
    pauseMs: 300,
  });
  return rounds;
}
