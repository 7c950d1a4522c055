import { BreakerOpen, type CircuitBreaker } from '../circuitBreaker';
import { SpamServiceError, type SpamService } from '../akismet';
import { PASS, type SpamPhase, type SpamVerdict } from '../types';

/**
 * The outside service's verdict (SPAM_CHECK_URL, Akismet's comment-check): spam, blatant or not
 * is held as `spam_external` or let through. When it cannot judge (too slow, an error, or not
 * asked because the breaker is open after failures in a row), the comment is let through and
 * marked not checked: posting never waits on it for longer than the timeout, and not at all while
 * it is down.
 */
export function outsideService(deps: { service: SpamService; breaker: CircuitBreaker; onFailure?: (err: unknown) => void }): SpamPhase {
  return {
    name: 'outsideService',
    outside: true,
    async judge({ input }): Promise<SpamVerdict> {
      try {
        const verdict = await deps.breaker.run(() =>
          deps.service.check({
            client: input.client,
            permalink: `${input.client.site}/articles/${input.thread.slug}`,
            authorName: input.authorName,
            body: input.body,
            at: input.at,
            recheck: input.kind === 'edit' ? 'edit' : null,
          }),
        );
        return verdict === 'ham' ? PASS : { spam: true, reason: 'spam_external' };
      } catch (err) {
        if (err instanceof BreakerOpen) return { spam: false, notChecked: 'unavailable' };
        deps.onFailure?.(err);
        return { spam: false, notChecked: err instanceof SpamServiceError && err.kind === 'timeout' ? 'timeout' : 'error' };
      }
    },
  };
}
