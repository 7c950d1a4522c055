/**
 * `npm run bench:redisClients`: node-redis against ioredis on Threadline's own
 * Redis paths (issue 12, part 6): fan-out through @socket.io/redis-adapter
 * (classic and sharded, one Redis and a Redis Cluster of the bench's own), the
 * rate limiter (rate-limiter-flexible's RateLimiterRedis), and recovery after
 * a Redis restart and a CLIENT KILL of the subscriber (a Redis server of the
 * bench's own). Rounds alternate which client goes first; the report is the
 * median of the rounds and the ratio node-redis / ioredis.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OwnRedisCluster } from '../../server/testing/redisCluster';
import { OwnRedisServer } from '../../server/testing/redisServer';
import { parseBenchFlags } from '../common/cli';
import { FANOUT_FLAGS, positive, UsageError } from '../fanout/options';
import { benchRedisPrefix, deleteKeysWithPrefix } from '../fanout/redisKeys';
import { exitOnCliError } from '../fanout/run';
import { median } from '../fanout/stats';
import { CLIENT_KINDS, type ClientKind, type Endpoint } from './clients';
import { runFanout, type FanoutSize } from './fanout';
import { runFault } from './faults';
import { runLimiter, type LimiterSize } from './limiter';

const ROOT = path.resolve(__dirname, '..', '..');
const USAGE = `Usage: npm run bench:redisClients -- [options]

  --rounds N        rounds per case, alternating which client goes first (default 5; --smoke: 1)
  --cases LIST      comma-separated case names, or a prefix such as fanout (default: all)
  --smoke           tiny sizes, one round: proves every case runs
  --no-pin          accepted for the smoke runner; this bench does not pin
  --results-dir DIR where the summary JSON goes (default bench/results)
  --help`;

// The flags every bench shares, as fan-out defines them; --cases is this bench's own.
const { rounds, smoke, 'no-pin': noPin, 'results-dir': resultsDir, help } = FANOUT_FLAGS;
const FLAGS = { rounds, smoke, 'no-pin': noPin, 'results-dir': resultsDir, help, cases: { type: 'string' } } as const;

interface Sizes {
  fanout: FanoutSize;
  limiter: LimiterSize;
}
const FULL: Sizes = { fanout: { readers: 4, rate: 400, seconds: 4, payloadBytes: 400 }, limiter: { calls: 5000, concurrency: 16, keys: 100 } };
const SMOKE: Sizes = { fanout: { readers: 2, rate: 100, seconds: 1, payloadBytes: 400 }, limiter: { calls: 300, concurrency: 4, keys: 10 } };

/** Where a case runs: the shared Redis, the bench's own cluster, or the bench's own restartable server. */
interface Services {
  redisUrl: string;
  cluster(): Promise<OwnRedisCluster>;
  ownServer(): Promise<OwnRedisServer>;
}

type Metrics = Record<string, number>;
interface Case {
  name: string;
  /** Which metric decides "better", and in which direction. */
  headline: { metric: string; lowerIsBetter: boolean };
  run(kind: ClientKind, services: Services, prefix: string, sizes: Sizes): Promise<Metrics>;
}

const single = (s: Services): Endpoint => ({ url: s.redisUrl });
const cluster = async (s: Services): Promise<Endpoint> => ({ clusterNodes: (await s.cluster()).urls });

const CASES: Case[] = [
  ...(['classic', 'sharded'] as const).map(
    (mode): Case => ({
      name: `fanout-${mode}-single`,
      headline: { metric: 'cpuUsPerMessage', lowerIsBetter: true },
      run: async (kind, s, prefix, sizes) => ({ ...(await runFanout(kind, { endpoint: single(s), mode, prefix, size: sizes.fanout })) }),
    }),
  ),
  {
    name: 'fanout-sharded-cluster',
    headline: { metric: 'cpuUsPerMessage', lowerIsBetter: true },
    run: async (kind, s, prefix, sizes) => ({ ...(await runFanout(kind, { endpoint: await cluster(s), mode: 'sharded', prefix, size: sizes.fanout })) }),
  },
  {
    name: 'limiter-single',
    headline: { metric: 'opsPerSecond', lowerIsBetter: false },
    run: async (kind, s, prefix, sizes) => {
      try {
        return { ...(await runLimiter(kind, { endpoint: single(s), prefix, size: sizes.limiter })) };
      } finally {
        await deleteKeysWithPrefix({ redisUrl: s.redisUrl, prefix });
      }
    },
  },
  {
    name: 'limiter-cluster',
    headline: { metric: 'opsPerSecond', lowerIsBetter: false },
    run: async (kind, s, prefix, sizes) => ({ ...(await runLimiter(kind, { endpoint: await cluster(s), prefix, size: sizes.limiter })) }),
  },
  ...(['restart', 'client-kill'] as const).flatMap((fault) =>
    (['classic', 'sharded'] as const).map(
      (mode): Case => ({
        name: `${fault}-${mode}`,
        headline: { metric: 'recoverMs', lowerIsBetter: true },
        run: async (kind, s, prefix) => ({ recoverMs: await runFault(kind, { fault, redis: await s.ownServer(), mode, prefix }) }),
      }),
    ),
  ),
];

function parseArgs(argv: string[]) {
  const flags = parseBenchFlags(argv, FLAGS, USAGE);
  const smoke = flags.smoke ?? false;
  let rounds: number;
  try {
    rounds = positive('rounds', flags.rounds, smoke ? 1 : 5, { integer: true, min: 1 });
  } catch (err) {
    throw new UsageError((err as Error).message, USAGE);
  }
  const wanted = flags.cases?.split(',').map((c) => c.trim()) ?? [''];
  const cases = CASES.filter((c) => wanted.some((w) => c.name.startsWith(w)));
  if (cases.length === 0) throw new UsageError(`no case matches --cases ${flags.cases}; cases: ${CASES.map((c) => c.name).join(', ')}`, USAGE);
  return { smoke, rounds, cases, resultsDir: path.resolve(ROOT, flags['results-dir'] ?? 'bench/results') };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sizes = options.smoke ? SMOKE : FULL;
  const runTag = randomBytes(3).toString('hex');
  let ownCluster: Promise<OwnRedisCluster> | undefined;
  let ownServer: Promise<OwnRedisServer> | undefined;
  const services: Services = {
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    cluster: () => (ownCluster ??= OwnRedisCluster.start({ masters: 3 })),
    ownServer: () => (ownServer ??= OwnRedisServer.start()),
  };
  const stopServices = async () => {
    await (await ownCluster?.catch(() => undefined))?.stop();
    await (await ownServer?.catch(() => undefined))?.stop();
  };
  // The smoke runner stops a hung bench with SIGINT: the Redis processes it started must not outlive it.
  process.once('SIGINT', () => void stopServices().finally(() => process.exit(130)));
  const samples = new Map<string, Record<ClientKind, Metrics[]>>(options.cases.map((c) => [c.name, { ioredis: [], 'node-redis': [] }]));
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which client goes first, so warming (caches, JIT, the machine's other load) favours neither.
      const order = round % 2 === 0 ? CLIENT_KINDS : [...CLIENT_KINDS].reverse();
      for (const c of options.cases) {
        for (const kind of order) {
          const prefix = benchRedisPrefix(`redisClients-${runTag}-${round}-${kind === 'ioredis' ? 'io' : 'nr'}-${c.name}`);
          const metrics = await c.run(kind, services, prefix, sizes);
          samples.get(c.name)![kind].push(metrics);
          console.log(`round ${round + 1}/${options.rounds} ${c.name} ${kind}: ${format(metrics)}`);
        }
      }
    }
  } finally {
    await stopServices();
  }
  const summary = summarise(options.cases, samples);
  printTable(summary);
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `redisClients-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const versions = { ioredis: packageVersion('ioredis'), 'node-redis': packageVersion('redis'), adapter: packageVersion('@socket.io/redis-adapter') };
  const report = { benchmark: 'redisClients', smoke: options.smoke, rounds: options.rounds, sizes, node: process.version, versions, summary, samples: Object.fromEntries(samples) };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
}

function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

interface CaseSummary {
  case: string;
  headline: string;
  medians: Record<ClientKind, Metrics>;
  /** node-redis / ioredis, for every metric. */
  ratio: Metrics;
  better: ClientKind | 'tie';
}

function summarise(cases: Case[], samples: Map<string, Record<ClientKind, Metrics[]>>): CaseSummary[] {
  return cases.map((c) => {
    const byKind = samples.get(c.name)!;
    const medians = Object.fromEntries(
      CLIENT_KINDS.map((kind) => {
        const rounds = byKind[kind];
        const names = Object.keys(rounds[0] ?? {});
        return [kind, Object.fromEntries(names.map((n) => [n, median(rounds.map((r) => r[n]!))]))];
      }),
    ) as Record<ClientKind, Metrics>;
    const ratio = Object.fromEntries(Object.keys(medians.ioredis).map((n) => [n, medians['node-redis'][n]! / medians.ioredis[n]!]));
    const r = ratio[c.headline.metric]!;
    // Within 5 % is noise on a shared two-core machine.
    const better = Math.abs(r - 1) < 0.05 ? 'tie' : r < 1 === c.headline.lowerIsBetter ? 'node-redis' : 'ioredis';
    return { case: c.name, headline: c.headline.metric, medians, ratio, better };
  });
}

function format(metrics: Metrics): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(' ');
}

function printTable(summary: CaseSummary[]): void {
  console.log('\n| case | metric | ioredis | node-redis | node-redis / ioredis | better |');
  console.log('|---|---|---|---|---|---|');
  for (const s of summary) {
    for (const metric of Object.keys(s.medians.ioredis)) {
      const mark = metric === s.headline ? s.better : '';
      console.log(`| ${s.case} | ${metric} | ${s.medians.ioredis[metric]!.toFixed(2)} | ${s.medians['node-redis'][metric]!.toFixed(2)} | ${s.ratio[metric]!.toFixed(2)} | ${mark} |`);
    }
  }
}

main().then(() => process.exit(0), exitOnCliError);
