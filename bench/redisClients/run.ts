/**
 * `npm run bench:redisClients`: node-redis against ioredis on Threadline's own
 * Redis paths (issue 12, part 6): fan-out through @socket.io/redis-adapter
 * (classic and sharded, one Redis and a Redis Cluster of the bench's own), the
 * rate limiter (rate-limiter-flexible's RateLimiterRedis), and recovery after
 * a Redis restart and a CLIENT KILL of the subscriber (a Redis server of the
 * bench's own). The two sides are the two clients, in one process; each round
 * runs every case with both, the order reversed every other round, and the
 * report is the median of the rounds and the ratio node-redis / ioredis.
 * A decision bench: not in `npm run bench`'s list.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { OwnRedisCluster } from '../../server/testing/redisCluster';
import { OwnRedisServer } from '../../server/testing/redisServer';
import { count, text, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { benchRedisPrefix } from '../common/redisKeys';
import { selectCases, type Metrics, type Services, type Sizes } from './cases';
import { CLIENT_KINDS } from './clients';
import { formatMetrics, markdownTable, redisClientsCells, summariseCases, type CaseSummary, type Samples } from './report';

const FLAGS = {
  rounds: standard.rounds('rounds per case, the clients alternating which goes first'),
  cases: text('comma-separated case names, or prefixes such as fanout or restart', 'LIST'),
  readers: standard.readers('fan-out: Socket.IO readers on node B'),
  rate: standard.rate('fan-out: messages per second published on node A'),
  seconds: standard.seconds('fan-out: seconds of publishing per round'),
  calls: count('limiter: consume() calls timed per round'),
  concurrency: count('limiter: calls in flight at once'),
  keys: count('limiter: distinct keys (each is allowed fewer points than it spends)'),
  // Accepted like every bench's: this one runs in process and pins nothing.
  pin: standard.pin(),
};
type RedisClientsOptions = Values<typeof FLAGS>;

/** About a comment's size. */
const PAYLOAD_BYTES = 400;

interface RedisClientsBody {
  versions: Record<string, string>;
  summary: CaseSummary[];
  /** Every round's metrics, by case and client. */
  samples: Samples;
}

function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

async function runRedisClients(options: RedisClientsOptions, { log, redisUrl, registerCleanup }: RunContext): Promise<RedisClientsBody> {
  const cases = selectCases(options.cases);
  const sizes: Sizes = {
    fanout: { readers: options.readers, rate: options.rate, seconds: options.seconds, payloadBytes: PAYLOAD_BYTES },
    limiter: { calls: options.calls, concurrency: options.concurrency, keys: options.keys },
  };
  const runTag = randomBytes(3).toString('hex');
  let ownCluster: Promise<OwnRedisCluster> | undefined;
  let ownServer: Promise<OwnRedisServer> | undefined;
  const services: Services = {
    redisUrl,
    cluster: () => (ownCluster ??= OwnRedisCluster.start({ masters: 3 })),
    ownServer: () => (ownServer ??= OwnRedisServer.start()),
  };
  // The session runs this on exit and on Ctrl-C: the Redis processes the bench started must not outlive it.
  registerCleanup(async () => {
    await (await ownCluster?.catch(() => undefined))?.stop();
    await (await ownServer?.catch(() => undefined))?.stop();
  });
  const samples: Samples = Object.fromEntries(cases.map((c) => [c.name, { ioredis: [], 'node-redis': [] }]));
  // A side is one case with one client; within a round each case's two clients run back to back.
  const sides = cases.flatMap((c) => CLIENT_KINDS.map((kind) => ({ case: c, kind })));
  await alternateRounds<(typeof sides)[number], { side: (typeof sides)[number]; metrics: Metrics }>({
    rounds: options.rounds,
    sides,
    reverseEveryOther: true,
    // Each case closes its nodes and clients before it returns; nothing needs to settle.
    pauseMs: 0,
    label: (side) => `${side.case.name} ${side.kind}`,
    run: async (round, side) => {
      const prefix = benchRedisPrefix(`redisClients-${runTag}-${round}-${side.kind === 'ioredis' ? 'io' : 'nr'}-${side.case.name}`);
      const metrics = await side.case.run(side.kind, services, prefix, sizes);
      samples[side.case.name]![side.kind].push(metrics);
      return { side, metrics };
    },
    line: (r) => `${r.side.case.name} ${r.side.kind}: ${formatMetrics(r.metrics)}`,
    log,
  });
  const versions = { ioredis: packageVersion('ioredis'), 'node-redis': packageVersion('redis'), adapter: packageVersion('@socket.io/redis-adapter') };
  return { versions, summary: summariseCases(cases, samples), samples };
}

type RedisClientsReport = Report<RedisClientsOptions, RedisClientsBody>;

export const redisClientsScenario = defineScenario<RedisClientsOptions, RedisClientsBody>({
  name: 'redisClients',
  flags: FLAGS,
  defaults: { rounds: 5, cases: 'all', readers: 4, rate: 400, seconds: 4, calls: 5000, concurrency: 16, keys: 100, pin: true },
  presets: { quick: { rounds: 2, seconds: 2, calls: 2000 }, smoke: { rounds: 1, readers: 2, rate: 100, seconds: 1, calls: 300, concurrency: 4, keys: 10 } },
  services: ['redis'],
  notes: 'Cases: fanout-{classic,sharded}-single, fanout-sharded-cluster, limiter-{single,cluster}, {restart,client-kill}-{classic,sharded}.\nThe cluster and fault cases start Redis servers of their own (redis-server and redis-cli ≥ 7 on the PATH).',
  pinning: 'none',
  resolve: (options) => {
    selectCases(options.cases);
    return options;
  },
  describe: (o) => `cases ${o.cases}, ${o.rounds} rounds; fan-out ${o.readers} readers × ${o.rate}/s for ${o.seconds} s; limiter ${o.calls} calls, ${o.concurrency} in flight, ${o.keys} keys`,
  run: runRedisClients,
  markdown: (report: RedisClientsReport) =>
    [`Redis clients: medians of ${report.options.rounds} rounds${report.options.smoke ? ' — SMOKE PRESET' : report.options.quick ? ' — QUICK PRESET' : ''}; ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`, '', markdownTable(report.summary)].join('\n'),
  summarise: (report: RedisClientsReport) => redisClientsCells(report.summary),
});

runIfMain(redisClientsScenario, module);
