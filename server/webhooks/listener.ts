import { newId } from '../../lib/domain/ids';
import type { ModerationNotice, Services } from '../../lib/services';
import { toCommentView } from '../../lib/services/commentView';
import type { Folding } from '../../lib/store/webhookStore';
import type { Logger } from '../log';
import type { WebhookPayload } from './payload';

/**
 * How long reports of one comment are folded into one delivery: the first is
 * sent at once, the next at most one per window, with the count
 * (docs/api.md, "Webhooks").
 */
export const REPORT_WINDOW_MS = 5 * 60_000;

export interface WebhookListenerOptions {
  services: Services;
  urls: readonly string[];
  log: Logger;
  now?: () => number;
  onQueued?: () => void;
  /** REPORT_WINDOW_MS unless given (tests shorten it). */
  reportWindowMs?: number;
}

/**
 * Maps the domain's moderation notices to webhooks: each becomes one event
 * (with its own id, for receivers to drop repeats) queued in the outbox for
 * every URL. Reports of one comment are folded together (a flood of reports is
 * not a flood of webhooks): each delivery carries the comment's open reports.
 * No handler knows about webhooks.
 */
export function listenForWebhooks(options: WebhookListenerOptions): () => void {
  const { services, urls, log } = options;
  const now = options.now ?? Date.now;
  const reportWindowMs = options.reportWindowMs ?? REPORT_WINDOW_MS;

  async function queue(notice: ModerationNotice): Promise<void> {
    const { store } = services;
    const comment = await store.findComment({ id: notice.commentId });
    const thread = comment && (await store.findThreadById(comment.threadId));
    if (!comment || !thread) return;
    const at = new Date(now()).toISOString();
    const payload: WebhookPayload = {
      id: newId(),
      type: notice.type,
      createdAt: at,
      thread: { slug: thread.slug, title: thread.title },
      // What a moderator sees in the queue; the guest id stays on the server.
      comment: { ...toCommentView(comment, { reveal: true }), heldReason: comment.heldReason },
    };
    let fold: Folding | undefined;
    if (notice.type === 'comment.reported') {
      // Read after the report committed: the count includes it, and a later report's reading is never lower.
      const tally = await store.moderation.reportTally({ commentId: comment.id });
      payload.report = { category: notice.category, reason: notice.reason };
      payload.reports = { open: Object.values(tally.open).reduce((sum, n) => sum + n, 0), byCategory: tally.open };
      fold = { topic: `comment.reported:${comment.id}`, rank: tally.total, windowMs: reportWindowMs };
    }
    await store.webhooks.enqueue({ eventId: payload.id, eventType: payload.type, payload: JSON.stringify(payload), urls, at, threadId: thread.id, fold });
    options.onQueued?.();
  }

  return services.notices.subscribe((notice) => {
    void queue(notice).catch((err: unknown) => log.error(`webhook for ${notice.type} ${notice.commentId} could not be queued`, err));
  });
}
