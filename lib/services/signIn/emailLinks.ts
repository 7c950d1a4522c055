import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { ProvenIdentity } from '../../domain/identity';
import type { LinkRefusal } from '../../store/signInLinkStore';
import type { Store } from '../../store/store';
import { rateLimited, type RateLimiter } from '../rateLimiter';
import { signInLinkMail } from './linkMail';
import type { Mailer } from './mailer';

/** How long a link signs in (docs/security.md, "Email links"). */
export const LINK_TTL_MS = 15 * 60 * 1000;
/** Expired links and codes are kept this long (a late click still says "expired", not "unknown"), then swept. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** At most one sweep per node in this time: it rides along with requests, no timer of its own. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** 256 random bits, base64url: what the link and the browser cookie carry. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Why a followed link signs nobody in: the stored reasons, and `malformed` for what no link of ours looks like. */
export type LinkProblem = LinkRefusal | 'malformed';

/** `sign_in_link_invalid`, its reason in `fields.link` (a stable word: docs/api.md). */
export function linkInvalid(reason: LinkProblem): AppError {
  return new AppError('sign_in_link_invalid', { fields: { link: [reason] } });
}

/** The reason of a `sign_in_link_invalid` error, for the page that explains it. */
export function linkProblemOf(error: AppError): LinkProblem | null {
  const reason = error.code === 'sign_in_link_invalid' ? error.fields?.link?.[0] : undefined;
  return reason === 'unknown' || reason === 'used' || reason === 'expired' || reason === 'other_browser' || reason === 'malformed' ? reason : null;
}

export const EmailAddressSchema = z.string().trim().max(254).pipe(z.email({ error: 'expected an email address' })).transform((v) => v.toLowerCase());

export const hashSecret = (value: string) => createHash('sha256').update(value).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');
export const looksLikeSecret = (value: string | null | undefined): value is string => typeof value === 'string' && TOKEN.test(value);

export interface EmailLinks {
  /**
   * Sends a one-time link to `email`, bound to the browser's nonce (a cookie the HTTP layer
   * keeps). Whether an account has the address changes nothing in the answer, or in the mail.
   * Refuses with `rate_limited` past the budget per address or per client.
   */
  request(request: { email: string; nextPath: string; browserNonce: string; clientKey: string; locale: string }): Promise<void>;
  /** The identity the link proves, and where to go; `sign_in_link_invalid` with its reason, using nothing up, otherwise. */
  follow(request: { token: string | null | undefined; browserNonce: string | null | undefined }): Promise<{ identity: ProvenIdentity; nextPath: string }>;
}

export function createEmailLinks(deps: {
  store: Store;
  mailer: Mailer;
  /** The site's public address (PUBLIC_URL): a link's host never comes from a request. */
  publicUrl: string;
  perEmail: RateLimiter;
  perClient: RateLimiter;
  now?: () => number;
  /** Where a mail that could not be sent is reported (never the link). */
  onSendFailed?: (err: unknown) => void;
}): EmailLinks {
  const now = deps.now ?? Date.now;
  const links = deps.store.signInLinks;
  const base = new URL(deps.publicUrl);
  let lastSweep = 0;

  function sweepNow(at: number): void {
    if (at - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = at;
    // Best effort: a failed sweep is retried on a later request.
    void links.sweep({ before: new Date(at - KEEP_AFTER_EXPIRY_MS).toISOString() }).catch(() => (lastSweep = 0));
  }

  return {
    async request({ email, nextPath, browserNonce, clientKey, locale }) {
      // Per client first: one address must not spend a stranger's mailbox budget by guessing its address.
      const byClient = await deps.perClient.consume(clientKey);
      if (!byClient.allowed) throw rateLimited(byClient.retryAfterMs, 'Too many sign-in links were asked for from your network address. Please wait a while.');
      const byEmail = await deps.perEmail.consume(email);
      if (!byEmail.allowed) throw rateLimited(byEmail.retryAfterMs, 'Too many sign-in links were sent to this address. Please use the last one, or wait a while.');
      const at = now();
      sweepNow(at);
      const token = newSecret();
      await links.createLink({
        tokenHash: hashSecret(token),
        browserHash: hashSecret(browserNonce),
        email,
        nextPath,
        createdAt: new Date(at).toISOString(),
        expiresAt: new Date(at + LINK_TTL_MS).toISOString(),
      });
      const link = new URL('/signin/link', base);
      link.searchParams.set('token', token);
      try {
        await deps.mailer.send(signInLinkMail({ to: email, link: link.toString(), locale, site: base.host }));
      } catch (err) {
        deps.onSendFailed?.(err);
        throw new AppError('unavailable', { message: 'The sign-in mail could not be sent. Please try again in a while.', detail: 'SMTP send failed', retryAfter: 60 });
      }
    },

    async follow({ token, browserNonce }) {
      if (!looksLikeSecret(token)) throw linkInvalid('malformed');
      const at = new Date(now()).toISOString();
      // A browser without the nonce can match no link: an empty hash is no hash of ours.
      const browserHash = looksLikeSecret(browserNonce) ? hashSecret(browserNonce) : '';
      const used = await links.useLink({ tokenHash: hashSecret(token), browserHash, now: at });
      if (!used.ok) throw linkInvalid(used.reason);
      const identity: ProvenIdentity = { method: 'email', provider: 'email', subject: used.email, email: used.email, emailVerified: true, name: null, badges: null };
      return { identity, nextPath: used.nextPath };
    },
  };
}
