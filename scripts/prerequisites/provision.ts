/**
 * `npm test` brings up what it needs when it can: starts PostgreSQL and Redis
 * when they are installed but down, installs Debian's Chromium and nginx when
 * they are missing and this user may (root, apt-get). What it cannot do it
 * says, with the command to run; the tests that need it then fail with their
 * own message (never a skip). The decisions are in plan.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findNginx } from '../../server/testing/nginx';
import { waitFor } from '../../server/testing/wait';
import { planPrerequisites, type Endpoint, type Facts, type PgCluster, type Step } from './plan';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** A cluster or a daemonized Redis is up within seconds; a cold PostgreSQL after a crash may replay its WAL first. */
const SERVICE_START_TIMEOUT_MS = 60_000;

export interface PrerequisiteOptions {
  pgAdminUrl: string;
  redisUrl: string;
  /** The browser the e2e tests drive; undefined when the run has no e2e tests. */
  chromiumPath: string | undefined;
  /** Whether the run holds the deployment tests, which run nginx. */
  nginx: boolean;
  log: (message: string) => void;
}

/** True when something accepts a TCP connection there (the clients' own checks follow in scripts/test.ts). */
export function accepts(endpoint: Endpoint, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host.replace(/^\[|\]$/g, ''), port: endpoint.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function endpointOf(url: string, defaultPort: number): Endpoint {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : defaultPort };
}

/** `pg_lsclusters` lines: "15  main  5432 online postgres /var/lib/… /var/log/…". */
export function parseClusters(output: string): PgCluster[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4 && /^\d+$/.test(fields[2]!))
    .map(([version, name, port, status]) => ({ version: version!, name: name!, port: Number(port), online: status!.startsWith('online') }));
}

function pgClusters(): PgCluster[] | undefined {
  if (!onPath('pg_lsclusters')) return undefined;
  const listed = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  return listed.status === 0 ? parseClusters(listed.stdout) : undefined;
}

function nginxPresent(): boolean {
  try {
    findNginx();
    return true;
  } catch {
    return false;
  }
}

export async function findFacts(options: Omit<PrerequisiteOptions, 'log'>): Promise<Facts> {
  const postgres = endpointOf(options.pgAdminUrl, 5432);
  const redis = endpointOf(options.redisUrl, 6379);
  return {
    root: process.getuid?.() === 0,
    aptGet: onPath('apt-get') !== undefined,
    postgres: { ...postgres, answers: await accepts(postgres), clusters: pgClusters() },
    redis: { ...redis, answers: await accepts(redis), server: onPath('redis-server') },
    chromium: options.chromiumPath === undefined ? undefined : { path: options.chromiumPath, present: fs.existsSync(options.chromiumPath), isDebianPath: options.chromiumPath === DEBIAN_CHROMIUM },
    nginx: options.nginx ? { present: nginxPresent() } : undefined,
    tmpDir: os.tmpdir(),
  };
}

/** A command as one would type it (an empty argument shows as ''). */
function shown(command: string[]): string {
  return command.map((arg) => (arg === '' ? "''" : arg)).join(' ');
}

/** Runs one step; returns why it failed, or undefined. */
async function carryOut(step: Step, log: (m: string) => void): Promise<string | undefined> {
  if (step.kind === 'cannot') return step.message;
  if (step.kind === 'start') {
    log(`starting ${step.what}: ${shown(step.command)}`);
    const started = spawnSync(step.command[0]!, step.command.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], timeout: SERVICE_START_TIMEOUT_MS });
    if (started.status !== 0) return `could not start ${step.what} (\`${step.command.join(' ')}\` ended with ${started.error?.message ?? `exit ${started.status ?? started.signal}`}).`;
    try {
      await waitFor(`${step.what} to accept connections`, () => accepts(step.endpoint, 1000), { timeoutMs: SERVICE_START_TIMEOUT_MS, intervalMs: 250 });
    } catch (err) {
      return `started ${step.what}, but ${(err as Error).message}.`;
    }
    return undefined;
  }
  log(`installing Debian's ${step.package} for ${step.what} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // The package lists first: on a fresh machine they may be missing or old.
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', step.package]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (result.status !== 0) return `could not install ${step.package} (\`apt-get ${args.join(' ')}\` ended with ${result.error?.message ?? `exit ${result.status ?? result.signal}`}).`;
  }
  return undefined;
}

/**
 * Checks, does what it may, then checks again: whatever is still missing is
 * returned as one message each (the caller fails the run with them).
 */
export async function provisionTestPrerequisites(options: PrerequisiteOptions): Promise<string[]> {
  const steps = planPrerequisites(await findFacts(options));
  if (steps.length === 0) {
    const programs = [options.chromiumPath && 'Chromium', options.nginx && 'nginx'].filter(Boolean);
    options.log(`PostgreSQL and Redis answer${programs.length ? `, ${programs.join(' and ')} ${programs.length > 1 ? 'are' : 'is'} installed` : ''}.`);
    return [];
  }
  const failures = new Map<string, string>();
  for (const step of steps) {
    const failure = await carryOut(step, options.log);
    if (failure) failures.set(step.what, failure);
  }
  // Trust no step's own report: what the plan still asks for now was not achieved.
  const left = planPrerequisites(await findFacts(options));
  for (const step of steps) if (step.kind !== 'cannot' && !left.some((l) => l.what === step.what)) options.log(`${step.what}: ready.`);
  return left.map((step) => failures.get(step.what) ?? (step.kind === 'cannot' ? step.message : `${step.what}: still missing after the attempt above.`));
}
