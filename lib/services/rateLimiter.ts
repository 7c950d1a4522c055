import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors';

/** Answers whether one more action under `key` is allowed now. */
export interface RateLimiter {
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
  /** Gives back a point taken for an action that turned out to do nothing (a refused post, a retry). */
  refund(key: string): Promise<void>;
}

/** `points` actions per `durationSeconds`, per key. */
export interface LimitRule {
  points: number;
  durationSeconds: number;
}

/** For load tests on a trusted network (`RATE_LIMITS=off`). */
export const unlimited: RateLimiter = { consume: async () => ({ allowed: true }), refund: async () => {} };

/** A refusal from rate-limiter-flexible is a RateLimiterRes; anything else is a failure of its store. */
function isRefusal(err: unknown): err is RateLimiterRes {
  return err instanceof RateLimiterRes || (typeof err === 'object' && err !== null && !(err instanceof Error) && typeof (err as RateLimiterRes).msBeforeNext === 'number');
}

/** Our small interface over any rate-limiter-flexible limiter (memory, or Redis with its insurance). */
export function fromFlexible(limiter: RateLimiterAbstract): RateLimiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (err) {
        if (isRefusal(err)) return { allowed: false, retryAfterMs: Math.max(0, err.msBeforeNext) };
        throw err;
      }
    },
    async refund(key) {
      // Best effort: a refund lost to a store failure costs the client one point, nothing more.
      await limiter.reward(key).catch(() => {});
    },
  };
}

/** A fixed window per key in this process's memory; expired keys are dropped by the library's timers. */
export function createMemoryRateLimiter(options: LimitRule & { keyPrefix?: string }): RateLimiter {
  return fromFlexible(new RateLimiterMemory({ points: options.points, duration: options.durationSeconds, keyPrefix: options.keyPrefix ?? 'rl' }));
}

/** `rate_limited` with the seconds to wait (at least 1, as `Retry-After` is whole seconds) and a message, if given. */
export function rateLimited(retryAfterMs: number, message?: string): AppError {
  return new AppError('rate_limited', { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)), ...(message && { message }) });
}

/** Consumes a point or throws `rate_limited`. */
export async function consumeOrThrow(limiter: RateLimiter, key: string, message?: string): Promise<void> {
  const limit = await limiter.consume(key);
  if (!limit.allowed) throw rateLimited(limit.retryAfterMs, message);
}
