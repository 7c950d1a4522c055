import { createMemoryRateLimiter, unlimited, type LimitRule, type RateLimiter } from './rateLimiter';

/**
 * Every rate limit, by name. Keys: posts, edits, likes, reports and socket events per guest, and each
 * again per client address (`…Address`: lib/services/senderBudget.ts counts an action against
 * both); sign-in attempts per client address, failed sign-ins per username and address (or per
 * browser that signed in before), password checks per node; HTTP writes and new socket
 * connections per client address; typing per connection; display-name changes per account. A client address is an IPv4 address or
 * an IPv6 /64 (lib/domain/addressKey.ts).
 */
export const LIMIT_NAMES = [
  'posts',
  'postsAddress',
  'edits',
  'editsAddress',
  'likes',
  'likesAddress',
  'reports',
  'reportsAddress',
  'loginAddress',
  'loginFailures',
  'loginHashes',
  'emailLinks',
  'emailLinksAddress',
  'typing',
  'socketEvents',
  'socketEventsAddress',
  'socketHandshakes',
  'httpWrites',
  'displayNames',
] as const;
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

/**
 * Per address, many readers may share one (a newsroom's office, a school, a mobile carrier's NAT):
 * the `…Address` budgets are sized for an office of about 30 people commenting in the same minute,
 * several times over, and still stop a script that drops its cookie on every connection (a guest
 * per connection) at a few posts a second instead of hundreds. docs/security.md says how to size them.
 */
export const DEFAULT_LIMITS: Readonly<LimitRules> = {
  // A burst of conversation is fine, a flood is not.
  posts: limitRule('10/60'),
  // 30 people posting a comment and a reply each in one minute is 60.
  postsAddress: limitRule('100/60'),
  // Fixing a typo or two is normal; every edit goes out to every reader of the thread and through the spam check.
  edits: limitRule('10/60'),
  editsAddress: limitRule('100/60'),
  // Liking down a page and changing one's mind is normal; hundreds a minute is a script (each one is a write and an event).
  likes: limitRule('60/60'),
  likesAddress: limitRule('600/60'),
  reports: limitRule('10/60'),
  reportsAddress: limitRule('60/60'),
  loginAddress: limitRule('5/60'),
  // Per username *and* address: a stranger's guesses cannot lock the owner out from elsewhere (docs/security.md).
  loginFailures: limitRule('10/900'),
  // The node's password checks (OWASP's scrypt: 128 MiB and ~0.3 s of a core each), whoever asks.
  loginHashes: limitRule('60/60'),
  // Sign-in mails per address they go to: a mailbox must not be flooded from here (docs/security.md, "Email links").
  emailLinks: limitRule('3/900'),
  // Sign-in mails asked for per client address, whatever the addresses: guessing and spraying stop here.
  emailLinksAddress: limitRule('20/3600'),
  // "Someone is replying…" is a courtesy: one signal per connection every 2 s is plenty (docs/protocol.md).
  typing: limitRule('1/2'),
  // A reading page sends a handful of events a minute; a hundred in 10 s is a script.
  socketEvents: limitRule('100/10'),
  // Hundreds of readers on one address each sending a few, or all of them reconnecting at once after a node restarts.
  socketEventsAddress: limitRule('2000/10'),
  // New Socket.IO connections: every page view (and reconnection) is one; each without a cookie is a new guest.
  socketHandshakes: limitRule('600/60'),
  // Per address, and many readers may share one (an office, a mobile carrier): generous on purpose.
  httpWrites: limitRule('300/60'),
  // A name is how others know a person: changing it a few times a day is plenty, more is playing at being someone else.
  displayNames: limitRule('3/86400'),
};

/**
 * Limits that RATE_LIMITS=off leaves on: sign-in guards passwords and mailboxes, not load (a
 * forgotten `off` in production must not open brute force), and the typing
 * throttle is part of the protocol, which keeps typing fan-out proportional to
 * typists rather than keystrokes.
 */
export const ALWAYS_ON: ReadonlySet<LimitName> = new Set<LimitName>(['loginAddress', 'loginFailures', 'loginHashes', 'emailLinks', 'emailLinksAddress', 'typing']);

/**
 * Counted in this process: typing where the connection lives (sharing it between nodes would buy
 * nothing), password checks per node because what they guard is this node's CPU and memory.
 */
const IN_PROCESS: ReadonlySet<LimitName> = new Set<LimitName>(['typing', 'loginHashes']);

/** Builds one limiter; the server passes a Redis-backed one so that every node shares the counts. */
/**
 * Socket.IO connections open at once per client address (MAX_SOCKETS_PER_ADDRESS): a count, not a
 * rate, so not one of the limits above; lifted by RATE_LIMITS=off like them. Counted per node
 * (server/realtime/connectionGate.ts).
 */
export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 500;

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
