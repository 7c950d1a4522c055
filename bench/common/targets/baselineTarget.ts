import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { benchRedisPrefix, deleteKeysWithPrefix } from '../redisKeys';
import { assertRunning, watchForUnexpectedExit } from '../processSupervisor';
import { LISTENING_LINE, requireLoopback, type FanoutTarget, type RunningTarget, type TargetContext } from './target';

/** Bare Socket.IO nodes (bench/common/targets/baselineServer.ts): two joined by the redis-adapter, or one without any adapter. */
export const baselineTarget: FanoutTarget = {
  name: 'baseline',
  description: 'bare Socket.IO 4.8 + @socket.io/redis-adapter (ioredis), POST → io.to(room).emit',

  unavailableReason: () => null,

  async start(context: TargetContext): Promise<RunningTarget> {
    const prefix = benchRedisPrefix(`${context.runTag}-baseline`);
    const redis = context.nodes > 1;
    const nodes = Array.from({ length: context.nodes }, (_, i) =>
      context.supervisor.spawn({
        name: `baseline-${i + 1}`,
        command: process.execPath,
        args: [...context.nodeArgs, '--import', 'tsx', path.join('bench', 'common', 'targets', 'baselineServer.ts')],
        cwd: context.root,
        env: { ...process.env, NODE_ENV: 'production', PORT: '0', REDIS_URL: redis ? context.redisUrl : '', BENCH_REDIS_PREFIX: prefix, BENCH_REDIS_ADAPTER: context.redisAdapter, BENCH_EXIT_WITH_PARENT: '1' },
        cpu: context.serverCpu,
        echoStderr: true,
      }),
    );
    const stop = async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      if (redis) await deleteKeysWithPrefix({ redisUrl: context.redisUrl, prefix });
    };
    context.registerCleanup(stop);
    try {
      const urls = await Promise.all(nodes.map(async (n) => requireLoopback((await n.waitForLine(LISTENING_LINE, context.startTimeoutMs))[1] as string)));
      context.log(`baseline nodes: ${urls.join(', ')} (${redis ? `Redis key ${prefix}, ${context.redisAdapter} adapter` : 'no adapter'})`);
      for (const node of nodes) watchForUnexpectedExit(node, context.log);
      return {
        name: 'baseline',
        nodeUrls: urls,
        nodePids: nodes.map((n) => n.pid),
        nodeProcesses: [...nodes],
        assertHealthy: () => assertRunning(nodes),
        // No store: any slug is a thread, starting at seq 0.
        prepareThread: async (round) => ({ slug: `bench-r${round}-${randomBytes(3).toString('hex')}`, afterSeq: 0 }),
        // Same fields as Threadline's request, plus the slug it takes from the URL.
        postRequest: (thread) => ({ path: '/comments', fields: { slug: thread.slug, authorName: 'Bench writer' } }),
        stop,
      };
    } catch (err) {
      await stop();
      throw err;
    }
  },
};
