import http from 'node:http';
import { runHttpLoad, type HttpLoadResult } from '../render/httpLoad';
import { count, type Values } from './harness/flags';
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
export function closedLoopPageScenario(thread: { comments: number; depth: number; concurrency: number; smokeComments: number }) {
  return {
    defaults: { ...standard.STANDARD_DEFAULTS, comments: thread.comments, depth: thread.depth, concurrency: thread.concurrency, seconds: 10, warmupSeconds: 2, rounds: 3, quietWaitSeconds: 10 },
    presets: {
      quick: { seconds: 3, warmupSeconds: 1, rounds: 1, quietWaitSeconds: 3 },
      smoke: { comments: thread.smokeComments, concurrency: 2, seconds: 1, warmupSeconds: 0.3, rounds: 1, quietWaitSeconds: 0 },
    },
    services: [] as ('redis' | 'postgres')[],
    pinning: 'self' as const,
    describe: (o: Pick<PageOptions, 'comments' | 'depth' | 'concurrency' | 'seconds' | 'warmupSeconds' | 'rounds'>) =>
      `${o.comments} comments (depth ${o.depth}); concurrency ${o.concurrency}; ${o.seconds} s (+${o.warmupSeconds} s warm-up) × ${o.rounds} round(s)`,
  };
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
