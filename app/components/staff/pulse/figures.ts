import type { MessageKey } from '../../../i18n/translator';

/** How often an open dashboard asks for its figures while the tab is seen (docs/moderation.md, "The pulse"). */
export const POLL_MS = 5000;
/** The longest wait between tries while the server does not answer. */
export const MAX_POLL_MS = 60_000;

/** The wait before the next ask: the usual interval after an answer, twice the last (at most MAX_POLL_MS) after a failure. */
export function nextPollDelay(lastDelay: number, answered: boolean): number {
  return answered ? POLL_MS : Math.min(MAX_POLL_MS, Math.max(POLL_MS, lastDelay) * 2);
}

/** A wait in the unit that reads best: seconds up to two minutes, minutes up to two hours, then hours (one decimal). */
export function waitText(seconds: number): { key: MessageKey; n: number } {
  if (seconds < 120) return { key: 'pulse.seconds', n: Math.round(seconds) };
  if (seconds < 7200) return { key: 'pulse.minutes', n: Math.round(seconds / 60) };
  return { key: 'pulse.hours', n: Math.round(seconds / 360) / 10 };
}

/** `HH:MM` of a minute of the series (`YYYY-MM-DDTHH:MM`, UTC). */
export const clockOf = (minute: string) => minute.slice(11, 16);
