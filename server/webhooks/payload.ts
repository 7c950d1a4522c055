import type { CommentView, HeldReason } from '../../lib/contract/api';
import type { ReportCategory } from '../../lib/contract/reports';

/** The JSON body of every webhook (docs/api.md, "Webhooks"). */
export interface WebhookPayload {
  /** The event's id: the same on every retry, so a receiver can drop repeats. */
  id: string;
  type: 'comment.held' | 'comment.reported';
  createdAt: string;
  thread: { slug: string; title: string };
  comment: CommentView & { heldReason: HeldReason | null };
  /** With `comment.reported`: the newest report's category (lib/contract/reports.ts) and the reader's words, or null. */
  report?: { category: ReportCategory; reason: string | null };
  /**
   * With `comment.reported`: the comment's open reports when this was sent, in all and by category.
   * Reports of one comment are folded: the first is sent at once, later ones at most once a window.
   */
  reports?: { open: number; byCategory: Partial<Record<ReportCategory, number>> };
}
