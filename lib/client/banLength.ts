/** How long a ban from the moderation desk lasts: a number of days, or for good. */
export const BAN_LENGTHS = [1, 7, 30, 'forGood'] as const;
export type BanLength = (typeof BAN_LENGTHS)[number];

/** A week: long enough to cool a thread down, short enough to be a warning. */
export const DEFAULT_BAN_LENGTH: BanLength = 7;

const DAY_MS = 86_400_000;

/** When a ban of `length` given at `now` (ms) ends, as `POST /api/bans` takes it; undefined: for good. */
export function banUntil(length: BanLength, now: number): string | undefined {
  return length === 'forGood' ? undefined : new Date(now + length * DAY_MS).toISOString();
}
