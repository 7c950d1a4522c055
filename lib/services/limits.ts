import { createMemoryRateLimiter, unlimited, type LimitRule, type RateLimiter } from './rateLimiter';

/**
 * Every rate limit, by name. Keys: posts, likes, reports and socket events per guest;
 * sign-in attempts per client address, failed sign-ins per username and address (or per
 * browser that signed in before), password checks per node; HTTP writes per client
 * address; typing per connection.
 */
export const LIMIT_NAMES = ['posts', 'likes', 'reports', 'loginAddress', 'loginFailures', 'loginHashes', 'typing', 'socketEvents', 'httpWrites'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** A rule, or `off` for that one limit. */
export type LimitRules = Record<LimitName, LimitRule | 'off'>;
export type Limiters = Record<LimitName, RateLimiter>;

/**
 * `10/60` → ten points per 60 s: the notation of the RATE_LIMIT_* variables (server/config.ts
 * checks their text, then reads it with this) and of the defaults below, as README's table shows them.
 */
export function limitRule(text: `${number}/${number}`): LimitRule {
  const [points, durationSeconds] = text.split('/').map(Number) as [number, number];
  return { points, durationSeconds };
}

export const DEFAULT_LIMITS: Readonly<LimitRules> = {
  // A burst of conversation is fine, a flood is not.
  posts: limitRule('10/60'),
  // Liking down a page and changing one's mind is normal; hundreds a minute is a script (each one is a write and an event).
  likes: limitRule('60/60'),
  reports: limitRule('10/60'),
  loginAddress: limitRule('5/60'),
  // Per username *and* address: a stranger's guesses cannot lock the owner out from elsewhere (docs/security.md).
  loginFailures: limitRule('10/900'),
  // The node's password checks (OWASP's scrypt: 128 MiB and ~0.3 s of a core each), whoever asks.
  loginHashes: limitRule('60/60'),
  // "Someone is replying…" is a courtesy: one signal per connection every 2 s is plenty (docs/protocol.md).
  typing: limitRule('1/2'),
  // A reading page sends a handful of events a minute; a hundred in 10 s is a script.
  socketEvents: limitRule('100/10'),
  // Per address, and many readers may share one (an office, a mobile carrier): generous on purpose.
  httpWrites: limitRule('300/60'),
};

/**
 * Limits that RATE_LIMITS=off leaves on: sign-in guards passwords, not load (a
 * forgotten `off` in production must not open brute force), and the typing
 * throttle is part of the protocol, which keeps typing fan-out proportional to
 * typists rather than keystrokes.
 */
export const ALWAYS_ON: ReadonlySet<LimitName> = new Set<LimitName>(['loginAddress', 'loginFailures', 'loginHashes', 'typing']);

/**
 * Counted in this process: typing where the connection lives (sharing it between nodes would buy
 * nothing), password checks per node because what they guard is this node's CPU and memory.
 */
const IN_PROCESS: ReadonlySet<LimitName> = new Set<LimitName>(['typing', 'loginHashes']);

/** Builds one limiter; the server passes a Redis-backed one so that every node shares the counts. */
export type LimiterFactory = (options: { name: LimitName; rule: LimitRule }) => RateLimiter;

const memoryFactory: LimiterFactory = ({ name, rule }) => createMemoryRateLimiter({ ...rule, keyPrefix: `rl:${name}` });

export function buildLimiters(options: { rules?: Partial<LimitRules>; enabled?: boolean; factory?: LimiterFactory } = {}): Limiters {
  const rules = { ...DEFAULT_LIMITS, ...options.rules };
  const factory = options.factory ?? memoryFactory;
  const build = (name: LimitName): RateLimiter => {
    const rule = rules[name];
    if (rule === 'off' || (options.enabled === false && !ALWAYS_ON.has(name))) return unlimited;
    return IN_PROCESS.has(name) ? memoryFactory({ name, rule }) : factory({ name, rule });
  };
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, build(name)])) as Limiters;
}
