import { AppError } from '../domain/errors';
import type { HashLane, HashTicket } from './passwordHasher';
import type { RateLimiter } from './rateLimiter';

/** The limits a sign-in passes before its password is checked (lib/services/limits.ts). */
export interface SignInLimiters {
  /** Attempts per client address (RATE_LIMIT_LOGIN_ADDRESS). */
  byAddress: RateLimiter;
  /** Failures per username and address, or per known browser (RATE_LIMIT_LOGIN_FAILURES). */
  failures: RateLimiter;
  /** Password checks of this node, whoever asks (RATE_LIMIT_LOGIN_HASHES). */
  hashes: RateLimiter;
}

/** An attempt let through: its place for the password check, and what it gives back once its outcome is known. */
export interface Admission {
  ticket: HashTicket;
  /** The password was right: its failure point is given back (the owner's typos before do not add up). */
  succeeded(): Promise<void>;
  /** Nothing was checked (the store failed): the place and every point are given back. */
  giveBack(): Promise<void>;
}

const TOO_MANY = 'Too many sign-in attempts. Wait a while and try again.';

/**
 * The admission of one sign-in attempt (docs/security.md, "Sign-in under attack"), cheapest first.
 *
 * A stranger — a browser without a device token for this account — counts against its address
 * (429), against its failures for this username from this address (429: so another address, the
 * owner's, is never locked out by them), and against the node's ceiling on password checks (503
 * `sign_in_busy`, not the client's fault). A browser that signed in as this account before counts
 * against its own failures only and waits in the `known` lane, served first: a stranger's flood
 * from any number of addresses neither locks it out nor starves it. Last, a place in the lane's
 * queue for the password check (503 `sign_in_busy` when it is full).
 */
export async function admitSignIn(
  limiters: SignInLimiters,
  reserve: (lane: HashLane) => HashTicket,
  attempt: { username: string; clientKey: string; deviceId: string | null },
): Promise<Admission> {
  const taken: [RateLimiter, string][] = [];
  const take = async (limiter: RateLimiter, key: string, refusal: (retryAfter: number) => AppError) => {
    const answer = await limiter.consume(key);
    if (!answer.allowed) throw refusal(Math.max(1, Math.ceil(answer.retryAfterMs / 1000)));
    taken.push([limiter, key]);
  };
  const tooMany = (retryAfter: number) => new AppError('rate_limited', { retryAfter, message: TOO_MANY });
  const failureKey = attempt.deviceId ? `device:${attempt.deviceId}` : `${attempt.username}@${attempt.clientKey}`;
  const refund = async () => void (await Promise.all(taken.splice(0).map(([limiter, key]) => limiter.refund(key))));
  let ticket: HashTicket;
  try {
    if (!attempt.deviceId) await take(limiters.byAddress, `login:${attempt.clientKey}`, tooMany);
    await take(limiters.failures, `login-fail:${failureKey}`, tooMany);
    if (!attempt.deviceId) await take(limiters.hashes, 'login-hashes', (retryAfter) => new AppError('sign_in_busy', { retryAfter }));
    // Before the account's lookup, so that a flood's overflow costs no query either.
    ticket = reserve(attempt.deviceId ? 'known' : 'open');
  } catch (err) {
    // Busy is the server's state, not the client's doing: the attempt costs the client nothing.
    if (AppError.is(err) && err.code === 'sign_in_busy') await refund();
    throw err;
  }
  return {
    ticket,
    succeeded: () => limiters.failures.refund(`login-fail:${failureKey}`),
    async giveBack() {
      ticket.release();
      await refund();
    },
  };
}
