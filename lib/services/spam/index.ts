import { warnTo, type ErrorLog } from '../../domain/errorLog';
import type { SpamStore } from '../../store/spamStore';
import { createAkismetClient, type AkismetOptions, type SpamService } from './akismet';
import { createCircuitBreaker, DEFAULT_BREAKER, type BreakerSettings } from './circuitBreaker';
import { outsideService } from './phases';
import { createSpamCheck, type SpamCheck } from './spamCheck';
import type { SpamRules } from './types';

export type { SpamCheck, SpamResult } from './spamCheck';
export { NOT_CHECKED_AT_ALL } from './spamCheck';
export type { ClientInfo, SpamInput, SpamRules, WindowRule } from './types';

/**
 * The built-in signals' defaults (docs/security.md, "Spam"): a link in a guest's first comment
 * waits for review; a text may go to two threads an hour, a third is held; an address may bring
 * 30 new commenting guests an hour (an office, a school), the 31st is held.
 */
export const DEFAULT_SPAM_RULES: Readonly<SpamRules> = {
  linksInFirstComment: true,
  repeatedText: { count: 2, windowSeconds: 3600 },
  newGuests: { count: 30, windowSeconds: 3600 },
};

/** How long a post waits for the outside service at most (SPAM_CHECK_TIMEOUT_MS). */
export const DEFAULT_SPAM_CHECK_TIMEOUT_MS = 1500;

export interface SpamSettings {
  /** False: nothing is checked (SPAM_CHECKS=off, load tests on a trusted network). */
  enabled: boolean;
  rules: SpamRules;
  /** The outside service (SPAM_CHECK_URL and SPAM_CHECK_KEY), if any. */
  outside?: Omit<AkismetOptions, 'languages'> & {
    languages?: readonly string[];
    /** DEFAULT_BREAKER unless given; `now` is the breaker's clock (tests move it past the cooldown). */
    breaker?: BreakerSettings & { now?: () => number };
  };
}

export const DEFAULT_SPAM_SETTINGS: SpamSettings = { enabled: true, rules: DEFAULT_SPAM_RULES };

/** The spam check the settings ask for; undefined when it is off. `service` replaces the HTTP client (tests). */
export function buildSpamCheck(options: { settings: SpamSettings; store: SpamStore; log: ErrorLog; service?: SpamService }): SpamCheck | undefined {
  const { settings, log } = options;
  if (!settings.enabled) return undefined;
  const outside = settings.outside;
  if (!outside) return createSpamCheck({ store: options.store, rules: settings.rules, log });
  const service = options.service ?? createAkismetClient({ ...outside, languages: outside.languages ?? [] });
  const breaker = createCircuitBreaker({
    ...(outside.breaker ?? DEFAULT_BREAKER),
    onChange: (state, cause) => {
      const why = cause instanceof Error ? `: ${cause.message}` : '';
      if (state === 'open') warnTo(log, `spam check: the outside service is failing${why}; comments are posted unchecked until it answers again`);
      else if (state === 'closed') warnTo(log, 'spam check: the outside service answers again');
    },
  });
  return createSpamCheck({
    store: options.store,
    rules: settings.rules,
    log,
    outside: outsideService({ service, breaker, onFailure: (err) => warnTo(log, `spam check: the outside service did not judge a comment: ${err instanceof Error ? err.message : String(err)}`) }),
  });
}
