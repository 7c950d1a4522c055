import type { Translator } from '../../i18n/translator';

/**
 * The interface strings of likes, the top sort and the reply notice, in the
 * reader's language (keys `like.*`, `reply.*` in app/i18n/messages).
 */
export function reactionText(t: Translator): ReactionText {
  let text = made.get(t);
  if (text === undefined) made.set(t, (text = makeReactionText(t)));
  return text;
}

export type ReactionText = ReturnType<typeof makeReactionText>;

/** Made once per translator: every comment's like button asks for them, hundreds on a page. */
const made = new WeakMap<Translator, ReturnType<typeof makeReactionText>>();

function makeReactionText(t: Translator) {
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
    /** "3 replies to your comments, from Bob, Carol and 2 others." */
    repliesFrom: (count: number, names: readonly (string | null)[], others: number) => {
      const list = names.map((name) => name ?? t.t('reply.someoneInList'));
      if (others > 0) list.push(t.t('reply.others', { count: others }));
      return t.t('reply.group', { count, names: new Intl.ListFormat(t.locale, { type: 'conjunction' }).format(list) });
    },
    viewFirst: t.t('reply.viewFirst'),
    dismissAllLabel: (count: number) => t.t('reply.dismissAll', { count }),
  };
}
