import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './freePort';
import { waitFor } from './wait';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own: `masters` redis-server processes (no
 * replicas) on free ports, with their cluster state in a temporary directory,
 * joined by `redis-cli --cluster create`. Started from Debian's binaries; a
 * missing binary fails with a clear message.
 */
export class OwnRedisCluster {
  private constructor(
    private readonly dir: string,
    private readonly children: ChildProcess[],
    readonly ports: number[],
  ) {}

  /** The seed URLs, as REDIS_CLUSTER_NODES lists them. */
  get urls(): string[] {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`);
  }

  static async start(options: { masters: number }): Promise<OwnRedisCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'threadline-redis-cluster-'));
    const ports: number[] = [];
    const children: ChildProcess[] = [];
    const cluster = new OwnRedisCluster(dir, children, ports);
    try {
      for (let i = 0; i < options.masters; i++) {
        const [port, busPort] = [await freePort(), await freePort()];
        ports.push(port);
        children.push(spawnMaster({ dir, port, busPort }));
      }
      await Promise.all(
        children.map((child, i) =>
          Promise.race([
            exitedEarly(child, ports[i]!),
            waitFor(`redis-server on port ${ports[i]} to answer`, () => answers(ports[i]!), { timeoutMs: 10_000 }),
          ]),
        ),
      );
      await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
        timeout: 30_000,
      }).catch((err: Error) => {
        throw new Error(`redis-cli --cluster create failed (is Debian's redis-tools installed?): ${err.message}`, { cause: err });
      });
      // Every master must know the whole slot map before a client asks any of them.
      await waitFor('cluster_state:ok on every master', async () => (await Promise.all(ports.map(clusterOk))).every(Boolean), { timeoutMs: 20_000 });
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await rm(this.dir, { recursive: true, force: true });
  }
}

function spawnMaster(options: { dir: string; port: number; busPort: number }): ChildProcess {
  const { dir, port, busPort } = options;
  const args = [
    ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir],
    ...['--save', '', '--appendonly', 'no'],
  ];
  return spawn('redis-server', args, { stdio: 'ignore' });
}

function exitedEarly(child: ChildProcess, port: number): Promise<never> {
  return new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`cannot start redis-server (is Debian's redis-server ≥ 7 installed?): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}) while starting`)));
  });
}

async function withClient<T>(port: number, use: (client: Redis) => Promise<T>, otherwise: T): Promise<T> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } catch {
    return otherwise;
  } finally {
    client.disconnect();
  }
}

const answers = (port: number) => withClient(port, async (c) => (await c.ping()) === 'PONG', false);
const clusterOk = (port: number) => withClient(port, async (c) => String(await c.cluster('INFO')).includes('cluster_state:ok'), false);
