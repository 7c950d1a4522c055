/**
 * The mail side of the benchmark: when each mail reached the bench's SMTP server, and how many
 * each person got within any one batch window (the bound: at most one).
 */
import type { TestSmtpServer } from '../../server/testing/smtpServer';
import { nowMs } from '../common/clock';

export interface MailArrival {
  to: string;
  atMs: number;
}

export interface MailCounts {
  /** People told about the round's thread (each has a verified address and the default choice, immediate). */
  recipients: number;
  /** Mails to the round's recipients. */
  received: number;
  /** Mails to anyone else: the warm-up's people (told in the warm-up thread), or a mail that should not have gone. */
  others: number;
  /** Recipients no mail reached within the wait. */
  missing: number;
  /** The most mails one person received within any window of the batch's length. */
  maxPerPersonPerWindow: number;
  /** The most mails one person received in all. */
  maxPerPerson: number;
  waitedSeconds: number;
  /** The outbox when the wait ended: pending should be 0, dead too. */
  outbox: { pending: number; dead: number };
  timedOut: boolean;
}

/** How often arrivals are stamped: far finer than any batch window (10 s at least). */
const STAMP_EVERY_MS = 50;

export interface ArrivalTracker {
  arrivals: MailArrival[];
  /** Stamps the mails kept since the last look (the timer does it every STAMP_EVERY_MS). */
  stamp(): void;
  stop(): void;
}

/** Stamps every mail the server keeps from now on with the time it was first seen. */
export function trackArrivals(smtp: TestSmtpServer): ArrivalTracker {
  const arrivals: MailArrival[] = [];
  const stamp = () => {
    for (const mail of smtp.mails.slice(arrivals.length)) arrivals.push({ to: mail.to[0] ?? '', atMs: nowMs() });
  };
  const timer = setInterval(stamp, STAMP_EVERY_MS);
  return {
    arrivals,
    stamp,
    stop() {
      clearInterval(timer);
      stamp();
    },
  };
}

/** The most arrivals within any half-open interval [t, t + windowMs) starting at one of them. */
export function maxWithinWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs) end += 1;
    best = Math.max(best, end - start);
  }
  return best;
}

export function mailCounts(args: { recipients: string[]; arrivals: readonly MailArrival[]; windowMs: number; waitedSeconds: number; outbox: { pending: number; dead: number }; timedOut: boolean }): MailCounts {
  const recipients = new Set(args.recipients);
  const byPerson = new Map<string, number[]>();
  for (const a of args.arrivals) if (recipients.has(a.to)) byPerson.set(a.to, [...(byPerson.get(a.to) ?? []), a.atMs]);
  const counts = [...byPerson.values()];
  const received = counts.reduce((n, times) => n + times.length, 0);
  return {
    recipients: args.recipients.length,
    received,
    others: args.arrivals.length - received,
    missing: args.recipients.filter((r) => !byPerson.has(r)).length,
    maxPerPersonPerWindow: Math.max(0, ...counts.map((times) => maxWithinWindow(times, args.windowMs))),
    maxPerPerson: Math.max(0, ...counts.map((times) => times.length)),
    waitedSeconds: args.waitedSeconds,
    outbox: args.outbox,
    timedOut: args.timedOut,
  };
}
