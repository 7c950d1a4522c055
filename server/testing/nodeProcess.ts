import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { within } from './wait';

const ENTRY = path.join(__dirname, 'nodeMain.ts');

export interface NodeProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL: a node dying without a goodbye. */
  kill(): Promise<void>;
  /** Sends a signal and returns at once. */
  signal(signal: NodeJS.Signals): void;
}

/** A real node process (server/testing/nodeMain.ts) on a free port; resolves once it listens. */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    // As TEST_SPAM_SETTINGS (nodes.ts): every test client is 127.0.0.1, so no new-guest burst.
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', SPAM_NEW_GUESTS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const baseUrl = await within(
    'a node process to listen',
    new Promise<string>((resolve, reject) => {
      const onData = () => {
        const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
        if (match) {
          child.stdout!.off('data', onData);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      void exited.then(({ code }) => reject(new Error(`the node process exited (${code}) before listening:\n${output}`)));
    }),
    30_000,
  );
  return {
    baseUrl,
    child,
    output: () => output,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    signal(signal) {
      child.kill(signal);
    },
  };
}
