import type { NotificationItem } from '../../contract/notifications';
import type { BellNotification } from '../../store/notificationStore';

/** Where a notice takes its reader: the comment's branch page, at the comment (it need not be on the article's first page). */
export function commentHref(slug: string, commentId: string): string {
  return `/articles/${encodeURIComponent(slug)}/comments/${encodeURIComponent(commentId)}#c-${commentId}`;
}

export function toNotificationItem(n: BellNotification): NotificationItem {
  return {
    id: n.id,
    kind: n.kind,
    thread: n.thread,
    commentId: n.commentId,
    href: commentHref(n.thread.slug, n.commentId),
    actorName: n.actorName,
    decision: n.decision,
    reason: n.reason,
    excerpt: n.excerpt,
    createdAt: n.createdAt,
    read: n.readAt !== null,
  };
}
