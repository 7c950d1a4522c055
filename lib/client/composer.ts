import type { BanDetails } from '../contract/errors';
import { BODY_RULES, NAME_RULES } from '../contract/limits';
import { brokenTextRule, characterCount, normalizeBody, normalizeName, type TextRule } from '../contract/text';

/**
 * What one comment box is doing with what was typed in it, as pure functions:
 * the text leaves the box only once the server has it. Before sending, the
 * box checks the server's own text rules (lib/contract/text.ts) so it can say
 * why a post cannot go; after a failure it either holds the post for the
 * connection (to send it, under the same clientId, once it is back) or says
 * why it was refused. The server's answer always decides.
 */

export interface Draft {
  body: string;
  authorName: string;
}

/** A rule the draft breaks before it is sent, and in which field. */
export interface DraftProblem {
  field: 'body' | 'authorName';
  rule: TextRule;
}

export type BoxStatus =
  | { state: 'idle' }
  /** On its way: the box is read-only until the answer. */
  | { state: 'sending' }
  /** Not delivered for want of a connection: sent again (whatever the box then holds) at `retryAt` or later, when the page is connected. */
  | { state: 'held'; offline: boolean; retryAt: number }
  /** The server said no (`code`, lib/contract/errors.ts). */
  | { state: 'refused'; code: string; ban?: BanDetails }
  /** Caught before sending. */
  | { state: 'invalid'; problem: DraftProblem };

export const IDLE: BoxStatus = { state: 'idle' };

/** Failures that say nothing about the post itself, only that it did not arrive (or its answer did not): worth sending again. */
const NOT_DELIVERED = new Set(['offline', 'no_answer', 'unavailable', 'not_ready']);

/** Refusals that are about when, not what: they end when the wait does (postWait.ts), not when the text changes. */
export const WAIT_CODES = new Set(['slow_mode', 'rate_limited']);

/** The soonest a held post is tried again, so that a server that keeps failing is not asked in a tight loop. */
export const HELD_RETRY_MS = 2000;

/** Characters the server will count in the body (after normalising), for the counter. */
export function bodyLength(body: string): number {
  return characterCount(normalizeBody(body));
}

/** The first rule the draft breaks, the body first (it is what the writer is looking at), or null when it may go. */
export function draftProblem(draft: Draft): DraftProblem | null {
  const body = brokenTextRule(normalizeBody(draft.body), BODY_RULES);
  if (body !== undefined) return { field: 'body', rule: body };
  const name = brokenTextRule(normalizeName(draft.authorName), NAME_RULES);
  return name === undefined ? null : { field: 'authorName', rule: name };
}

/** Whether the body is over the limit: Post is unavailable until it is shortened (the counter says by how much). */
export function overLimit(body: string): boolean {
  return bodyLength(body) > BODY_RULES.max;
}

/** What the box does when a post was not taken: hold it for the connection, or say why it was refused. */
export function afterFailure(error: { code: string; retryAfter?: number; ban?: BanDetails }, at: { now: number; online: boolean }): BoxStatus {
  // A banned person is told why and until when (docs/api.md, "Moderators and admins": Ban).
  if (!NOT_DELIVERED.has(error.code)) return error.ban ? { state: 'refused', code: error.code, ban: error.ban } : { state: 'refused', code: error.code };
  const retryAt = at.now + Math.max(HELD_RETRY_MS, (error.retryAfter ?? 0) * 1000);
  return { state: 'held', offline: error.code === 'offline' || !at.online, retryAt };
}

/** New text makes a complaint about the old text moot; a wait, or a post held for the connection, stays. */
export function afterEdit(status: BoxStatus): BoxStatus {
  if (status.state === 'invalid' || (status.state === 'refused' && !WAIT_CODES.has(status.code))) return IDLE;
  return status;
}

/** Whether the box takes a new post now: not while one is on its way or held (that one will go by itself). */
export function acceptsPost(status: BoxStatus): boolean {
  return status.state !== 'sending' && status.state !== 'held';
}
