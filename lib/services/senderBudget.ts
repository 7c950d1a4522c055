import { rateLimited, unlimited, type RateLimiter } from './rateLimiter';

/**
 * Who sent an action, as its budgets count it: the guest (the signed cookie, or one made for a
 * connection without it) and the client address it came from (lib/domain/addressKey.ts: an IPv4
 * address or an IPv6 /64, behind TRUST_PROXY the forwarded one). A client can make a new guest at
 * will, by dropping its cookie; it cannot choose its address. Commenter accounts will be a third key.
 */
export interface Sender {
  guestId: string;
  address: string;
}

export type BudgetAnswer = { allowed: true } | { allowed: false; retryAfterMs: number; message: string };

/** One kind of action's budgets (posts, likes, reports, socket events): the guest's and the address's. */
export interface SenderBudget {
  /**
   * One point from the guest's budget and one from its address's, or none: an action refused by
   * either costs the other nothing. Refused, it says how long to wait and whose budget is spent.
   */
  take(sender: Sender): Promise<BudgetAnswer>;
  /** Both points back, for an action that turned out to do nothing (a retry, a refusal by a later rule). */
  refund(sender: Sender): Promise<void>;
}

/** What a refusal says, by whose budget is spent: a guest can wait; an address may be shared by many people. */
export interface BudgetMessages {
  guest?: string;
  address: string;
}

/** For services built without limits (tests, tools). */
export const UNLIMITED_BUDGET: SenderBudget = senderBudget({ action: 'any', perGuest: unlimited, perAddress: unlimited, messages: { address: '' } });

export function senderBudget(options: { action: string; perGuest: RateLimiter; perAddress: RateLimiter; messages: BudgetMessages }): SenderBudget {
  const { action, perGuest, perAddress, messages } = options;
  const guestKey = (sender: Sender) => `${action}:${sender.guestId}`;
  const addressKey = (sender: Sender) => `${action}:${sender.address}`;
  return {
    async take(sender) {
      // Both at once: with Redis that is one round trip of waiting, not two.
      const [byGuest, byAddress] = await Promise.all([perGuest.consume(guestKey(sender)), perAddress.consume(addressKey(sender))]);
      if (byGuest.allowed && byAddress.allowed) return { allowed: true };
      if (byGuest.allowed) await perGuest.refund(guestKey(sender));
      if (byAddress.allowed) await perAddress.refund(addressKey(sender));
      const retryAfterMs = Math.max(byGuest.allowed ? 0 : byGuest.retryAfterMs, byAddress.allowed ? 0 : byAddress.retryAfterMs);
      const message = byAddress.allowed ? messages.guest : messages.address;
      return { allowed: false, retryAfterMs, message: message ?? '' };
    },
    async refund(sender) {
      await Promise.all([perGuest.refund(guestKey(sender)), perAddress.refund(addressKey(sender))]);
    },
  };
}

/** Takes the points, or throws `rate_limited` with the time to wait and the refusal's message. */
export async function spendOrThrow(budget: SenderBudget, sender: Sender): Promise<void> {
  const answer = await budget.take(sender);
  if (!answer.allowed) throw rateLimited(answer.retryAfterMs, answer.message);
}
