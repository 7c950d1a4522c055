import type { Translator } from '../../i18n/translator';

/**
 * The interface strings of likes, the top sort and the reply notice, in the
 * reader's language (keys `like.*`, `reply.*` in app/i18n/messages).
 */
export function reactionText(t: Translator) {
  return {
    like: t.t('like.like'),
    unlike: t.t('like.unlike'),
    likes: (n: number) => t.t('like.count', { count: n }),
    /** The count alone, as the button shows it beside the heart. */
    count: (n: number) => t.formatNumber(n),
    likeFailed: (reason: string) => t.t('like.failed', { reason }),
    sortTop: t.t('thread.top'),
    repliesLabel: t.t('reply.label'),
    replied: (name: string | null) => t.t('reply.replied', { name: name ?? t.t('reply.someone') }),
    viewReply: t.t('reply.view'),
    dismiss: t.t('reply.dismiss'),
    dismissLabel: (name: string | null) => t.t('reply.dismissLabel', { name: name ?? t.t('reply.someone') }),
  };
}
