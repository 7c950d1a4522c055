import { z } from 'zod';
import type { LimitName, LimitRules } from '../lib/services/limits';
import type { RedisAdapterMode, RedisSettings } from './redisEndpoint';

const optional = <T extends z.ZodType>(schema: T) =>
  // An empty variable (`FOO=`) means "not set", as shells and .env files write it.
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const url = (schemes: string[], example: string) =>
  z.string().refine((v) => {
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `expected a ${schemes.join(' or ')}// URL such as ${example}`);

/** `https://a.example, https://b.example`: bare origins (no path, query or credentials), normalized as browsers send them. */
const originList = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const origin = parseOrigin(entry);
    if (origin) origins.push(origin);
    else ctx.addIssue({ code: 'custom', message: `expected comma-separated origins such as https://news.example.com, got ${JSON.stringify(entry)}` });
  }
  return origins;
});

function parseOrigin(entry: string): string | null {
  try {
    const url = new URL(entry);
    const bare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
    return bare && (url.protocol === 'http:' || url.protocol === 'https:') && entry.includes('://') ? url.origin : null;
  } catch {
    return null;
  }
}

/** `https://a.example/hook, https://b.example/hook`: where moderation webhooks go. */
const webhookUrls = z.string().transform((value, ctx) => {
  const urls = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of urls) {
    if (!url(['http:', 'https:'], 'https://mod.example.com/hooks/threadline').safeParse(entry).success) {
      ctx.addIssue({ code: 'custom', message: 'expected comma-separated http:// or https:// URLs such as https://mod.example.com/hooks/threadline' });
      break;
    }
  }
  return urls;
});

/** `redis://10.0.0.1:6379,redis://10.0.0.2:6379`: some masters of one Redis Cluster (the client finds the rest). */
const redisClusterNodes = z.string().transform((value, ctx) => {
  const nodes = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (nodes.length === 0) ctx.addIssue({ code: 'custom', message: 'expected comma-separated redis:// URLs of cluster masters' });
  for (const node of nodes) {
    if (!url(['redis:', 'rediss:'], 'redis://10.0.0.1:6379').safeParse(node).success) {
      ctx.addIssue({ code: 'custom', message: 'expected comma-separated redis:// or rediss:// URLs such as redis://10.0.0.1:6379,redis://10.0.0.2:6379' });
      break;
    }
  }
  return nodes;
});

const milliseconds = z
  .string()
  .regex(/^\d{1,7}$/, 'expected a whole number of milliseconds (at most 9999999)')
  .transform(Number);
/** `<points>/<seconds>` (`10/60`: ten per minute), or `off` for that one limit. */
const limitRule = optional(
  z.union([
    z.literal('off'),
    z
      .string()
      .regex(/^\d{1,6}\/\d{1,6}$/, 'expected <points>/<seconds> such as 10/60, or off')
      .transform((v) => {
        const [points, durationSeconds] = v.split('/').map(Number) as [number, number];
        return { points, durationSeconds };
      })
      .refine((r) => r.points >= 1 && r.durationSeconds >= 1, 'points and seconds must both be at least 1'),
  ], { error: 'expected <points>/<seconds> such as 10/60, or off' }),
);

/** Each limit's variable (README's configuration table). */
export const LIMIT_VARIABLES = {
  RATE_LIMIT_POSTS: 'posts',
  RATE_LIMIT_LIKES: 'likes',
  RATE_LIMIT_REPORTS: 'reports',
  RATE_LIMIT_LOGIN_ADDRESS: 'loginAddress',
  RATE_LIMIT_LOGIN_USERNAME: 'loginUsername',
  RATE_LIMIT_TYPING: 'typing',
  RATE_LIMIT_SOCKET_EVENTS: 'socketEvents',
  RATE_LIMIT_HTTP_WRITES: 'httpWrites',
} as const satisfies Record<string, LimitName>;

const EnvSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
      .transform(Number)
      .refine((n) => n <= 65535, 'expected a port number from 0 to 65535'),
  ).transform((v) => v ?? 3000),
  HOST: optional(z.string().min(1)),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'], 'postgres://user@127.0.0.1:5432/threadline')),
  REDIS_URL: optional(url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')),
  REDIS_CLUSTER_NODES: optional(redisClusterNodes),
  REDIS_ADAPTER: optional(z.enum(['classic', 'sharded'], { error: 'expected "classic" or "sharded"' })),
  DATA_DIR: optional(z.string().min(1)).transform((v) => v ?? './data'),
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  SEEDS_DIR: optional(z.string().min(1)).transform((v) => v ?? './seeds'),
  REDIS_PREFIX: optional(z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'expected 1–64 letters, digits, ":", "_" or "-"')).transform((v) => v ?? 'threadline'),
  RATE_LIMITS: optional(z.enum(['on', 'off'], { error: 'expected "on" or "off"' })).transform((v) => v ?? 'on'),
  ALLOWED_ORIGINS: optional(originList).transform((v) => v ?? []),
  EMBED_ORIGINS: optional(originList).transform((v) => v ?? []),
  TRUST_PROXY: optional(z.enum(['1', 'true', '0', 'false'], { error: 'expected "1", "true", "0" or "false"' })).transform((v) => v === '1' || v === 'true'),
  SHUTDOWN_GRACE_MS: optional(milliseconds).transform((v) => v ?? 10_000),
  SHUTDOWN_DRAIN_MS: optional(milliseconds).transform((v) => v ?? 0),
  PAGE_CACHE_COMMENTS: optional(z.string().regex(/^\d{1,9}$/, 'expected a number of comments, 0 or more (0: no cache)').transform(Number)),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  WEBHOOK_URLS: optional(webhookUrls).transform((v) => v ?? []),
  WEBHOOK_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  LOG_LEVEL: optional(z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'expected debug, info, warn, error or silent' })),
  LOG_FORMAT: optional(z.enum(['json', 'text'], { error: 'expected "json" or "text"' })),
  TEST_PROTOCOL_VERSION: optional(z.string().regex(/^[1-9]\d{0,5}$/, 'expected a protocol version (a whole number from 1)').transform(Number)),
  RATE_LIMIT_POSTS: limitRule,
  RATE_LIMIT_LIKES: limitRule,
  RATE_LIMIT_REPORTS: limitRule,
  RATE_LIMIT_LOGIN_ADDRESS: limitRule,
  RATE_LIMIT_LOGIN_USERNAME: limitRule,
  RATE_LIMIT_TYPING: limitRule,
  RATE_LIMIT_SOCKET_EVENTS: limitRule,
  RATE_LIMIT_HTTP_WRITES: limitRule,
});

/** Every variable the server reads (README's and docs/deploy.md's tables are checked against it). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

/** Values safe to echo back in an error; the others may hold passwords. */
const SHOWN_VALUES = new Set([
  ...['NODE_ENV', 'PORT', 'HOST', 'DATA_DIR', 'SEEDS_DIR', 'REDIS_PREFIX', 'REDIS_ADAPTER', 'RATE_LIMITS', 'ALLOWED_ORIGINS', 'EMBED_ORIGINS', 'TRUST_PROXY'],
  ...['SHUTDOWN_GRACE_MS', 'SHUTDOWN_DRAIN_MS', 'PAGE_CACHE_COMMENTS', 'LOG_LEVEL', 'LOG_FORMAT', 'TEST_PROTOCOL_VERSION', ...Object.keys(LIMIT_VARIABLES)],
]);

export interface Config {
  dev: boolean;
  port: number;
  host: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** REDIS_CLUSTER_NODES: seed masters of a Redis Cluster, used instead of REDIS_URL. */
  redisClusterNodes: string[] | undefined;
  /** REDIS_ADAPTER: sharded by default on a cluster (the only mode allowed there), classic on one Redis. */
  redisAdapter: RedisAdapterMode;
  dataDir: string;
  /** Undefined only on the embedded default, where it is generated and kept in DATA_DIR. */
  sessionSecret: string | undefined;
  seedsDir: string;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** False only with RATE_LIMITS=off (load tests on a trusted network). */
  rateLimits: boolean;
  /** Origins besides the app's own that browsers may call and connect from (ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** Sites whose pages may frame /embed/* and open threads on first view (EMBED_ORIGINS, docs/embed.md). */
  embedOrigins: string[];
  /** Believe X-Forwarded-Proto / X-Forwarded-Host (TRUST_PROXY): only behind a proxy that sets them. */
  trustProxy: boolean;
  /** After SIGTERM: how long requests in flight may take before connections are cut. */
  shutdownGraceMs: number;
  /** After SIGTERM: how long /readyz answers 503 before the node stops taking connections. */
  shutdownDrainMs: number;
  /** Unset: GET /metrics is off. */
  metricsToken: string | undefined;
  /** PAGE_CACHE_COMMENTS: how many comments the cache of thread pages holds (undefined: the default; 0: off). */
  pageCacheComments: number | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** JSON lines by default; compact text lines in development. */
  logFormat: 'json' | 'text';
  /** The limits set by RATE_LIMIT_* variables; the others keep their defaults (lib/services/limits.ts). */
  limits: Partial<LimitRules>;
  /** WEBHOOK_URLS: receivers of moderation webhooks (held and reported comments); none by default. */
  webhookUrls: string[];
  /** WEBHOOK_SECRET: signs every webhook; required with WEBHOOK_URLS. */
  webhookSecret: string | undefined;
  /** TEST_PROTOCOL_VERSION, for tests only: the protocol version to announce instead of this build's (a newer server in a rolling deploy). */
  announcedProtocol: number | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment once, at start-up; every bad value is named, none is echoed if it may hold a secret. */
export function loadConfig(env: NodeJS.ProcessEnv, options: { server?: boolean } = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const value = env[name];
        const got = value === undefined ? 'it is not set' : SHOWN_VALUES.has(name) ? `got ${JSON.stringify(value)}` : 'value not shown';
        return `${name}: ${issue.message} (${got})`;
      });
  // Command-line tools sign nothing; every server node must share one secret.
  if ((options.server ?? true) && env.DATABASE_URL && !env.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when DATABASE_URL is set, so that every node signs sessions with the same secret');
  }
  if (parsed.success && parsed.data.REDIS_CLUSTER_NODES) {
    if (parsed.data.REDIS_URL) problems.push('REDIS_CLUSTER_NODES: set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both');
    // Classic PUBLISH on a cluster is copied to every shard: sharding would buy nothing.
    if (parsed.data.REDIS_ADAPTER === 'classic') problems.push('REDIS_ADAPTER: a Redis Cluster (REDIS_CLUSTER_NODES) needs REDIS_ADAPTER=sharded (got "classic")');
  }
  if (parsed.success && parsed.data.WEBHOOK_URLS.length > 0 && !parsed.data.WEBHOOK_SECRET) {
    problems.push('WEBHOOK_SECRET: required when WEBHOOK_URLS is set, so that receivers can check each webhook came from this server');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    dev: e.NODE_ENV === 'development',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    redisAdapter: e.REDIS_ADAPTER ?? (e.REDIS_CLUSTER_NODES ? 'sharded' : 'classic'),
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET,
    seedsDir: e.SEEDS_DIR,
    redisPrefix: e.REDIS_PREFIX,
    rateLimits: e.RATE_LIMITS === 'on',
    allowedOrigins: e.ALLOWED_ORIGINS,
    embedOrigins: e.EMBED_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    metricsToken: e.METRICS_TOKEN,
    pageCacheComments: e.PAGE_CACHE_COMMENTS,
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'text' : 'json'),
    webhookUrls: e.WEBHOOK_URLS,
    webhookSecret: e.WEBHOOK_SECRET,
    announcedProtocol: e.TEST_PROTOCOL_VERSION,
    limits: Object.fromEntries(
      Object.entries(LIMIT_VARIABLES).flatMap(([variable, name]) => {
        const rule = e[variable as keyof typeof LIMIT_VARIABLES];
        return rule === undefined ? [] : [[name, rule]];
      }),
    ),
  };
}

/** Where this node meets the others (fan-out and shared rate limits); undefined on a single node. */
export function redisSettings(config: Config): RedisSettings | undefined {
  const shared = { prefix: config.redisPrefix, adapter: config.redisAdapter };
  if (config.redisClusterNodes) return { clusterNodes: config.redisClusterNodes, ...shared };
  return config.redisUrl ? { url: config.redisUrl, ...shared } : undefined;
}
