import type { NotChecked, SpamReason } from '../../contract/api';
import type { SpamFacts } from '../../store/spamStore';
import type { Sender } from '../senderBudget';

export type { NotChecked, SpamReason, SpamFacts };

/**
 * What the request itself says about who posted, for the outside service (Akismet's `user_ip`,
 * `user_agent`, `referrer` and `blog`). The HTTP API, the no-JavaScript form and the socket (its
 * handshake) each read it from their request (server/http/clientInfo.ts).
 */
export interface ClientInfo {
  /** The client's IP address, as the edge judged it (with TRUST_PROXY, the forwarded one). */
  ip: string;
  userAgent: string;
  referrer: string;
  /** The site as the request reached it (`https://news.example`): the outside service's `blog`, and the base of the permalink. */
  site: string;
}

/** A post or an edit, as the spam check sees it. */
export interface SpamInput {
  kind: 'post' | 'edit';
  sender: Sender;
  client: ClientInfo;
  thread: { id: string; slug: string };
  authorName: string;
  body: string;
  /** An edit's text before it; null for a post. */
  previousBody: string | null;
  /** The edited comment; null for a post. */
  commentId: string | null;
  /** When it is posted or edited (ISO). */
  at: string;
}

/** A phase's answer: spam (and why), or let through; `notChecked` when the phase could not judge at all. */
export type SpamVerdict = { spam: true; reason: SpamReason } | { spam: false; notChecked?: NotChecked };

export const PASS: SpamVerdict = { spam: false };

/** `<count>/<seconds>`: at most `count` per window of `windowSeconds`; more is held. */
export interface WindowRule {
  count: number;
  windowSeconds: number;
}

/** The built-in signals' settings (server/config.ts: SPAM_* variables); `off` turns one off. */
export interface SpamRules {
  /** A link (in the text or the name) in a guest's first comment holds it. */
  linksInFirstComment: boolean;
  /** The same text in more than `count` distinct threads within the window (by anyone) holds the next ones. */
  repeatedText: WindowRule | 'off';
  /** More than `count` guests first seen posting from one address within the window: the next new ones are held. */
  newGuests: WindowRule | 'off';
}

/** What each phase judges by. */
export interface PhaseContext {
  input: SpamInput;
  facts: SpamFacts;
  rules: SpamRules;
}

/**
 * One spam signal: a small named function that holds a comment or lets it through
 * (Coral Talk's posting phases). The built-in ones are pure over the facts the
 * store read; the outside service's is the one that waits on the network.
 */
export interface SpamPhase {
  name: string;
  /** The outside service's phase: a verdict from it means the text was judged there. */
  outside?: true;
  judge(context: PhaseContext): SpamVerdict | Promise<SpamVerdict>;
}
