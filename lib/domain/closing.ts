/**
 * Closing on time (issue 19.4, docs/moderation.md "Closing on time"). A thread has one closing time,
 * `closesAt` (UTC), or none:
 * - a thread made in the app while COMMENTS_CLOSE_AFTER_DAYS is set starts with its creation time plus
 *   that many days; imported threads (seeds included) start with none, but a Threadline export keeps its own;
 * - a moderator's schedule replaces it, and clearing the schedule leaves none: the thread's own
 *   schedule always wins over the site's rule, which only gives the starting value;
 * - changing the variable later moves no existing thread's time (turning it on does not close every
 *   old thread at once).
 * From that time on the posting rules refuse comments (lib/store/posting/rules.ts, `thread_locked`),
 * and a poller on every node locks the thread once (server/threadClosing.ts).
 */

const DAY_MS = 86_400_000;

/** The longest COMMENTS_CLOSE_AFTER_DAYS: about ten years. */
export const CLOSE_AFTER_DAYS_MAX = 3650;

/** The closing time a thread created at `createdAt` starts with under the site's rule, or null when the rule is off. */
export function closingTimeFor(createdAt: string, closeAfterDays: number | null | undefined): string | null {
  if (!closeAfterDays) return null;
  return new Date(Date.parse(createdAt) + closeAfterDays * DAY_MS).toISOString();
}

/** Whether comments are closed at `at` (ms) by the closing time alone (a lock closes them too). */
export function closedBySchedule(closesAt: string | null, at: number): boolean {
  return closesAt !== null && Date.parse(closesAt) <= at;
}

/**
 * A moderator's schedule, as the API takes it (any ISO-8601 time with its offset, the browser's local
 * time zone included), normalized to the UTC form the store compares as text.
 */
export function normalizeClosingTime(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
