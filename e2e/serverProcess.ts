import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createThreadService } from '../lib/services/threadService';
import { openStore } from '../lib/store';
import { freePort } from '../server/testing/freePort';

export const ROOT = path.resolve(__dirname, '..');

export interface ServerProcess {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then the exit code once the process has stopped. */
  stop(): Promise<number | null>;
  /** SIGKILL: a node dying without a goodbye. */
  kill(): Promise<void>;
}

/**
 * Starts the real server as `npm start` does (scripts/start.js: the compiled
 * server, production mode) on a free port with its own DATA_DIR, and resolves
 * once it says where it listens.
 */
export async function startServer(options: { seedsDir?: string; env?: Record<string, string>; port?: number; dataDir?: string } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-e2e-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEEDS_DIR: options.seedsDir ?? path.join(ROOT, 'seeds'),
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: '',
      REDIS_URL: '',
      // Every spec's browser is 127.0.0.1, and a worker's servers serve many specs: to the spam check that is
      // one address bringing hundreds of new commenters an hour, and the same sentences posted in a new thread
      // by every test (and retry) that uses them (docs/security.md, "Spam"; both tested in
      // server/tests/spam.integration.test.ts). A link in a first comment is still held, as in production.
      SPAM_NEW_GUESTS: 'off',
      SPAM_REPEATED_TEXT: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });

  return {
    baseUrl,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * The server mailing through a test SMTP server (server/testing/smtpServer.ts), with its public URL
 * its own address, so the links in its mails open it; `env` adds to (or overrides) that.
 */
export async function startMailingServer(smtpUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({ port, env: { SMTP_URL: smtpUrl, MAIL_FROM: 'Comments <comments@news.test>', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env } });
}

/**
 * Opens a new discussion on a running server, as a newsroom would (`npm run thread:create`: the same
 * thread service, on the server's store, from this process rather than a script of its own, which cost
 * over a second a thread); returns its slug.
 */
export async function createThread(server: Pick<ServerProcess, 'dataDir'> & { databaseUrl?: string }, title: string): Promise<string> {
  const store = await openStore({ dataDir: server.dataDir, databaseUrl: server.databaseUrl || undefined });
  try {
    return (await createThreadService({ store }).createThread({ title, article: '' })).slug;
  } finally {
    await store.close();
  }
}

/** A large generated thread (`npm run seed:synthetic`) in the server's store; returns its slug. */
export function createSyntheticThread(server: Pick<ServerProcess, 'dataDir'> & { databaseUrl?: string }, options: { comments: number; depth: number; seed?: number }): string {
  const args = ['--comments', String(options.comments), '--depth', String(options.depth), '--seed', String(options.seed ?? 1)];
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'seedSynthetic.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl ?? '' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`seed:synthetic failed: ${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1)!;
}

/** The first admin's password, printed once by a fresh embedded start. */
export function firstAdminPassword(server: ServerProcess): string {
  const match = /^\s+password: (\S+)$/m.exec(server.output());
  if (!match) throw new Error(`the server did not print a first admin password:\n${server.output()}`);
  return match[1]!;
}

/** `npm run user:create` against a running server's store, the password on standard input. */
export function createUser(server: Pick<ServerProcess, 'dataDir'> & { databaseUrl?: string }, user: { username: string; password: string; role: 'moderator' | 'admin' }): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'userCreate.ts'), '--username', user.username, '--role', user.role], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl ?? '' },
    input: `${user.password}\n`,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`user:create failed: ${result.stderr}`);
}
