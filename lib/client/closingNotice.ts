/**
 * "Comments close in 2 hours": what a page says of a thread's closing time, and when that text next
 * changes, so the page sets one timeout for that moment rather than ticking every second.
 */
export type ClosingNotice = { key: 'closing.soon' } | { key: 'closing.minutes' | 'closing.hours' | 'closing.days'; count: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole units left, rounded down; days from two days on, hours from one hour, minutes from one minute. */
const UNITS = [
  { key: 'closing.days', ms: DAY, from: 2 * DAY },
  { key: 'closing.hours', ms: HOUR, from: HOUR },
  { key: 'closing.minutes', ms: MINUTE, from: MINUTE },
] as const;

/**
 * The notice at `now` (ms) for a thread closing at `closesAt`, and the time (ms) at which it next
 * changes; null once comments are closed (or never close): the locked banner speaks then.
 */
export function closingNotice(closesAt: string | null, now: number): { notice: ClosingNotice; changesAt: number } | null {
  if (closesAt === null) return null;
  const end = Date.parse(closesAt);
  const left = end - now;
  if (Number.isNaN(end) || left <= 0) return null;
  for (const unit of UNITS) {
    if (left < unit.from) continue;
    const count = Math.floor(left / unit.ms);
    // The text changes once fewer than `count` whole units are left: a millisecond after exactly `count` (`from` is a whole number of units).
    return { notice: { key: unit.key, count }, changesAt: end - count * unit.ms + 1 };
  }
  return { notice: { key: 'closing.soon' }, changesAt: end };
}
