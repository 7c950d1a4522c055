import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';

export interface SpawnSpec {
  /** Shown in logs and errors. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Pin to this CPU with `taskset -c` (when pinning is available). */
  cpu?: number | undefined;
  /** Copy the child's stderr lines to ours, prefixed with its name. */
  echoStderr?: boolean;
  /** Written to the child's stdin, which is then closed (a password, say: never on the command line). */
  input?: string;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  /** Resolves with the first output line (stdout or stderr) matching; rejects on timeout or if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  onLine(listener: (line: string, stream: 'stdout' | 'stderr') => void): void;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** How it ended, once it has: "code 1" or "signal SIGKILL"; undefined while it runs. */
  exitDescription(): string | undefined;
  /** Whether stop() was called: an exit after that is expected. */
  stopping(): boolean;
  /** The last lines of output, for error messages. */
  tail(): string;
  stop(): Promise<void>;
  /** Sends `signal` to its group at once, as an expected end (bench/reconnect's SIGKILL of a node). */
  kill(signal: NodeJS.Signals): void;
}

const TAIL_LINES = 40;
const STOP_GRACE_MS = 6000;

let pinning: boolean | undefined;

/** taskset exists and there are at least two CPUs to split between servers and generator. */
export function pinningAvailable(): boolean {
  pinning ??= os.availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  return pinning;
}

/**
 * Reports a server process that ends while the benchmark still needs it, with
 * how it ended and its last lines (stdout included), instead of leaving a bare
 * ECONNREFUSED for the next request to find.
 */
export function watchForUnexpectedExit(proc: ManagedProcess, report: (message: string) => void): void {
  void proc.exited.then(() => {
    if (!proc.stopping()) report(`${proc.name} (pid ${proc.pid}) exited unexpectedly (${proc.exitDescription()}); its last output:\n${proc.tail()}`);
  });
}

/** Throws if any of these processes has ended (and nobody asked it to). */
export function assertRunning(procs: ManagedProcess[]): void {
  const gone = procs.filter((p) => p.exitDescription() !== undefined && !p.stopping());
  if (gone.length > 0) {
    throw new Error(gone.map((p) => `${p.name} (pid ${p.pid}) is gone (${p.exitDescription()}); its last output:\n${p.tail()}`).join('\n'));
  }
}

/**
 * Every child the benchmark starts goes through here, so one call stops them
 * all — on success, on error and on Ctrl-C. Each child leads its own process
 * group (detached), so wrappers like `npm run` are stopped with what they started.
 */
export class ProcessSupervisor {
  private readonly running = new Set<ManagedProcess>();

  spawn(spec: SpawnSpec): ManagedProcess {
    const pinned = spec.cpu !== undefined && pinningAvailable();
    const command = pinned ? 'taskset' : spec.command;
    const args = pinned ? ['-c', String(spec.cpu), spec.command, ...spec.args] : spec.args;
    const child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
    const managed = manage(child, spec, () => this.running.delete(managed));
    this.running.add(managed);
    return managed;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((p) => p.stop()));
  }
}

function manage(child: ChildProcess, spec: SpawnSpec, forget: () => void): ManagedProcess {
  const pid = child.pid as number;
  const tail: string[] = [];
  const listeners: ((line: string, stream: 'stdout' | 'stderr') => void)[] = [];
  let exitCode: number | null | undefined;
  let exitDescription: string | undefined;
  let stopRequested = false;

  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitDescription = signal ? `signal ${signal}` : `code ${code}`;
      forget();
      resolve(code);
    });
    child.on('error', (err) => {
      tail.push(`[spawn error] ${err.message}`);
      exitCode = 127;
      exitDescription = `spawn error: ${err.message}`;
      forget();
      resolve(127);
    });
  });

  const watch = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    readline.createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (name === 'stderr' && spec.echoStderr) process.stderr.write(`[${spec.name}] ${line}\n`);
      for (const listener of listeners) listener(line, name);
    });
  };
  watch(child.stdout, 'stdout');
  watch(child.stderr, 'stderr');
  // A child that exits early may close its stdin under us; that is not our error.
  child.stdin?.on('error', () => undefined);
  if (spec.input !== undefined) child.stdin?.end(spec.input);

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };

  const managed: ManagedProcess = {
    name: spec.name,
    pid,
    exited,
    tail: () => tail.join('\n'),
    exitDescription: () => exitDescription,
    stopping: () => stopRequested,
    onLine: (listener) => listeners.push(listener),
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${spec.name}: no line matching ${pattern} within ${timeoutMs / 1000} s\n${managed.tail()}`)), timeoutMs);
        listeners.push((line) => {
          const match = pattern.exec(line);
          if (!match) return;
          clearTimeout(timer);
          resolve(match);
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${spec.name} exited (code ${code}) before printing ${pattern}\n${managed.tail()}`));
        });
      });
    },
    kill(signal) {
      stopRequested = true;
      signalGroup(signal);
    },
    async stop() {
      stopRequested = true;
      if (exitCode !== undefined) return;
      child.stdin?.end();
      signalGroup('SIGTERM');
      const killTimer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killTimer);
      // Anything the child left behind in its group (e.g. under `npm run`).
      signalGroup('SIGKILL');
    },
  };
  return managed;
}
