import type { MailStore, OutboxMail } from '../../lib/store/mailStore';
import type { Mailer } from '../../lib/services/signIn/mailer';
import { backoffMs } from '../webhooks/backoff';
import { createPoller, type OutboxDelivererTuning } from '../poller';

export interface OutboxDelivererOptions extends OutboxDelivererTuning {
  store: MailStore;
  mailer: Mailer;
  /** How long one mail may take to hand over: the lease outlasts it, so nobody else takes a mail in flight. */
  sendTimeoutMs?: number;
}

export const MAIL_DEFAULTS = { backoffBaseMs: 30_000, backoffMaxMs: 3_600_000, maxAttempts: 10, sendTimeoutMs: 15_000, pollMs: 5_000, batch: 20 };
/** Sent mails are kept this long (their dedupe keys say a digest or an alert went out), then dropped. */
const KEEP_SENT_MS = 30 * 24 * 60 * 60 * 1000;

export interface OutboxDeliverer {
  start(): void;
  stop(): Promise<void>;
  wake(): void;
  /** One round: claims what is due and attempts each once. Resolves with how many were attempted. */
  runOnce(): Promise<number>;
}

type Outcome = { ok: true } | { ok: false; error: string; retry: boolean };

/** An SMTP reply code in nodemailer's error, if the server answered at all. */
function replyCode(err: unknown): number | undefined {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Sends the durable outbox (mail_outbox) as the webhooks' deliverer sends theirs: each due mail is
 * claimed by one node with a lease (MailStore.claimDue), sent with its fixed Message-ID, and marked
 * sent; a temporary failure (no answer, a timeout, a connection dropped mid-mail, a 4xx) is tried
 * again with backoff, a refusal (5xx) or the last attempt makes it dead, for admins to see and send
 * again. A node killed mid-mail leaves it leased: another node (or this one restarted) takes it
 * when the lease is over; a receiver that did take the first copy drops the second by its Message-ID.
 */
export function createOutboxDeliverer(options: OutboxDelivererOptions): OutboxDeliverer {
  const s = { ...MAIL_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof MAIL_DEFAULTS;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, mailer, log } = options;
  // Longer than any attempt (a connection, a greeting and each command may each take up to the timeout).
  const leaseMs = s.sendTimeoutMs * 4;
  let lastSweep = 0;

  async function attempt(mail: OutboxMail): Promise<Outcome> {
    try {
      await mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, messageId: mail.messageId });
      return { ok: true };
    } catch (err) {
      const code = replyCode(err);
      const error = err instanceof Error ? err.message.slice(0, 500) : String(err);
      return { ok: false, error, retry: code === undefined || code < 500 };
    }
  }

  async function deliver(mail: OutboxMail): Promise<void> {
    const outcome = await attempt(mail);
    const at = new Date(now()).toISOString();
    if (outcome.ok) return store.markSent({ id: mail.id, at });
    const last = !outcome.retry || mail.attempts >= s.maxAttempts;
    // Never the address in the log: the id finds it for an admin.
    if (last) log.warn(`mail ${mail.id} (${mail.kind}) given up after ${mail.attempts} attempt(s): ${outcome.error}`);
    const retryAt = last ? null : new Date(now() + backoffMs({ attempt: mail.attempts, baseMs: s.backoffBaseMs, maxMs: s.backoffMaxMs, random })).toISOString();
    await store.markFailed({ id: mail.id, at, error: outcome.error, retryAt });
  }

  async function runOnce(): Promise<number> {
    const at = now();
    const claimed = await store.claimDue({ now: new Date(at).toISOString(), leaseUntil: new Date(at + leaseMs).toISOString(), limit: s.batch });
    // One at a time: a pooled transport has few connections, and a slow server is not hit by twenty at once.
    for (const mail of claimed) await deliver(mail).catch((err: unknown) => log.error(`mail ${mail.id} could not be recorded`, err));
    if (at - lastSweep > 60 * 60 * 1000) {
      lastSweep = at;
      await store.sweepSent({ before: new Date(at - KEEP_SENT_MS).toISOString() });
    }
    return claimed.length;
  }

  const poller = createPoller({
    pollMs: s.pollMs,
    log,
    what: 'mail delivery round',
    round: async () => {
      if ((await runOnce()) === s.batch) return 0;
      const next = await store.nextDueAt();
      return next === null ? s.pollMs : Math.max(0, Math.min(s.pollMs, Date.parse(next) - now()));
    },
  });
  return { runOnce, start: poller.start, stop: poller.stop, wake: poller.wake };
}
