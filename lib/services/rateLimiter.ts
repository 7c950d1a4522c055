/** Answers whether one more action under `key` is allowed now. */
export interface RateLimiter {
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
  /** Gives back a point taken for an action that turned out to do nothing (a refused post, a retry). */
  refund(key: string): Promise<void>;
}

/** For load tests on a trusted network (`RATE_LIMITS=off`). */
export const unlimited: RateLimiter = { consume: async () => ({ allowed: true }), refund: async () => {} };

/**
 * A fixed window per key, in this process's memory: `points` actions per
 * `durationMs`. Windows are dropped as they expire, so memory stays bounded by
 * the keys active in one window.
 */
export function createMemoryRateLimiter(options: { points: number; durationMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; used: number }>();
  let lastSweep = now();

  function sweep(t: number) {
    if (t - lastSweep < options.durationMs) return;
    lastSweep = t;
    for (const [key, w] of windows) if (t - w.start >= options.durationMs) windows.delete(key);
  }

  return {
    async consume(key) {
      const t = now();
      sweep(t);
      let w = windows.get(key);
      if (!w || t - w.start >= options.durationMs) {
        w = { start: t, used: 0 };
        windows.set(key, w);
      }
      if (w.used >= options.points) return { allowed: false, retryAfterMs: w.start + options.durationMs - t };
      w.used++;
      return { allowed: true };
    },
    async refund(key) {
      const w = windows.get(key);
      if (w && w.used > 0) w.used--;
    },
  };
}
