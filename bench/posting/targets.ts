import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from '../common/benchDatabase';
import { assertRunning, watchForUnexpectedExit } from '../common/processSupervisor';
import { benchNodeArgs, LISTENING_LINE, requireLoopback, type TargetContext, type TargetName } from '../common/targets/target';
import { createThread, threadSeq } from '../common/targets/threadlineTarget';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** One single-node server on one store, with the thread the ladder posts to. */
export interface PostingTarget {
  name: TargetName;
  store: StoreKind;
  url: string;
  pid: number;
  /** The PostgreSQL database, so its backends' CPU counts as the target's. */
  databaseName: string | undefined;
  slug: string;
  afterSeq: number;
  postPath: string;
  /** Sent with every comment besides `body` and `clientId`. */
  postFields: Record<string, unknown>;
  assertHealthy(): void;
}

/** Where the server keeps its data: a temp folder (SQLite) or a PostgreSQL database of its own, both removed at the end. */
async function storeFor(context: TargetContext, store: StoreKind, label: string): Promise<{ dataDir: string; pgUrl?: string; databaseName?: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `threadline-bench-${label}-`));
  context.registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (store === 'sqlite') return { dataDir };
  const database = await createBenchDatabase({ adminUrl: context.pgAdminUrl });
  context.registerCleanup(() => database.drop());
  return { dataDir, pgUrl: database.url, databaseName: database.name };
}

function baseEnv(): NodeJS.ProcessEnv {
  // One node: no Redis, and no store settings inherited from the caller's shell.
  const { REDIS_URL: _redis, DATABASE_URL: _db, DATA_DIR: _dir, ...env } = process.env;
  return { ...env, NODE_ENV: 'production', PORT: '0' };
}

async function waitForUrl(context: TargetContext, proc: ReturnType<TargetContext['supervisor']['spawn']>): Promise<string> {
  const url = requireLoopback((await proc.waitForLine(LISTENING_LINE, context.startTimeoutMs))[1] as string);
  watchForUnexpectedExit(proc, context.log);
  return url;
}

/** Threadline: server/main.ts on one store, rate limits off, no Redis; a thread made with `npm run thread:create`. */
export async function startOurs(context: TargetContext, store: StoreKind): Promise<PostingTarget> {
  const where = await storeFor(context, store, `ours-${store}`);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    HOST: '127.0.0.1',
    DATA_DIR: where.dataDir,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMITS: 'off',
    // Load from a handful of guests on one address, as RATE_LIMITS: the spam check would hold it (docs/security.md, "Spam").
    SPAM_CHECKS: 'off',
    ...(where.pgUrl !== undefined && { DATABASE_URL: where.pgUrl }),
  };
  const proc = context.supervisor.spawn({ name: `ours-${store}`, command: process.execPath, args: [...benchNodeArgs(), '--import', 'tsx', path.join('server', 'main.ts')], cwd: context.root, env, cpu: context.serverCpu, echoStderr: true });
  const url = await waitForUrl(context, proc);
  const slug = await createThread({ context, env, title: `Posting bench ${context.runTag} ${store}` });
  const afterSeq = await threadSeq({ nodeUrl: url, slug });
  context.log(`ours on ${store}: ${url}, thread ${slug}`);
  return {
    name: 'ours',
    store,
    url,
    pid: proc.pid,
    databaseName: where.databaseName,
    slug,
    afterSeq,
    postPath: `/api/threads/${slug}/comments`,
    postFields: { authorName: 'Bench writer' },
    assertHealthy: () => assertRunning([proc]),
  };
}

/** bench/posting/baselineServer.ts: node:http + one prepared INSERT + bare Socket.IO emit. */
export async function startBaseline(context: TargetContext, store: StoreKind): Promise<PostingTarget> {
  const where = await storeFor(context, store, `baseline-${store}`);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    BENCH_STORE: store,
    BENCH_EXIT_WITH_PARENT: '1',
    ...(store === 'sqlite' ? { BENCH_SQLITE_FILE: path.join(where.dataDir, 'baseline.sqlite') } : { BENCH_PG_URL: where.pgUrl }),
  };
  const proc = context.supervisor.spawn({ name: `baseline-${store}`, command: process.execPath, args: ['--import', 'tsx', path.join('bench', 'posting', 'baselineServer.ts')], cwd: context.root, env, cpu: context.serverCpu, echoStderr: true });
  const url = await waitForUrl(context, proc);
  const slug = `posting-${context.runTag}`;
  context.log(`baseline on ${store}: ${url}`);
  return {
    name: 'baseline',
    store,
    url,
    pid: proc.pid,
    databaseName: where.databaseName,
    slug,
    afterSeq: 0,
    postPath: '/comments',
    postFields: { slug, authorName: 'Bench writer' },
    assertHealthy: () => assertRunning([proc]),
  };
}
