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
  /** With `comment.reported`: the category (lib/contract/reports.ts) and the reader's words, or null. */
  report?: { category: ReportCategory; reason: string | null };
}
