import { STDERR_LOG, type ErrorLog } from '../domain/errorLog';
import type { Store } from '../store/store';
import { createAnswers } from './answers';
import { createAuthService, type AccountChange, type AuthService } from './authService';
import { createBadgeDirectory, type BadgeDirectory } from './badgeDirectory';
import { createCommentService, type CommentService } from './commentService';
import { createPersonService, type PersonService } from './personService';
import { createMentionService, type MentionService } from './mentionService';
import { createEventBus, type EventBus } from './eventBus';
import { createOwnDataService, type OwnDataService } from './ownDataService';
import { createModerationService, type ModerationNotice, type ModerationService, type QueueChange, type ThreadDeletion } from './moderationService';
import { createPasswords, type PasswordCost } from './passwords';
import { createPasswordHasher, DEFAULT_HASHING, type HashingOptions } from './passwordHasher';
import { buildLimiters, type Limiters } from './limits';
import { senderBudget } from './senderBudget';
import { buildSpamCheck, DEFAULT_SPAM_SETTINGS, type SpamSettings } from './spam';
import { createSsoTokens, type SsoSettings, type SsoTokens } from './signIn/ssoTokens';
import { createPolicyService, type PolicyService } from './policyService';
import type { SiteSettings } from '../domain/commentPolicy';
import { createThreadService, type ThreadService } from './threadService';
import { createOidcSignIn, type OidcSignIn } from './oidc/oidcSignIn';
import type { OidcProviderSettings } from './oidc/oidcProviders';
import { createEmailLinks, type EmailLinks } from './signIn/emailLinks';
import { createFrameCodes, type FrameCodes } from './signIn/frameCodes';
import type { Mailer } from './signIn/mailer';
import { createMailService, type MailService, type MailSettings } from './mail/mailService';
import type { CommentDecision } from './notifications/decisions';
import { startNotifier, type NoticeDelivery } from './notifications/notifier';
import { noticesOfPost } from './notifications/rules';
import { createNotificationService, type NotificationService } from './notifications/notificationService';
import { createPulseService, type PulseService } from './pulse/pulseService';

export type { PageComment, ThreadPage, ThreadService } from './threadService';
export type { CommentService } from './commentService';
export type { EventBus, PublishedEvent } from './eventBus';
export type { AccountChange, AuthService } from './authService';
export type { OwnDataService, SessionView } from './ownDataService';
export type { PolicyService } from './policyService';
export type { ModerationNotice, ModerationService, QueueChange, ThreadDeletion } from './moderationService';
export type { CommentDecision } from './notifications/decisions';
export type { NoticeDelivery } from './notifications/notifier';
export type { NotificationService } from './notifications/notificationService';

/** Everything the HTTP API, the socket handlers and the pages call into. */
export interface Services {
  store: Store;
  /** Committed thread events, for the fan-out. */
  bus: EventBus;
  /** Changes to the moderators' queue, for their desks. */
  queueBus: EventBus<QueueChange>;
  /** Revoked sessions and accounts, so every node takes rights away at once. */
  accountBus: EventBus<AccountChange>;
  /** Held and reported comments, for the moderators' outside channels (webhooks). */
  notices: EventBus<ModerationNotice>;
  /** Deleted threads, for their readers' pages (they have no seq to carry it). */
  deletions: EventBus<ThreadDeletion>;
  /** Decisions on comments their authors are told about (held, approved, removed), for the notifier. */
  decisions: EventBus<CommentDecision>;
  /** A person's bell changed (a notice kept, notices read): for their sockets on every node. */
  deliveries: EventBus<NoticeDelivery>;
  /** The signed-in person's bell, mutes and thread watches (lib/services/notifications). */
  notifications: NotificationService;
  /** Resolves once the notices of every change published so far are kept (tests, and a graceful stop). */
  noticesSettled(): Promise<void>;
  threads: ThreadService;
  comments: CommentService;
  auth: AuthService;
  moderation: ModerationService;
  /** The host site's sign-in tokens (SSO_SECRET, SSO_JWKS_URL); null when that sign-in is off. */
  sso: SsoTokens | null;
  /** Signing in with OpenID Connect providers (OIDC_PROVIDERS); none configured: the method is off. */
  oidc: OidcSignIn;
  /** A signed-in person's own data: their name, sessions, export, deletion, and claiming what they wrote as a guest. */
  ownData: OwnDataService;
  /** The site's comment policy and trust settings, and moderators' word on people (trusted, shadow-banned). */
  policy: PolicyService;
  /** Signs and checks guest session cookies. */
  sessionSecret: string;
  /** Every rate limit, for the services here and the server's own (socket events, typing, HTTP writes). */
  limiters: Limiters;
  /** The badged accounts, on every rendering of a comment (badgeDirectory.ts). */
  badges: BadgeDirectory;
  /** The moderators' page of a person, their notes, and admins' badges (personService.ts). */
  people: PersonService;
  /** Sign-in by email link; null when SMTP_URL is not set (the method is off). */
  emailLinks: EmailLinks | null;
  /** The `@` suggestion's people of a thread and a person's public page (mentionService.ts). */
  mentions: MentionService;
  /** One-time codes that hand a sign-in to the embed's frame. */
  frameCodes: FrameCodes;
  /** Email for notices (docs/email.md): choices, the address's proof, unsubscribing, the batches, digests and the queue's alert. */
  mail: MailService;
  /** Stops what the services run by themselves: the password-hashing workers. */
  close(): Promise<void>;
  /** The moderators' dashboard: live figures of the site and of each thread (lib/services/pulse). */
  pulse: PulseService;
}

export interface ServicesOptions {
  store: Store;
  sessionSecret: string;
  /** False lifts the limits that guard load (load tests on a trusted network); ignored with `limiters`. */
  rateLimits?: boolean;
  /** Defaults to the default limits in this process's memory (one node). */
  limiters?: Limiters;
  /** Lower than OWASP's only in tests, where hashing speed matters more than strength. */
  passwordCost?: PasswordCost;
  /** Where passwords are hashed (SIGNIN_HASH_WORKERS, SIGNIN_HASH_QUEUE); defaults to one worker and a queue of 8. */
  signInHashing?: HashingOptions;
  /** Comments the cache of thread pages may hold (PAGE_CACHE_COMMENTS; 0: no cache). */
  pageCacheComments?: number;
  /** The spam check (SPAM_* variables); the built-in signals' defaults and no outside service when unset. */
  spam?: SpamSettings;
  /** The host site's sign-in (SSO_* variables); unset: off. */
  sso?: SsoSettings;
  /** The site settings where an admin set none (COMMENT_POLICY, NEW_ACCOUNT_HOLD, REVIEW_AFTER_REJECTIONS); DEFAULT_SITE_SETTINGS when unset. */
  siteDefaults?: SiteSettings;
  /** Where a failing event listener (or the spam service) is reported; standard error when unset. */
  log?: ErrorLog;
  /** The OpenID Connect providers people may sign in with (OIDC_PROVIDERS); none when unset. */
  oidcProviders?: readonly OidcProviderSettings[];
  /** Sign-in by email link (SMTP_URL, PUBLIC_URL); off when unset. */
  emailLinks?: { mailer: Mailer; publicUrl: string } | undefined;
  /** Email for notices (SMTP_URL, PUBLIC_URL, SITE_NAME, SITE_ADDRESS…); off when unset (choices are still kept). */
  mail?: MailSettings | undefined;
  /** False (NOTIFICATIONS=off): replies, mentions and decisions make no notices. On by default. */
  notifications?: boolean;
  /** The clock of the sign-in links and codes; tests move it instead of waiting. */
  now?: () => number;
}

/** How long a node may use its copy of the banned words (its own changes apply at once). */
const BANNED_WORDS_TTL_MS = 5000;

/** A value read at most once per `ttlMs`; concurrent readers share one read. */
function cached<T>(read: () => Promise<T>, ttlMs: number): { get: () => Promise<T>; clear: () => void } {
  let entry: { value: Promise<T>; at: number } | undefined;
  return {
    get() {
      if (!entry || Date.now() - entry.at > ttlMs) {
        const value = read();
        entry = { value, at: Date.now() };
        value.catch(() => (entry = undefined));
      }
      return entry.value;
    },
    clear() {
      entry = undefined;
    },
  };
}

export function createServices(options: ServicesOptions): Services {
  const { store } = options;
  const log = options.log ?? STDERR_LOG;
  const onListenerError = (err: unknown) => log.error('event listener failed', err);
  const bus = createEventBus({ onListenerError });
  const queueBus = createEventBus<QueueChange>({ onListenerError });
  const accountBus = createEventBus<AccountChange>({ onListenerError });
  const notices = createEventBus<ModerationNotice>({ onListenerError });
  const deletions = createEventBus<ThreadDeletion>({ onListenerError });
  const decisions = createEventBus<CommentDecision>({ onListenerError });
  const deliveries = createEventBus<NoticeDelivery>({ onListenerError });
  // On the node that committed each change, after the commit (docs/decisions.md, "Notices after the commit").
  // NOTIFICATIONS=off: nothing listens, so nothing is told (and the posting path pays nothing for it).
  const notifier = options.notifications === false ? { stop() {}, idle: async () => {} } : startNotifier({ store, bus, decisions, deliveries, log, now: options.now });
  const limiters = options.limiters ?? buildLimiters({ enabled: options.rateLimits !== false });
  const badges = createBadgeDirectory({ read: () => store.people.badgedAccounts(), onError: (err) => log.error('could not read the badged accounts', err) });
  const threads = createThreadService({ store, pageCacheComments: options.pageCacheComments, badges });
  const answers = createAnswers({ store, bus, badges: badges.of, log });
  const hasher = createPasswordHasher(options.signInHashing ?? DEFAULT_HASHING);
  // Read on every post: a few seconds' staleness on other nodes is fine, a query per post is not.
  const bannedWords = cached(() => store.moderation.listBannedWords(), BANNED_WORDS_TTL_MS);
  const moderation = createModerationService({
    store,
    threads,
    bus,
    queueBus,
    reports: senderBudget({
      action: 'report',
      perGuest: limiters.reports,
      perAddress: limiters.reportsAddress,
      messages: { guest: 'You are reporting too fast. Please wait a moment.', address: 'Too many reports from your network address. Please wait a moment.' },
    }),
    notices,
    deletions,
    onBannedWordsChanged: bannedWords.clear,
    badges: badges.of,
    decisions,
    answers,
  });
  const policy = createPolicyService({ store, defaults: options.siteDefaults });
  return {
    store,
    bus,
    policy,
    queueBus,
    accountBus,
    notices,
    deletions,
    decisions,
    deliveries,
    notifications: createNotificationService({ store, deliveries, now: options.now }),
    noticesSettled: () => notifier.idle(),
    sessionSecret: options.sessionSecret,
    limiters,
    badges,
    people: createPersonService({ store, badges }),
    mentions: createMentionService({ store }),
    emailLinks: options.emailLinks
      ? createEmailLinks({
          store,
          ...options.emailLinks,
          perEmail: limiters.emailLinks,
          perClient: limiters.emailLinksAddress,
          now: options.now,
          onSendFailed: (err) => log.error('sign-in mail not sent', err instanceof Error ? err.message : String(err)),
        })
      : null,
    frameCodes: createFrameCodes({ store, now: options.now }),
    mail: createMailService({ store, settings: options.mail ?? null, sessionSecret: options.sessionSecret, perAddress: limiters.emailLinks, now: options.now, log }),
    threads,
    moderation,
    sso: createSsoTokens({ settings: options.sso ?? {}, store: store.ssoTokens, log }),
    oidc: createOidcSignIn({ providers: options.oidcProviders ?? [] }),
    ownData: createOwnDataService({ store, bus, accountBus, queueBus, queueItem: (commentId) => moderation.queueItem(commentId), renames: limiters.displayNames }),
    comments: createCommentService({
      store,
      bus,
      siteDefaults: policy.defaults,
      posts: senderBudget({ action: 'post', perGuest: limiters.posts, perAddress: limiters.postsAddress, messages: { address: 'Too many comments from your network address. Please wait a moment.' } }),
      notices,
      decisions,
      // NOTIFICATIONS=off: a post makes no notice, in the store or after it.
      noticesOfPost: options.notifications === false ? undefined : noticesOfPost,
      edits: senderBudget({
        action: 'edit',
        perGuest: limiters.edits,
        perAddress: limiters.editsAddress,
        messages: { guest: 'You are editing too fast. Please wait a moment.', address: 'Too many edits from your network address. Please wait a moment.' },
      }),
      likes: senderBudget({
        action: 'like',
        perGuest: limiters.likes,
        perAddress: limiters.likesAddress,
        messages: { guest: 'You are liking too fast. Please wait a moment.', address: 'Too many likes from your network address. Please wait a moment.' },
      }),
      bannedWords: bannedWords.get,
      answers,
      spam: buildSpamCheck({ settings: options.spam ?? DEFAULT_SPAM_SETTINGS, store: store.spam, log }),
      log,
      badges: badges.of,
      onHeld: (commentId) => void moderation.queueItem(commentId).then((item) => queueBus.publish({ commentId, item })),
    }),
    // Sign-in attempts stay limited even with RATE_LIMITS=off (limits.ts ALWAYS_ON): they guard passwords and the node's CPU, not load.
    auth: createAuthService({
      store,
      accountBus,
      loginLimiters: { byAddress: limiters.loginAddress, failures: limiters.loginFailures, hashes: limiters.loginHashes },
      passwords: createPasswords(hasher, options.passwordCost),
      sessionSecret: options.sessionSecret,
    }),
    close: () => {
      notifier.stop();
      badges.close();
      return hasher.close();
    },
    pulse: createPulseService({ store }),
  };
}
