import type { ModerationDecision } from '../../domain/notifications';
import type { HeldReason } from '../../domain/types';

/**
 * A decision on a comment that its author is told about (issue 17), published once it is committed:
 * by lib/services/moderationService.ts (approved, removed or rejected, with the moderator's reason)
 * and by the comment service when a post or an edit is held for review.
 */
export interface CommentDecision {
  commentId: string;
  /** `featured`: made an editors' pick (issue 19.1), told as a notice of its own kind, `reason` its note. */
  decision: ModerationDecision | 'featured';
  /** The moderator's words, when they gave some. */
  reason: string | null;
  /** Who decided (a moderator's account id); null when the posting rules held it. */
  moderatorId: string | null;
  /**
   * Why the comment was held before this decision, if it was: a comment held because its author is
   * shadow-banned must stay invisible to them, so no decision on it is ever told.
   */
  heldReason: HeldReason | null;
}
