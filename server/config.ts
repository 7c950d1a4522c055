import { CLOSE_AFTER_DAYS_MAX } from '../lib/domain/closing';
import { COMMENT_POLICIES, DEFAULT_COMMENT_POLICY, DEFAULT_TRUST, TRUST_LIMITS, type SiteSettings } from '../lib/domain/commentPolicy';
import { z } from 'zod';
import { LIMIT_NAMES, limitRule, type LimitName, type LimitRules } from '../lib/services/limits';
import { DEFAULT_HASHING } from '../lib/services/passwordHasher';
import { parseThreadUrlPattern, type ThreadUrlPattern } from './embed/threadUrls';
import { DEFAULT_SPAM_CHECK_TIMEOUT_MS, DEFAULT_SPAM_RULES, type SpamSettings, type WindowRule } from '../lib/services/spam';
import type { RedisAdapterMode, RedisSettings } from './redisEndpoint';
import type { SsoSettings } from '../lib/services/signIn/ssoTokens';
import { OidcProvidersSchema } from '../lib/services/oidc/oidcProviders';
import type { MailSettings } from '../lib/services/mail/mailService';

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

/** `https://news.example.com/articles/*, https://news.example.com/live/**`: pages of the operator's sites that may open their threads (server/embed/threadUrls.ts). */
const threadUrlList = z.string().transform((value, ctx) => {
  const patterns: ThreadUrlPattern[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const pattern = parseThreadUrlPattern(entry);
    if (typeof pattern === 'string') ctx.addIssue({ code: 'custom', message: `${JSON.stringify(entry)}: ${pattern}` });
    else patterns.push(pattern);
  }
  return patterns;
});

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
const limitSetting = optional(
  z.union([
    z.literal('off'),
    z
      .string()
      .regex(/^\d{1,6}\/\d{1,6}$/, 'expected <points>/<seconds> such as 10/60, or off')
      .transform((v) => limitRule(v as `${number}/${number}`))
      .refine((r) => r.points >= 1 && r.durationSeconds >= 1, 'points and seconds must both be at least 1'),
  ], { error: 'expected <points>/<seconds> such as 10/60, or off' }),
);

/** `<count>/<seconds>` (`2/3600`: two per hour, more is held), or `off` for that one spam signal. */
const windowSetting = (what: string) =>
  optional(
    z.union(
      [
        z.literal('off'),
        z
          .string()
          .regex(/^\d{1,6}\/\d{1,7}$/)
          .transform((v): WindowRule => {
            const [count, windowSeconds] = v.split('/').map(Number) as [number, number];
            return { count, windowSeconds };
          })
          .refine((r) => r.count >= 1 && r.windowSeconds >= 1, `the number of ${what} and the seconds must both be at least 1`),
      ],
      { error: `expected <${what}>/<seconds> such as 2/3600, or off` },
    ),
  );
/** `<rejections>/<days>` (`3/30`: three rejected comments within 30 days send a person back to review), or `off`. */
const reviewAfterRejections = optional(
  z.union(
    [
      z.literal('off').transform(() => ({ rejections: 0, rejectionWindowDays: DEFAULT_TRUST.rejectionWindowDays })),
      z
        .string()
        .regex(/^\d{1,4}\/\d{1,4}$/)
        .transform((v) => {
          const [rejections, rejectionWindowDays] = v.split('/').map(Number) as [number, number];
          return { rejections, rejectionWindowDays };
        })
        .refine((r) => r.rejections >= 1 && r.rejections <= TRUST_LIMITS.rejections && r.rejectionWindowDays >= 1 && r.rejectionWindowDays <= TRUST_LIMITS.rejectionWindowDays, {
          message: `the rejections (1–${TRUST_LIMITS.rejections}) and the days (1–${TRUST_LIMITS.rejectionWindowDays}) must be in range`,
        }),
    ],
    { error: 'expected <rejections>/<days> such as 3/30, or off' },
  ),
);
const onOff = optional(z.enum(['on', 'off'], { error: 'expected "on" or "off"' }));

/** One variable: how it is read (with its default), and whether a bad value may be echoed in the error (the others may hold passwords). */
interface Variable<S extends z.ZodType = z.ZodType> {
  schema: S;
  shown: boolean;
}
const shown = <S extends z.ZodType>(schema: S): Variable<S> => ({ schema, shown: true });
const secret = <S extends z.ZodType>(schema: S): Variable<S> => ({ schema, shown: false });

/**
 * Every setting but the rate limits, each declared once: its Config field is the
 * variable's name in camelCase (`SHUTDOWN_GRACE_MS` → `shutdownGraceMs`), typed by its schema.
 */
const SETTINGS = {
  PORT: shown(
    optional(
      z
        .string()
        .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
        .transform(Number)
        .refine((n) => n <= 65535, 'expected a port number from 0 to 65535'),
    ).transform((v) => v ?? 3000),
  ),
  HOST: shown(optional(z.string().min(1))),
  DATABASE_URL: secret(optional(url(['postgres:', 'postgresql:'], 'postgres://user@127.0.0.1:5432/threadline'))),
  REDIS_URL: secret(optional(url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'))),
  /** Seed masters of a Redis Cluster, used instead of REDIS_URL. */
  REDIS_CLUSTER_NODES: secret(optional(redisClusterNodes)),
  /** Sharded by default on a cluster (the only mode allowed there), classic on one Redis: see loadConfig. */
  REDIS_ADAPTER: shown(optional(z.enum(['classic', 'sharded'], { error: 'expected "classic" or "sharded"' }))),
  DATA_DIR: shown(optional(z.string().min(1)).transform((v) => v ?? './data')),
  /** Undefined only on the embedded default, where it is generated and kept in DATA_DIR. */
  SESSION_SECRET: secret(optional(z.string().min(32, 'must be at least 32 characters'))),
  SEEDS_DIR: shown(optional(z.string().min(1)).transform((v) => v ?? './seeds')),
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: shown(optional(z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'expected 1–64 letters, digits, ":", "_" or "-"')).transform((v) => v ?? 'threadline')),
  /** False only with RATE_LIMITS=off (load tests on a trusted network). */
  RATE_LIMITS: shown(optional(z.enum(['on', 'off'], { error: 'expected "on" or "off"' })).transform((v) => v !== 'off')),
  /** Socket.IO connections open at once per client address on a node; `off`: no cap (RATE_LIMITS=off lifts it too). */
  MAX_SOCKETS_PER_ADDRESS: shown(
    optional(
      z.union([z.literal('off'), z.string().regex(/^[1-9]\d{0,6}$/).transform(Number)], { error: 'expected a number of connections (1 or more), or off' }),
    ),
  ),
  /** Origins besides the app's own that browsers may call and connect from. */
  ALLOWED_ORIGINS: shown(optional(originList).transform((v) => v ?? [])),
  /** Sites whose pages may frame /embed/* (docs/embed.md). */
  EMBED_ORIGINS: shown(optional(originList).transform((v) => v ?? [])),
  /** Signs the tokens with which host pages open threads from the embed; unset: no token opens one (docs/embed.md). */
  EMBED_SECRET: secret(optional(z.string().min(32, 'must be at least 32 characters'))),
  /** Article addresses of the operator's sites whose pages open their own threads without a token; none by default. */
  EMBED_THREAD_URLS: shown(optional(threadUrlList).transform((v) => v ?? [])),
  /** Believe X-Forwarded-Proto / X-Forwarded-Host / X-Forwarded-For: only behind a proxy that sets them. */
  TRUST_PROXY: shown(optional(z.enum(['1', 'true', '0', 'false'], { error: 'expected "1", "true", "0" or "false"' })).transform((v) => v === '1' || v === 'true')),
  /** After SIGTERM: how long requests in flight may take before connections are cut. */
  SHUTDOWN_GRACE_MS: shown(optional(milliseconds).transform((v) => v ?? 10_000)),
  /** After SIGTERM: how long /readyz answers 503 before the node stops taking connections. */
  SHUTDOWN_DRAIN_MS: shown(optional(milliseconds).transform((v) => v ?? 0)),
  /** How many comments the cache of thread pages holds (undefined: the default; 0: off). */
  PAGE_CACHE_COMMENTS: shown(optional(z.string().regex(/^\d{1,9}$/, 'expected a number of comments, 0 or more (0: no cache)').transform(Number))),
  /** MiB of reader pages rendered once per thread version and served to every reader (undefined: the default; 0: off). */
  PAGE_HTML_CACHE_MB: shown(optional(z.string().regex(/^\d{1,6}$/, 'expected a number of MiB, 0 or more (0: no cache)').transform(Number))),
  /** Password hashes run at once, each on a worker thread of its own (128 MiB each at OWASP's cost). */
  SIGNIN_HASH_WORKERS: shown(optional(z.string().regex(/^([1-9]|1[0-6])$/, 'expected a whole number from 1 to 16').transform(Number)).transform((v) => v ?? DEFAULT_HASHING.workers)),
  /** Sign-ins that may wait for a hashing worker (in each lane); more are answered 503 sign_in_busy at once. */
  SIGNIN_HASH_QUEUE: shown(optional(z.string().regex(/^\d{1,4}$/, 'expected a whole number from 0 to 9999').transform(Number)).transform((v) => v ?? DEFAULT_HASHING.queue)),
  /** Who may comment where an admin set nothing (lib/domain/commentPolicy.ts): guests (the default), guests-premoderated or accounts. */
  COMMENT_POLICY: shown(optional(z.enum(COMMENT_POLICIES, { error: `expected one of ${COMMENT_POLICIES.join(', ')}` })).transform((v) => v ?? DEFAULT_COMMENT_POLICY)),
  /** A new account's comments are held until this many are published; 0 (the default) holds none. */
  NEW_ACCOUNT_HOLD: shown(
    optional(z.string().regex(/^\d{1,3}$/, 'expected a whole number').transform(Number).refine((n) => n <= TRUST_LIMITS.newAccountHold, `at most ${TRUST_LIMITS.newAccountHold}`)).transform(
      (v) => v ?? DEFAULT_TRUST.newAccountHold,
    ),
  ),
  /** So many comments rejected within so many days send a person back to review (default 3/30). */
  REVIEW_AFTER_REJECTIONS: shown(reviewAfterRejections.transform((v) => v ?? { rejections: DEFAULT_TRUST.rejections, rejectionWindowDays: DEFAULT_TRUST.rejectionWindowDays })),
  /** False only with SPAM_CHECKS=off (load tests on a trusted network): no post or edit is checked for spam. */
  SPAM_CHECKS: shown(onOff.transform((v) => v !== 'off')),
  /** False only with NOTIFICATIONS=off: no notice is made of a reply, a mention or a decision (the bell and mail stay, with nothing new). For a site that wants none, and for measuring what notices cost (bench/notifications). */
  NOTIFICATIONS: shown(onOff.transform((v) => v !== 'off')),
  /** A link in a guest's first comment holds it for review (lib/services/spam/phases). */
  SPAM_LINKS_FIRST_COMMENT: shown(onOff.transform((v) => (v ?? (DEFAULT_SPAM_RULES.linksInFirstComment ? 'on' : 'off')) === 'on')),
  /** The same text in more than <threads> distinct threads within <seconds> holds the next ones. */
  SPAM_REPEATED_TEXT: shown(windowSetting('threads').transform((v) => v ?? DEFAULT_SPAM_RULES.repeatedText)),
  /** More than <guests> new guests posting from one address within <seconds>: the next new ones are held. */
  SPAM_NEW_GUESTS: shown(windowSetting('guests').transform((v) => v ?? DEFAULT_SPAM_RULES.newGuests)),
  /** An Akismet-compatible service's base URL (its comment-check call); none by default. May hold a token: never echoed. */
  SPAM_CHECK_URL: secret(optional(url(['http:', 'https:'], 'https://rest.akismet.com'))),
  /** The service's API key; required with SPAM_CHECK_URL. */
  SPAM_CHECK_KEY: secret(optional(z.string().regex(/^\S{1,200}$/, 'expected the API key: 1–200 characters, no spaces'))),
  /** How long a post waits for the spam service at most; then it is posted, marked not checked. */
  SPAM_CHECK_TIMEOUT_MS: shown(
    optional(milliseconds.refine((n) => n >= 1 && n <= 60_000, 'expected a number of milliseconds from 1 to 60000')).transform((v) => v ?? DEFAULT_SPAM_CHECK_TIMEOUT_MS),
  ),
  /** The host site's shared secret for its sign-in tokens (HS256); with SSO_JWKS_URL or alone. Unset with it: SSO is off (docs/security.md). */
  SSO_SECRET: secret(optional(z.string().refine((v) => Buffer.byteLength(v) >= 32, 'must be at least 32 bytes (e.g. openssl rand -base64 48)'))),
  /** The host site's published key set (RS256, ES256 tokens), fetched and refreshed when a new `kid` appears. */
  SSO_JWKS_URL: shown(optional(url(['https:', 'http:'], 'https://news.example.com/.well-known/jwks.json'))),
  /** The `iss` every sign-in token must carry; unset: not checked. */
  SSO_ISSUER: shown(optional(z.string().min(1).max(255))),
  /** An `aud` every sign-in token must carry; unset: not checked. */
  SSO_AUDIENCE: shown(optional(z.string().min(1).max(255))),
  /** OpenID Connect providers people may sign in with (docs/deploy.md); unset: that sign-in method is off. Holds client secrets: never echoed. */
  OIDC_PROVIDERS: secret(optional(OidcProvidersSchema).transform((v) => v ?? [])),
  /** Sign-in by email link: the SMTP server mail goes through (`smtp://` or `smtps://`, credentials in the URL). Unset: the method is off. */
  SMTP_URL: secret(optional(url(['smtp:', 'smtps:'], 'smtps://user:password@mail.example.com:465'))),
  /** The sender of sign-in mail (`Comments <comments@news.example.com>`); required with SMTP_URL. */
  MAIL_FROM: shown(optional(z.string().max(320).regex(/^[^\r\n]*@[^\r\n]*$/, 'expected an address such as comments@news.example.com or "Comments <comments@news.example.com>"'))),
  /** This site's public address (`https://comments.example.com`): links in mail point there, never to a host a request named. Required with SMTP_URL. */
  PUBLIC_URL: shown(optional(url(['http:', 'https:'], 'https://comments.example.com').refine((v) => parseOrigin(v) !== null, 'expected a bare origin such as https://comments.example.com (no path)').transform((v) => parseOrigin(v)!))),
  /** The site's name in every mail of notices (its sender's words, subjects and footer); unset: PUBLIC_URL's host. */
  SITE_NAME: shown(optional(z.string().trim().min(1).max(100).regex(/^[^\r\n]*$/, 'expected one line of at most 100 characters'))),
  /** The postal address every mail of notices carries (the law of many countries asks for it); with SMTP_URL, email for notices is off until it is set. */
  SITE_ADDRESS: shown(optional(z.string().trim().min(1).max(300).regex(/^[^\r\n]*$/, 'expected one line such as "News Example Ltd, 1 Main Street, 12345 Town"'))),
  /** A person's notices made within this many seconds of the first one go out in ONE mail (default 300). */
  MAIL_BATCH_SECONDS: shown(
    optional(z.string().regex(/^\d{1,5}$/, 'expected a whole number of seconds from 10 to 86400').transform(Number).refine((n) => n >= 10 && n <= 86_400, 'expected a whole number of seconds from 10 to 86400')).transform((v) => v ?? 300),
  ),
  /** The hour (UTC, 0–23) the daily digest goes out (default 7). */
  DIGEST_HOUR_UTC: shown(optional(z.string().regex(/^(?:[01]?\d|2[0-3])$/, 'expected an hour from 0 to 23').transform(Number)).transform((v) => v ?? 7)),
  /** Moderators who chose it are mailed when the queue's oldest item has waited this many minutes; unset: never. */
  QUEUE_ALERT_MINUTES: shown(optional(z.string().regex(/^\d{1,5}$/, 'expected a whole number of minutes from 1 to 10080').transform(Number).refine((n) => n >= 1 && n <= 10_080, 'expected a whole number of minutes from 1 to 10080'))),
  /** Unset: GET /metrics is off. */
  METRICS_TOKEN: secret(optional(z.string().min(16, 'must be at least 16 characters'))),
  /** Receivers of moderation webhooks (held and reported comments); none by default. */
  WEBHOOK_URLS: secret(optional(webhookUrls).transform((v) => v ?? [])),
  /** Signs every webhook; required with WEBHOOK_URLS. */
  WEBHOOK_SECRET: secret(optional(z.string().min(32, 'must be at least 32 characters'))),
  LOG_LEVEL: shown(optional(z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'expected debug, info, warn, error or silent' })).transform((v) => v ?? 'info')),
  /** JSON lines by default; compact text lines in development: see loadConfig. */
  LOG_FORMAT: shown(optional(z.enum(['json', 'text'], { error: 'expected "json" or "text"' }))),
  /** Tests only: the protocol version to announce instead of this build's (a newer server in a rolling deploy). */
  TEST_PROTOCOL_VERSION: shown(optional(z.string().regex(/^[1-9]\d{0,5}$/, 'expected a protocol version (a whole number from 1)').transform(Number))),
  /** Tests only: the seq heartbeat's interval instead of 10 s (an hour shows that something else told a page). */
  TEST_SEQ_SYNC_MS: shown(optional(milliseconds.refine((n) => n >= 1, 'expected a whole number of milliseconds from 1'))),
  /** Comments on a thread made in the app close this many days after it opens (lib/domain/closing.ts); unset (the default): never. */
  COMMENTS_CLOSE_AFTER_DAYS: shown(
    optional(
      z
        .string()
        .regex(/^\d{1,4}$/, `expected a whole number of days from 1 to ${CLOSE_AFTER_DAYS_MAX}`)
        .transform(Number)
        .refine((n) => n >= 1 && n <= CLOSE_AFTER_DAYS_MAX, `expected a whole number of days from 1 to ${CLOSE_AFTER_DAYS_MAX}`),
    ),
  ),
  /** How often each node looks for threads whose closing time has come (default 5000; tests set it short). */
  THREAD_CLOSING_POLL_MS: shown(optional(milliseconds.refine((n) => n >= 10, 'expected a whole number of milliseconds from 10')).transform((v) => v ?? 5000)),
} satisfies Record<string, Variable>;

/** `loginAddress` → `LOGIN_ADDRESS`. */
type ScreamingSnake<S extends string> = S extends `${infer C}${infer Rest}` ? `${C extends Lowercase<C> ? '' : '_'}${Uppercase<C>}${ScreamingSnake<Rest>}` : '';
/** `SHUTDOWN_GRACE_MS` → `shutdownGraceMs`. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}` : Lowercase<S>;
type LimitVariable = `RATE_LIMIT_${ScreamingSnake<LimitName>}`;

/** `loginAddress` → `RATE_LIMIT_LOGIN_ADDRESS`. */
export const limitVariable = (name: LimitName) => `RATE_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}` as LimitVariable;
const camelCase = (variable: string) => variable.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase());

/** Each limit's variable, one per name in lib/services/limits.ts (README's configuration table). */
const LIMIT_VARIABLES = Object.fromEntries(LIMIT_NAMES.map((name) => [limitVariable(name), shown(limitSetting)])) as Record<LimitVariable, Variable<typeof limitSetting>>;

/** NODE_ENV is read for dev mode (and the log format's default), not kept as a setting of its own. */
const VARIABLES = {
  NODE_ENV: shown(optional(z.enum(['development', 'production', 'test']))),
  ...SETTINGS,
  ...LIMIT_VARIABLES,
};

const EnvSchema = z.object(Object.fromEntries(Object.entries(VARIABLES).map(([name, variable]) => [name, variable.schema])) as { [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K]['schema'] });

/** Every variable the server reads (README's and docs/deploy.md's tables are checked against it). */
export const ENV_VARIABLES = Object.keys(VARIABLES) as (keyof typeof VARIABLES)[];

type Settings = { [K in keyof typeof SETTINGS as CamelCase<K>]: z.output<(typeof SETTINGS)[K]['schema']> };

export type Config = Omit<Settings, 'redisAdapter' | 'logFormat'> & {
  dev: boolean;
  redisAdapter: RedisAdapterMode;
  logFormat: 'json' | 'text';
  /** The limits set by RATE_LIMIT_* variables; the others keep their defaults (lib/services/limits.ts). */
  limits: Partial<LimitRules>;
};

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
        const got = value === undefined ? 'it is not set' : VARIABLES[name as keyof typeof VARIABLES]?.shown ? `got ${JSON.stringify(value)}` : 'value not shown';
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
  if (parsed.success && parsed.data.SPAM_CHECK_URL && !parsed.data.SPAM_CHECK_KEY) {
    problems.push('SPAM_CHECK_KEY: required when SPAM_CHECK_URL is set (the service\'s API key, sent as api_key with every check)');
  }
  if (parsed.success && parsed.data.SPAM_CHECK_KEY && !parsed.data.SPAM_CHECK_URL) {
    problems.push('SPAM_CHECK_URL: required when SPAM_CHECK_KEY is set (the service to send the key to, such as https://rest.akismet.com)');
  }
  if (parsed.success && parsed.data.SMTP_URL && !parsed.data.MAIL_FROM) problems.push('MAIL_FROM: required when SMTP_URL is set (the sender of sign-in mail, such as comments@news.example.com)');
  if (parsed.success && parsed.data.SMTP_URL && !parsed.data.PUBLIC_URL) {
    problems.push('PUBLIC_URL: required when SMTP_URL is set (sign-in links in mail point there: a link must never take its host from a request)');
  }
  // Settings of a mail that is never sent would be settings that do nothing.
  if (parsed.success && !parsed.data.SMTP_URL) {
    for (const name of ['SITE_ADDRESS', 'QUEUE_ALERT_MINUTES'] as const) {
      if (parsed.data[name] !== undefined) problems.push(`${name}: has no effect without SMTP_URL (email is off)`);
    }
  }
  if (parsed.success && parsed.data.WEBHOOK_URLS.length > 0 && !parsed.data.WEBHOOK_SECRET) {
    problems.push('WEBHOOK_SECRET: required when WEBHOOK_URLS is set, so that receivers can check each webhook came from this server');
  }
  // A check of tokens that are never accepted would be a setting that does nothing.
  if (parsed.success && !parsed.data.SSO_SECRET && !parsed.data.SSO_JWKS_URL) {
    for (const name of ['SSO_ISSUER', 'SSO_AUDIENCE'] as const) {
      if (parsed.data[name] !== undefined) problems.push(`${name}: has no effect without SSO_SECRET or SSO_JWKS_URL (the host site's sign-in is off)`);
    }
  }
  // A page that may open its thread but cannot frame the embed would be a thread nobody reads there.
  if (parsed.success) {
    for (const pattern of parsed.data.EMBED_THREAD_URLS.filter((p) => !parsed.data.EMBED_ORIGINS.includes(p.origin))) {
      problems.push(`EMBED_THREAD_URLS: ${JSON.stringify(pattern.source)} is on ${pattern.origin}, which EMBED_ORIGINS does not list (its pages could not frame the embed)`);
    }
  }
  // Gone, not renamed: silently ignoring it would leave an operator believing in a limit that is not there.
  if (env.RATE_LIMIT_LOGIN_USERNAME !== undefined) {
    problems.push(
      'RATE_LIMIT_LOGIN_USERNAME: no longer exists, because a limit per username let anyone lock the owner out; failed sign-ins are limited per username and address by RATE_LIMIT_LOGIN_FAILURES (docs/security.md)',
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const settings = Object.fromEntries(Object.keys(SETTINGS).map((name) => [camelCase(name), e[name as keyof typeof SETTINGS]])) as Settings;
  return {
    ...settings,
    dev: e.NODE_ENV === 'development',
    redisAdapter: e.REDIS_ADAPTER ?? (e.REDIS_CLUSTER_NODES ? 'sharded' : 'classic'),
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'text' : 'json'),
    limits: Object.fromEntries(
      LIMIT_NAMES.flatMap((name) => {
        const rule = e[limitVariable(name)];
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

/** The spam check's settings (lib/services/spam): the built-in signals, and the outside service when SPAM_CHECK_URL is set. */
/** The site settings where an admin set none (the panel's `PUT /api/settings` overrides each). */
export function siteDefaults(config: Config): SiteSettings {
  return { commentPolicy: config.commentPolicy, newAccountHold: config.newAccountHold, ...config.reviewAfterRejections };
}

export function spamSettings(config: Config, languages: readonly string[]): SpamSettings {
  return {
    enabled: config.spamChecks,
    rules: { linksInFirstComment: config.spamLinksFirstComment, repeatedText: config.spamRepeatedText, newGuests: config.spamNewGuests },
    ...(config.spamCheckUrl &&
      config.spamCheckKey && { outside: { url: config.spamCheckUrl, key: config.spamCheckKey, timeoutMs: config.spamCheckTimeoutMs, languages } }),
  };
}

/** The host site's sign-in (lib/services/signIn/ssoTokens.ts): off when neither SSO_SECRET nor SSO_JWKS_URL is set. */
export function ssoSettings(config: Config): SsoSettings {
  return { secret: config.ssoSecret, jwksUrl: config.ssoJwksUrl, issuer: config.ssoIssuer, audience: config.ssoAudience };
}

/**
 * Email for notices (docs/email.md): on with SMTP_URL and SITE_ADDRESS (every such mail carries the
 * postal address); SMTP_URL alone keeps sign-in links only. Undefined: off.
 */
export function mailSettings(config: Config): MailSettings | undefined {
  if (!config.smtpUrl || !config.publicUrl || !config.siteAddress) return undefined;
  return {
    site: { name: config.siteName ?? new URL(config.publicUrl).host, address: config.siteAddress, publicUrl: config.publicUrl },
    batchMs: config.mailBatchSeconds * 1000,
    digestHourUtc: config.digestHourUtc,
    queueAlertMs: config.queueAlertMinutes === undefined ? null : config.queueAlertMinutes * 60_000,
  };
}
