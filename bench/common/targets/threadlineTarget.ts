import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type BenchDatabase } from '../benchDatabase';
import { benchRedisPrefix, deleteKeysWithPrefix } from '../redisKeys';
import { assertRunning, watchForUnexpectedExit } from '../processSupervisor';
import { benchNodeArgs, LISTENING_LINE, requireLoopback, type FanoutTarget, type RoundThread, type RunningTarget, type TargetContext } from './target';
import { npmScriptLastLine } from '../npmScript';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const THREAD_CREATE_TIMEOUT_MS = 60_000;

/** Threadline itself: `server/main.ts` on one PostgreSQL database; two nodes share one Redis, one node runs without Redis. */
export const threadlineTarget: FanoutTarget = {
  name: 'ours',
  description: 'Threadline (server/main.ts): PostgreSQL store, Redis fan-out, POST /api/threads/<slug>/comments',

  unavailableReason(root) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    if (!pkg.scripts?.['thread:create']) return 'package.json has no "thread:create" script yet';
    const serverSource = readSources(path.join(root, 'server'));
    if (!/thread:subscribe|EVENTS\.subscribe/.test(serverSource)) return 'server/ does not handle thread:subscribe yet';
    if (!serverSource.includes('@socket.io/redis-adapter')) return 'server/ does not use @socket.io/redis-adapter yet';
    if (!/comments/.test(fs.readFileSync(path.join(root, 'server', 'http', 'apiRoutes.ts'), 'utf8'))) return 'the API has no comment route yet';
    return null;
  },

  async start(context: TargetContext): Promise<RunningTarget> {
    const prefix = benchRedisPrefix(`${context.runTag}-ours`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-'));
    let database: BenchDatabase | undefined;
    const nodes: NodeProcess[] = [];

    const redis = context.nodes > 1;
    const stop = async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await database?.drop();
      if (redis) await deleteKeysWithPrefix({ redisUrl: context.redisUrl, prefix });
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    context.registerCleanup(stop);

    try {
      database = await createBenchDatabase({ adminUrl: context.pgAdminUrl });
      context.log(`ours: database ${database.name}, ${redis ? `Redis prefix ${prefix}` : 'no Redis'}`);
      const { REDIS_URL: _inherited, ...inheritedEnv } = process.env;
      const env: NodeJS.ProcessEnv = {
        ...inheritedEnv,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        // Unset with one node: the server then uses Socket.IO's in-memory adapter.
        ...(redis ? { REDIS_URL: context.redisUrl, REDIS_ADAPTER: context.redisAdapter } : {}),
        SESSION_SECRET: randomBytes(32).toString('hex'),
        RATE_LIMITS: 'off',
        // Load from a handful of guests on one address, as RATE_LIMITS: the spam check would hold it (docs/security.md, "Spam").
        SPAM_CHECKS: 'off',
        REDIS_PREFIX: prefix,
        // Nothing should be written there with PostgreSQL and a secret set; a temp dir keeps ./data untouched regardless.
        DATA_DIR: dataDir,
      };
      const urls: string[] = [];
      const deadline = Date.now() + context.startTimeoutMs;
      // One at a time: the first node may build the pages and runs the migrations and seed; the second then starts clean.
      for (let i = 0; i < context.nodes; i += 1) {
        const started = Date.now();
        const node = await startNode({ context, env, name: `ours-${i + 1}`, deadline });
        nodes.push(node.process);
        urls.push(node.url);
        watchForUnexpectedExit(node.process, context.log);
        context.log(`ours node ${i + 1}: ${node.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }

      return {
        name: 'ours',
        nodeUrls: urls,
        nodePids: nodes.map((n) => n.pid),
        nodeProcesses: [...nodes],
        assertHealthy: () => assertRunning(nodes),
        databaseName: database.name,
        storeEnv: env,
        prepareThread: async (round) => {
          const slug = await createThread({ context, env, title: `Bench thread ${context.runTag} round ${round}` });
          const seq = await threadSeq({ nodeUrl: urls[0] as string, slug });
          return { slug, afterSeq: seq };
        },
        postRequest: (thread: RoundThread) => ({ path: `/api/threads/${thread.slug}/comments`, fields: { authorName: 'Bench writer' } }),
        stop,
      };
    } catch (err) {
      await stop();
      throw err;
    }
  },
};

type NodeProcess = ReturnType<TargetContext['supervisor']['spawn']>;

/** Next.js refuses to build while another build of the same folder runs (another user's `next build`, say). */
const BUILD_LOCKED = /Another next build process is already running/;
const BUILD_LOCK_RETRY_MS = 10_000;

/** Starts one node; if its page build hits another build's lock, waits and tries again until the deadline. */
async function startNode(args: { context: TargetContext; env: NodeJS.ProcessEnv; name: string; deadline: number }): Promise<{ process: NodeProcess; url: string }> {
  for (;;) {
    const node = args.context.supervisor.spawn({
      name: args.name,
      command: process.execPath,
      args: [...args.context.nodeArgs, ...benchNodeArgs(), '--import', 'tsx', path.join('server', 'main.ts')],
      cwd: args.context.root,
      env: args.env,
      cpu: args.context.serverCpu,
      echoStderr: true,
    });
    try {
      const match = await node.waitForLine(LISTENING_LINE, Math.max(1000, args.deadline - Date.now()));
      return { process: node, url: requireLoopback(match[1] as string) };
    } catch (err) {
      await node.stop();
      if (!BUILD_LOCKED.test(node.tail()) || Date.now() + BUILD_LOCK_RETRY_MS > args.deadline) throw err;
      args.context.log(`${args.name}: another next build is running here; retrying in ${BUILD_LOCK_RETRY_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, BUILD_LOCK_RETRY_MS));
    }
  }
}

function readSources(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    }
  }
  return text;
}

/** `npm run thread:create -- --title …`: the slug is the last line it prints. */
export async function createThread(args: { context: TargetContext; env: NodeJS.ProcessEnv; title: string }): Promise<string> {
  const { supervisor, root } = args.context;
  const slug = await npmScriptLastLine({ supervisor, root, env: args.env, args: ['thread:create', '--', '--title', args.title], timeoutMs: THREAD_CREATE_TIMEOUT_MS });
  if (!SLUG.test(slug)) throw new Error(`npm run thread:create: expected a slug on its last line, got ${JSON.stringify(slug)}`);
  return slug;
}

/** The thread's current seq (`GET /api/threads/<slug>` → `{ thread: { seq } }`). */
export function threadSeq(args: { nodeUrl: string; slug: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(`/api/threads/${args.slug}`, args.nodeUrl), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const seq = (JSON.parse(text) as { thread?: { seq?: unknown } }).thread?.seq;
            if (res.statusCode === 200 && typeof seq === 'number') resolve(seq);
            else reject(new Error(`GET /api/threads/${args.slug}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      })
      .on('error', reject);
  });
}
