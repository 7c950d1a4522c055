import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './freePort';
import { waitFor } from './wait';

const run = promisify(execFile);

/** Debian's PostgreSQL binaries; PG_BIN overrides. */
const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

export interface OwnPostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  /** A fast shutdown (`pg_ctl stop -m fast`): sessions are ended, as in a real restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  close(): Promise<void>;
}

/**
 * PostgreSQL refuses to run as root; as root, its files and process belong to
 * the `postgres` OS user (runuser), otherwise to the current user.
 */
function asServerUser(): { command: (bin: string, args: string[]) => [string, string[]]; owner: { uid: number; gid: number } | undefined } {
  if (process.getuid?.() !== 0) return { command: (bin, args) => [bin, args], owner: undefined };
  let info: { uid: number; gid: number };
  try {
    const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
    if (!passwd) throw new Error('no line for postgres in /etc/passwd');
    const [, , uid, gid] = passwd.split(':');
    info = { uid: Number(uid), gid: Number(gid) };
  } catch (err) {
    throw new Error(`running as root, so PostgreSQL needs the "postgres" OS user, which was not found: ${(err as Error).message}`, { cause: err });
  }
  return { command: (bin, args) => ['runuser', ['-u', 'postgres', '--', bin, ...args]], owner: info };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A PostgreSQL server of the test's own (initdb into a temp dir, its own
 * port, a socket dir of its own), that the test may stop and start again: a
 * real database restart without touching the machine's shared PostgreSQL.
 */
export async function startPostgresServer(): Promise<OwnPostgresServer> {
  const user = asServerUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-pg-'));
  if (user.owner) fs.chownSync(dir, user.owner.uid, user.owner.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  async function exec(bin: string, args: string[]): Promise<void> {
    const [command, argv] = user.command(path.join(PG_BIN, bin), args);
    try {
      await run(command, argv, { cwd: dir, timeout: 60_000 });
    } catch (err) {
      const e = err as Error & { stderr?: string; code?: string };
      const hint = e.code === 'ENOENT' ? ` (is PostgreSQL installed in ${PG_BIN}? set PG_BIN otherwise)` : '';
      let log = '';
      try {
        log = fs.readFileSync(logFile, 'utf8').slice(-2000);
      } catch {
        // No log yet.
      }
      throw new Error(`${bin} ${args.join(' ')} failed${hint}: ${e.stderr?.trim() || e.message}${log ? `\nserver log:\n${log}` : ''}`, { cause: err });
    }
  }

  const start = async () => {
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    await waitFor(`the test's own PostgreSQL on port ${port} to answer`, () => answers(url), { timeoutMs: 20_000 });
  };
  const stop = async () => {
    if (!fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return;
    await exec('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };

  try {
    await exec('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await start();
  } catch (err) {
    await stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    start,
    stop,
    async close() {
      try {
        await stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
