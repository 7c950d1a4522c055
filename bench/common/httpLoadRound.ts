import http from 'node:http';
import { runHttpLoad, type HttpLoadResult } from '../render/httpLoad';
import { count } from './harness/flags';
import * as standard from './harness/standardFlags';
import { percentOfCore, sampleCpu } from './processCpu';
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
