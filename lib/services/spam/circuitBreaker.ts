/** After `failures` failures in a row the breaker opens for `cooldownMs`; then one call probes. */
export interface BreakerSettings {
  failures: number;
  cooldownMs: number;
}

/** Five timeouts or errors in a row (at most 7.5 s of waiting at the default timeout), then 30 s without asking. */
export const DEFAULT_BREAKER: BreakerSettings = { failures: 5, cooldownMs: 30_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Thrown instead of calling while the breaker is open (or a probe is already out). */
export class BreakerOpen extends Error {
  constructor() {
    super('circuit breaker open');
    this.name = 'BreakerOpen';
  }
}

export interface CircuitBreaker {
  /** Runs `call` unless the breaker is open; its failure counts. */
  run<T>(call: () => Promise<T>): Promise<T>;
  state(): BreakerState;
}

/**
 * Keeps a failing dependency from slowing every caller: closed, calls go through and failures in a
 * row are counted; at `failures` it opens and calls are refused at once (BreakerOpen) for
 * `cooldownMs`; then it is half-open and lets one call through as a probe (the others are still
 * refused): a success closes it, a failure opens it for another cooldown. Per process: each node
 * learns on its own that the service is down, which costs each node `failures` slow calls.
 */
export function createCircuitBreaker(options: BreakerSettings & { now?: () => number; onChange?: (state: BreakerState, cause?: unknown) => void }): CircuitBreaker {
  const now = options.now ?? Date.now;
  let failuresInRow = 0;
  let openUntil = 0;
  let probing = false;
  let current: BreakerState = 'closed';
  const become = (state: BreakerState, cause?: unknown) => {
    if (state === current) return;
    current = state;
    options.onChange?.(state, cause);
  };

  return {
    state() {
      if (current === 'open' && now() >= openUntil && !probing) return 'half-open';
      return current;
    },
    async run(call) {
      // Open: refused until the cooldown is over; then this call is the one probe (half-open) and the others are refused.
      const probe = current !== 'closed';
      if (probe) {
        if (probing || now() < openUntil) throw new BreakerOpen();
        probing = true;
        become('half-open');
      }
      try {
        const result = await call();
        failuresInRow = 0;
        become('closed');
        return result;
      } catch (err) {
        failuresInRow++;
        if (probe || failuresInRow >= options.failures) {
          openUntil = now() + options.cooldownMs;
          become('open', err);
        }
        throw err;
      } finally {
        if (probe) probing = false;
      }
    },
  };
}
