import { newId } from '../../lib/domain/ids';
import type { ModerationNotice, Services } from '../../lib/services';
import { toCommentView } from '../../lib/services/commentView';
import type { Logger } from '../log';
import type { WebhookPayload } from './payload';

/**
 * Maps the domain's moderation notices to webhooks: each becomes one event
 * (with its own id, for receivers to drop repeats) queued in the outbox for
 * every URL. No handler knows about webhooks.
 */
export function listenForWebhooks(options: { services: Services; urls: readonly string[]; log: Logger; now?: () => number; onQueued?: () => void }): () => void {
  const { services, urls, log } = options;
  const now = options.now ?? Date.now;

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
      ...(notice.type === 'comment.reported' && { report: { category: notice.category, reason: notice.reason } }),
    };
    await store.webhooks.enqueue({ eventId: payload.id, eventType: payload.type, payload: JSON.stringify(payload), urls, at });
    options.onQueued?.();
  }

  return services.notices.subscribe((notice) => {
    void queue(notice).catch((err: unknown) => log.error(`webhook for ${notice.type} ${notice.commentId} could not be queued`, err));
  });
}
