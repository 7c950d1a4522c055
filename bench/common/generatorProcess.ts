import path from 'node:path';
import { percentOfCore, postgresPids, sampleCpu, type CpuSample } from './processCpu';
import type { ManagedProcess, ProcessSupervisor } from './processSupervisor';
import type { QuietWait } from './quietMachine';
import type { RunningTarget } from './targets/target';

/** A generator prints these when its measured window opens and closes, so server CPU is sampled over the same window. */
export const WINDOW_START_LINE = 'FANOUT_WINDOW_START';
export const WINDOW_END_LINE = 'FANOUT_WINDOW_END';
/** The generator saturates beyond this share of its core; its numbers then describe itself, not the server. */
export const GENERATOR_CPU_LIMIT_PERCENT = 80;

/** Foreign load above this (% of one core) marks a round as noisy. */
export const NOISY_FOREIGN_CPU_PERCENT = 20;

/** CPU over a generator's measured window (between its WINDOW_START and WINDOW_END lines). */
export interface WindowCpu {
  /** Each server node's CPU over the measured window, % of one core (null where /proc was unreadable). */
  serverCpuPercent: (number | null)[];
  redisCpuPercent: number | null;
  postgresCpuPercent: number | null;
  /**
   * Machine-wide busy CPU over the window minus everything the benchmark accounts for (nodes, generator,
   * Redis, PostgreSQL): someone else's load on this shared machine. High values make the round noise.
   */
  foreignCpuPercent: number | null;
  noisy: boolean;
}

export interface GeneratorRun {
  /** `bench/<scenario>/loadGenerator.ts`, relative to the repository root. */
  script: string;
  /** The plan goes to the generator as JSON in this environment variable. */
  planEnv: string;
  plan: unknown;
  /** The generator prints its result as one stdout line: this prefix, then JSON. */
  resultPrefix: string;
  target: RunningTarget;
  supervisor: ProcessSupervisor;
  root: string;
  /** CPU to pin the generator to (undefined: not pinned). */
  cpu: number | undefined;
  redisPid: number | null;
  /** A hung generator is stopped after this long. */
  timeoutMs: number;
  /** For the error message: which round this was. */
  label: string;
}

/**
 * Runs one load generator process (pinned to its own core) to its end. Server,
 * Redis, PostgreSQL and machine CPU are sampled when the generator prints that
 * its measured window opens and closes, so every figure covers the same span.
 */
export async function runGenerator<R>(run: GeneratorRun): Promise<{ result: R; cpu: WindowCpu }> {
  const { target } = run;
  const generator = spawnGenerator({ ...run, name: `generator-${target.name}` });

  let windowStart: CpuSample | undefined;
  let windowEnd: CpuSample | undefined;
  let pgPids: number[] = [];
  let result: R | undefined;
  const sample = () => sampleCpu([...target.nodePids, generator.pid, ...(run.redisPid === null ? [] : [run.redisPid]), ...pgPids]);
  generator.onLine((line, stream) => {
    if (stream !== 'stdout') return;
    if (line === WINDOW_START_LINE) {
      pgPids = postgresPids(target.databaseName);
      windowStart = sample();
    } else if (line === WINDOW_END_LINE && windowStart) windowEnd = sample();
    else if (line.startsWith(run.resultPrefix)) result = JSON.parse(line.slice(run.resultPrefix.length)) as R;
  });

  const timer = setTimeout(() => void generator.stop(), run.timeoutMs);
  const code = await generator.exited;
  clearTimeout(timer);
  // A dead node explains a failed or lossy round better than the generator's view of it.
  target.assertHealthy();
  if (code !== 0 || !result) throw new Error(`load generator ${path.basename(path.dirname(run.script))} failed (exit ${code}) on ${target.name}, ${run.label}:\n${generator.tail()}`);
  return { result, cpu: windowCpu({ start: windowStart, end: windowEnd, nodePids: target.nodePids, generatorPid: generator.pid, redisPid: run.redisPid, pgPids }) };
}

function windowCpu(args: { start: CpuSample | undefined; end: CpuSample | undefined; nodePids: number[]; generatorPid: number; redisPid: number | null; pgPids: number[] }): WindowCpu {
  const { start, end } = args;
  if (!start || !end) return { serverCpuPercent: args.nodePids.map(() => null), redisCpuPercent: null, postgresCpuPercent: null, foreignCpuPercent: null, noisy: false };
  const of = (pid: number) => percentOfCore(start, end, pid);
  const serverCpuPercent = args.nodePids.map(of);
  const redisCpuPercent = args.redisPid === null ? null : of(args.redisPid);
  // Backends may come and go; those present at both ends are counted.
  const postgresCpuPercent = args.pgPids.length === 0 ? null : Math.round(args.pgPids.reduce((sum, pid) => sum + (of(pid) ?? 0), 0) * 10) / 10;
  const machine = percentOfCore(start, end);
  const generator = of(args.generatorPid);
  const accounted = [...serverCpuPercent, redisCpuPercent, postgresCpuPercent, generator];
  const foreignCpuPercent = machine === null || generator === null ? null : Math.max(0, Math.round((machine - accounted.reduce<number>((a, v) => a + (v ?? 0), 0)) * 10) / 10);
  return { serverCpuPercent, redisCpuPercent, postgresCpuPercent, foreignCpuPercent, noisy: (foreignCpuPercent ?? 0) > NOISY_FOREIGN_CPU_PERCENT };
}

/** Starts a generator process (`tsx <script>`, pinned to `cpu`) with its plan in `planEnv`; its stderr is echoed. */
export function spawnGenerator(spec: { name: string; script: string; planEnv: string; plan: unknown; supervisor: ProcessSupervisor; root: string; cpu: number | undefined }): ManagedProcess {
  return spec.supervisor.spawn({
    name: spec.name,
    command: process.execPath,
    args: ['--import', 'tsx', spec.script],
    cwd: spec.root,
    env: { ...process.env, NODE_ENV: 'production', [spec.planEnv]: JSON.stringify(spec.plan) },
    cpu: spec.cpu,
    echoStderr: true,
  });
}

/** Warnings a round's log line ends with: a saturated generator, dropped readers, foreign load, a machine that never went quiet. */
export function roundWarnings(r: WindowCpu & { quietWait: QuietWait | null }, res: { generatorSaturated: boolean; generatorCpuPercent: number; disconnects: number }, own: string[]): string[] {
  return [
    res.generatorSaturated ? `⚠ generator ${res.generatorCpuPercent}% > ${GENERATOR_CPU_LIMIT_PERCENT}%` : '',
    ...own,
    res.disconnects > 0 ? `⚠ ${res.disconnects} readers disconnected` : '',
    r.noisy ? `⚠ noisy: ${r.foreignCpuPercent}% of a core used by other processes` : '',
    r.quietWait && !r.quietWait.quiet ? `(machine still ${r.quietWait.busyPercent}% busy after ${r.quietWait.waitedSeconds} s wait)` : '',
  ].filter(Boolean);
}

/** In a generator: the pause between "everyone subscribed" and the first send, so join-time traffic (presence…) settles first. */
export const READERS_SETTLE_MS = 1000;
/** In a generator: lead time before send 0 is due, so the first send is on schedule. */
export const SEND_LEAD_MS = 50;

/** A generator's progress goes to stderr (the orchestrator echoes it); stdout carries its protocol lines. */
export function generatorLog(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The environment variable a scenario's generator gets its plan in, and the prefix of its one result line. */
export function generatorChannel(scenario: string): { planEnv: string; resultPrefix: string } {
  const name = scenario.toUpperCase();
  return { planEnv: `${name}_PLAN`, resultPrefix: `${name}_RESULT ` };
}

/** What a reader-holding generator reports about its readers and itself, whatever it measures. */
export interface GeneratorReport {
  /** Events other than the measured ones (presence, sync…) while measuring, and the same by event name. */
  otherEvents: number;
  otherEventsByName: Record<string, number>;
  /** Readers that dropped before the round ended (their missing deliveries count as lost). */
  disconnects: number;
  /** How late the generator sent compared with its schedule: large values mean it stalled. */
  sendLagMs: { p99: number; max: number };
  connectSeconds: number;
  /** Generator CPU over its measured window, % of one core. */
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  /** Generator CPU time per delivery in the window, µs: its cost model, robust to time spent waiting for a core. */
  generatorCpuMicrosPerDelivery: number;
  windowSeconds: number;
}

/** In a generator process: its plan, from the environment variable the orchestrator set. */
export function readPlan<T>(envName: string, orchestrator: string): T {
  const raw = process.env[envName];
  if (!raw) throw new Error(`${envName} is not set: run the generator through ${orchestrator}`);
  return JSON.parse(raw) as T;
}
