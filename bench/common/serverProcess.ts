import path from 'node:path';
import type { RunContext } from './harness/scenario';
import { watchForUnexpectedExit, type ManagedProcess } from './processSupervisor';
import { LISTENING_LINE, requireLoopback } from './targets/target';

/**
 * A server script (`server/main.ts`, a baseline server) run with tsx, pinned where the run pins
 * servers, until it prints the listening line; an unexpected exit later is reported with its output.
 * `cwd`: the checkout it runs from (the run's own by default; another for the code before a change).
 */
export async function startServerProcess(
  run: RunContext,
  spec: { name: string; script: string; env: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string },
): Promise<{ proc: ManagedProcess; url: string }> {
  // BENCH_SERVER_CPU_PROF=<dir>: each server writes V8 CPU profiles into <dir>/<name>-<time>/ when it exits (one per
  // thread: tsx's loader runs on a thread of its own), to find where a ratio's difference goes.
  const profileDir = process.env.BENCH_SERVER_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `${spec.name}-${Date.now()}`)}`, '--cpu-prof-interval=250'] : [];
  const proc = run.supervisor.spawn({ name: spec.name, command: process.execPath, args: [...profile, '--import', 'tsx', spec.script], cwd: spec.cwd ?? run.root, env: spec.env, cpu: run.serverCpu, echoStderr: true });
  const url = requireLoopback((await proc.waitForLine(LISTENING_LINE, spec.timeoutMs))[1] as string);
  watchForUnexpectedExit(proc, run.log);
  return { proc, url };
}
