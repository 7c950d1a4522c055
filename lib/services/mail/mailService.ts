import type { DeadLetter, NotificationSettings } from '../../contract/mail';
import { AppError } from '../../domain/errors';
import { STDERR_LOG, type ErrorLog } from '../../domain/errorLog';
import { DEFAULT_EMAIL_CHOICES, EMAIL_CHOICES_BY_KIND, EMAIL_KINDS, NOTIFICATION_KINDS, type EmailChoice, type EmailKind } from '../../domain/notifications';
import { isStaffRole } from '../../domain/identity';
import type { User } from '../../store/accountStore';
import type { Recipient } from '../../store/mailStore';
import type { Store } from '../../store/store';
import { createEventBus } from '../eventBus';
import { rateLimited, type RateLimiter } from '../rateLimiter';
import { EmailAddressSchema, hashSecret, looksLikeSecret, newSecret } from '../signIn/emailLinks';
import { parseOrThrow } from '../../domain/validation';
import { z } from '../../contract/zod';
import { digestMail, noticesMail, queueAlertMail, verifyAddressMail, type MailSite } from './mailTexts';
import { createUnsubscribeTokens } from './unsubscribeTokens';

/** How long the link that confirms an address works. */
export const VERIFY_TTL_MS = 48 * 60 * 60 * 1000;
/** People handled per round of a mail job; a full round goes again at once. */
const ROUND = 50;
/** A person's first digest covers at most this much before it. */
const FIRST_DIGEST_SPAN_MS = 24 * 60 * 60 * 1000;
export const UNSUBSCRIBE_PATH = '/api/unsubscribe';
export const VERIFY_PATH = '/api/email/verify';

/** What the mail of notices runs on (server/config.ts: SITE_NAME, SITE_ADDRESS, PUBLIC_URL, MAIL_BATCH_SECONDS, DIGEST_HOUR_UTC, QUEUE_ALERT_MINUTES). */
export interface MailSettings {
  site: MailSite;
  /** A person's notices made within this long of the first one go out in one mail. */
  batchMs: number;
  /** The hour (UTC) the daily digest goes out. */
  digestHourUtc: number;
  /** Moderators are mailed when the queue's oldest item waited longer than this; null: never. */
  queueAlertMs: number | null;
}

export interface MailService {
  /** False without SMTP_URL: choices are kept, nothing is queued. */
  readonly enabled: boolean;
  settings(user: User): Promise<NotificationSettings>;
  setChoices(request: { user: User; choices: Partial<Record<EmailKind, EmailChoice>> }): Promise<NotificationSettings>;
  /** Queues the mail with the link that confirms `email` as the person's address (the current one stays until then). */
  requestAddress(request: { user: User; email: string }): Promise<{ pending: string }>;
  /** Follows a confirmation link: the address becomes the account's, verified. `email_link_invalid` (reason in fields.link) otherwise. */
  verifyAddress(token: string | null | undefined): Promise<{ userId: string; email: string }>;
  /** What an unsubscribe token would stop, without changing anything (the page that asks to confirm); `unsubscribe_link_invalid` for a bad one. */
  describeUnsubscribe(token: string | null | undefined): Promise<{ kinds: EmailKind[]; displayName: string }>;
  /** Sets every kind the token names to `never`. Idempotent. */
  unsubscribe(token: string | null | undefined): Promise<{ kinds: EmailKind[] }>;
  deadLetters(): Promise<DeadLetter[]>;
  /** Sends a dead mail again (`mail_not_found` unless it is dead). */
  retry(id: string): Promise<void>;
  /** One round of the batches: mails each person whose window is over. Resolves with the mails queued. */
  mailNotices(now: number): Promise<number>;
  /** One round of the digests (from DIGEST_HOUR_UTC each day on). */
  mailDigests(now: number): Promise<number>;
  /** One look at the queue: mails the moderators once per item that waited too long. */
  alertQueue(now: number): Promise<number>;
  /** Called when something was queued, to wake the deliverer (server/mail). */
  onQueued(listener: () => void): () => void;
}

/** The latest digest time at or before `now`: today's DIGEST_HOUR_UTC, or yesterday's before it. */
export function digestCutoff(now: number, hourUtc: number): number {
  const day = new Date(now);
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc);
  return today <= now ? today : today - 24 * 60 * 60 * 1000;
}

/** The kinds a person may choose for: everybody's, and the queue's alert for moderators and admins. */
function kindsFor(user: User): EmailKind[] {
  return isStaffRole(user.role) ? [...EMAIL_KINDS] : [...NOTIFICATION_KINDS];
}

export function createMailService(deps: {
  store: Store;
  /** Null: email is off (no SMTP_URL). */
  settings: MailSettings | null;
  sessionSecret: string;
  /** Confirmation mails per address (the sign-in links' budget). */
  perAddress: RateLimiter;
  now?: () => number;
  /** Where a person's failed batch or digest is reported (the others go on); standard error when unset. */
  log?: ErrorLog;
}): MailService {
  const { store } = deps;
  const mail = store.mail;
  const clock = deps.now ?? Date.now;
  const tokens = createUnsubscribeTokens(deps.sessionSecret);
  const queued = createEventBus<void>();
  const config = deps.settings;
  const iso = (ms: number) => new Date(ms).toISOString();
  const log = deps.log ?? STDERR_LOG;
  const personFailed = (userId: string, count: () => void) => (err: unknown) => {
    count();
    log.error(`mail for person ${userId} failed`, err);
    return null;
  };

  function site(): MailSite {
    if (!config) throw new AppError('email_off');
    return config.site;
  }

  const unsubscribeUrl = (userId: string) => (kinds: EmailKind[]) => {
    const url = new URL(UNSUBSCRIBE_PATH, site().publicUrl);
    url.searchParams.set('t', tokens.sign({ userId, kinds }));
    return url.toString();
  };

  async function settingsOf(user: User): Promise<NotificationSettings> {
    const stored = await mail.choices(user.id);
    const kinds = kindsFor(user);
    return {
      emailEnabled: config !== null,
      email: { address: user.emailVerifiedAt ? user.email : null, verified: Boolean(user.email && user.emailVerifiedAt), pending: await mail.pendingVerification({ userId: user.id, now: iso(clock()) }) },
      choices: Object.fromEntries(kinds.map((k) => [k, stored[k] ?? DEFAULT_EMAIL_CHOICES[k]])) as Record<EmailKind, EmailChoice>,
      allowed: Object.fromEntries(kinds.map((k) => [k, [...EMAIL_CHOICES_BY_KIND[k]]])) as Record<EmailKind, EmailChoice[]>,
    };
  }

  function grantOf(token: string | null | undefined) {
    const grant = tokens.verify(token);
    if (!grant) throw new AppError('unsubscribe_link_invalid');
    return grant;
  }

  async function announce<T>(count: T): Promise<T> {
    if (count) queued.publish();
    return count;
  }

  return {
    enabled: config !== null,
    settings: settingsOf,

    async setChoices({ user, choices }) {
      const allowed = kindsFor(user);
      for (const kind of Object.keys(choices) as EmailKind[]) {
        if (!allowed.includes(kind)) throw new AppError('invalid_request', { fields: { [`choices.${kind}`]: ['only moderators and admins choose this'] } });
      }
      await mail.setChoices({ userId: user.id, choices, at: iso(clock()) });
      return settingsOf(user);
    },

    async requestAddress({ user, email: given }) {
      const s = site();
      const { email } = parseOrThrow(z.object({ email: EmailAddressSchema }), { email: given });
      const budget = await deps.perAddress.consume(`verify:${email}`);
      if (!budget.allowed) throw rateLimited(budget.retryAfterMs, 'Too many confirmation mails were sent to this address. Please use the last one, or wait a while.');
      const at = clock();
      const token = newSecret();
      await mail.createVerification({ tokenHash: hashSecret(token), userId: user.id, email, createdAt: iso(at), expiresAt: iso(at + VERIFY_TTL_MS) });
      const link = new URL(VERIFY_PATH, s.publicUrl);
      link.searchParams.set('t', token);
      await mail.enqueue(verifyAddressMail({ site: s, userId: user.id, email, displayName: user.displayName, link: link.toString(), validHours: VERIFY_TTL_MS / 3_600_000 }), iso(at));
      queued.publish();
      return { pending: email };
    },

    async verifyAddress(token) {
      if (!looksLikeSecret(token)) throw new AppError('email_link_invalid', { fields: { link: ['malformed'] } });
      const used = await mail.useVerification({ tokenHash: hashSecret(token), now: iso(clock()) });
      if (!used.ok) throw new AppError('email_link_invalid', { fields: { link: [used.reason] } });
      return { userId: used.userId, email: used.email };
    },

    async describeUnsubscribe(token) {
      const grant = grantOf(token);
      const user = await store.accounts.findUserById(grant.userId);
      if (!user || user.removedAt) throw new AppError('unsubscribe_link_invalid');
      return { kinds: grant.kinds, displayName: user.displayName };
    },

    async unsubscribe(token) {
      const grant = grantOf(token);
      const user = await store.accounts.findUserById(grant.userId);
      // A deleted account has nothing left to unsubscribe: the link did its work.
      if (!user) return { kinds: grant.kinds };
      await mail.setChoices({ userId: user.id, choices: Object.fromEntries(grant.kinds.map((k) => [k, 'never'])), at: iso(clock()) });
      return { kinds: grant.kinds };
    },

    async deadLetters() {
      const rows = await mail.list({ state: 'dead', limit: 200 });
      return rows.map((m) => ({ id: m.id, to: m.to, kind: m.kind, subject: m.subject, attempts: m.attempts, lastError: m.lastError, createdAt: m.createdAt, finishedAt: m.finishedAt }));
    },

    async retry(id) {
      if (!(await mail.retry({ id, at: iso(clock()) }))) throw new AppError('mail_not_found');
      queued.publish();
    },

    async mailNotices(now) {
      if (!config) return 0;
      let count = 0;
      for (;;) {
        const due = await mail.dueNoticeRecipients({ before: iso(now - config.batchMs), limit: ROUND });
        let failed = 0;
        for (const userId of due) {
          const sent = await mail
            .mailNotices({
              userId,
              now: iso(now),
              compose: ({ recipient, notices }) => noticesMail({ site: config.site, recipient: withAddress(recipient), notices, unsubscribeUrl: unsubscribeUrl(userId) }),
            })
            .catch(personFailed(userId, () => failed++));
          if (sent) count++;
        }
        // A person whose batch fails (rolled back, tried next round) holds nobody else back; a round of failures ends the round.
        if (due.length < ROUND || failed === due.length) return announce(count);
      }
    },

    async mailDigests(now) {
      if (!config) return 0;
      const cutoff = digestCutoff(now, config.digestHourUtc);
      const day = iso(cutoff).slice(0, 10);
      let count = 0;
      for (;;) {
        const due = await mail.dueDigestRecipients({ cutoff: iso(cutoff), limit: ROUND });
        let failed = 0;
        for (const userId of due) {
          const sent = await mail.mailDigest({
            userId,
            now: iso(now),
            cutoff: iso(cutoff),
            firstSince: iso(now - FIRST_DIGEST_SPAN_MS),
            compose: ({ recipient, notices, followed }) => {
              const kinds = [...new Set<EmailKind>([...notices.map((n) => n.kind), ...(followed.length > 0 ? (['followed'] as const) : [])])];
              return digestMail({ site: config.site, recipient: withAddress(recipient), notices, followed, kinds, unsubscribeUrl: unsubscribeUrl(userId), dedupeKey: `digest:${userId}:${day}` });
            },
          }).catch(personFailed(userId, () => failed++));
          if (sent) count++;
        }
        // Each person handled is claimed for the day (mailDigest), so the next look finds the others.
        if (due.length < ROUND || failed === due.length) return announce(count);
      }
    },

    async alertQueue(now) {
      if (!config || config.queueAlertMs === null) return 0;
      const oldest = await mail.oldestQueued();
      if (!oldest) return 0;
      const waited = now - Date.parse(oldest.queuedAt);
      if (!(waited > config.queueAlertMs)) return 0;
      let count = 0;
      for (const recipient of await mail.queueAlertRecipients()) {
        const alert = queueAlertMail({
          site: config.site,
          recipient: withAddress(recipient),
          waitedMinutes: Math.floor(waited / 60_000),
          unsubscribeUrl: unsubscribeUrl(recipient.userId),
          // Once per such wait: the item that waits, per moderator. Every node may look; one mail is queued.
          dedupeKey: `queue:${oldest.commentId}:${oldest.queuedAt}:${recipient.userId}`,
        });
        if (await mail.enqueue(alert, iso(now))) count++;
      }
      return announce(count);
    },

    onQueued: (listener) => queued.subscribe(listener),
  };
}

function withAddress(recipient: Recipient): Recipient & { email: string } {
  if (recipient.email === null) throw new Error('a mail is composed only for a verified address');
  return { ...recipient, email: recipient.email };
}
