/**
 * How long this reader must wait before their next post, as the page knows
 * it: after their own post under slow mode, or from the server's refusal
 * (`slow_mode`, `rate_limited` with `retryAfter`). A slow-mode wait follows
 * the thread's setting as it changes: slow mode off ends it at once, a
 * shorter interval shortens it. The server still checks every post.
 */
export interface PostWait {
  cause: 'slow_mode' | 'rate_limited';
  /** Epoch ms when posting is allowed again. */
  until: number;
  /** When the post it counts from was made (slow mode), or null while the page does not know the interval it was made under. */
  since: number | null;
}

/** After one of our posts was stored: slow mode counts from now. */
export function waitAfterPost(now: number, slowModeSeconds: number): PostWait | null {
  return slowModeSeconds > 0 ? { cause: 'slow_mode', until: now + slowModeSeconds * 1000, since: now } : null;
}

/** After a refusal: a wait when the server said how long, else none. */
export function waitAfterRefusal(error: { code: string; retryAfter?: number }, now: number, slowModeSeconds: number): PostWait | null {
  if ((error.code !== 'slow_mode' && error.code !== 'rate_limited') || !error.retryAfter) return null;
  const until = now + error.retryAfter * 1000;
  // The page may not have heard yet that slow mode is on (the refusal can beat the event): then when the post was is not known.
  const since = error.code === 'slow_mode' && slowModeSeconds > 0 ? until - slowModeSeconds * 1000 : null;
  return { cause: error.code, until, since };
}

/** The thread's slow mode is now `seconds`: off releases a slow-mode wait, another interval moves its end. */
export function withSlowMode(wait: PostWait | null, seconds: number): PostWait | null {
  if (wait === null || wait.cause !== 'slow_mode') return wait;
  if (seconds <= 0) return null;
  // First heard of the interval: the wait the server gave is right, and now says when the post was.
  if (wait.since === null) return { ...wait, since: wait.until - seconds * 1000 };
  return { ...wait, until: wait.since + seconds * 1000 };
}

/** Whole seconds left (rounded up), 0 when posting is allowed. */
export function secondsLeft(wait: PostWait | null, now: number): number {
  return wait !== null && wait.until > now ? Math.ceil((wait.until - now) / 1000) : 0;
}
