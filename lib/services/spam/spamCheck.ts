import type { SpamStore } from '../../store/spamStore';
import type { ErrorLog } from '../../domain/errorLog';
import { textFingerprint } from './fingerprint';
import { BUILT_IN_PHASES } from './phases';
import type { NotChecked, SpamInput, SpamPhase, SpamReason, SpamRules } from './types';

/** What the spam check decided about a post or an edit. */
export interface SpamResult {
  /** Held for this reason; null: let through. */
  hold: SpamReason | null;
  /** The outside service could not judge it (it is posted anyway, marked): why. */
  notChecked: NotChecked | null;
  /** The outside service judged this text (spam or not): an earlier "not checked" mark no longer holds. */
  judgedOutside: boolean;
}

export interface SpamCheck {
  /** Every post and edit goes through this (lib/services/commentService.ts), whatever transport it came by. */
  checkForSpam(input: SpamInput): Promise<SpamResult>;
  /** Whether an outside service is configured (SPAM_CHECK_URL). */
  readonly outside: boolean;
}

/** Nothing checked (SPAM_CHECKS=off, or a text a banned word already holds). */
export const NOT_CHECKED_AT_ALL: SpamResult = { hold: null, notChecked: null, judgedOutside: false };

/** How often a node drops what is older than the windows (texts, new guests): at most once a minute. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The spam phases composed (Coral Talk's posting pipeline): the store reads the facts the built-in
 * signals judge by and records this post's traces (one statement), then each phase judges in
 * turn; the first that says spam holds the comment. The outside service comes last, so that it is
 * asked only about what the built-in signals let through.
 */
export function createSpamCheck(deps: { store: SpamStore; rules: SpamRules; log: ErrorLog; outside?: SpamPhase; now?: () => number }): SpamCheck {
  const { store, rules } = deps;
  const now = deps.now ?? Date.now;
  const phases = deps.outside ? [...BUILT_IN_PHASES, deps.outside] : BUILT_IN_PHASES;
  const textWindowMs = rules.repeatedText === 'off' ? 0 : rules.repeatedText.windowSeconds * 1000;
  const guestWindowMs = rules.newGuests === 'off' ? 0 : rules.newGuests.windowSeconds * 1000;
  let lastSweep = now();

  /**
   * Started by a post, not awaited by it: no poster waits for the deletion of other posts' traces. Reads
   * give the same answer before and after it (they ask for what is within the windows), so it may run beside them.
   */
  function sweepSoon(at: number): void {
    if (at - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = at;
    store.sweep({ textsBefore: new Date(at - textWindowMs).toISOString(), guestsBefore: new Date(at - guestWindowMs).toISOString() }).catch((err: unknown) => deps.log.error('spam check: dropping old traces failed (tried again in a minute)', err));
  }

  return {
    outside: deps.outside !== undefined,
    async checkForSpam(input) {
      const at = Date.parse(input.at);
      sweepSoon(now());
      const facts = await store.observe({
        guestId: input.sender.guestId,
        address: input.sender.address,
        threadId: input.thread.id,
        editedCommentId: input.commentId,
        textHash: rules.repeatedText === 'off' ? null : textFingerprint(input.body),
        at: input.at,
        textsSince: new Date(at - textWindowMs).toISOString(),
        guestsSince: new Date(at - guestWindowMs).toISOString(),
        recordGuest: input.kind === 'post' && rules.newGuests !== 'off',
      });
      let notChecked: NotChecked | null = null;
      let judgedOutside = false;
      for (const phase of phases) {
        const verdict = await phase.judge({ input, facts, rules });
        if (verdict.spam) return { hold: verdict.reason, notChecked: null, judgedOutside: phase.outside === true };
        if (verdict.notChecked) notChecked = verdict.notChecked;
        else if (phase.outside) judgedOutside = true;
      }
      return { hold: null, notChecked, judgedOutside };
    },
  };
}
