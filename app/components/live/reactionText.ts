/**
 * Every interface string of likes, the top sort and the reply notice, in one
 * place (so a translation touches one file).
 */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export const REACTION_TEXT = {
  like: 'Like',
  unlike: 'Unlike',
  likes: (n: number) => (n === 1 ? '1 like' : `${COUNT_FORMAT.format(n)} likes`),
  /** The count alone, as the button shows it beside the heart. */
  count: (n: number) => COUNT_FORMAT.format(n),
  likeFailed: (why: string) => `Your like was not saved: ${why}`,
  offline: 'You are offline; try again when you are back.',
  noAnswer: 'No answer from the server. Check your connection and try again.',
  sortTop: 'Most liked',
  repliesLabel: 'Replies to your comments',
  replied: (name: string | null) => `${name ?? 'Someone'} replied to your comment.`,
  viewReply: 'View reply',
  dismiss: 'Dismiss',
  dismissLabel: (name: string | null) => `Dismiss the notice of ${name ?? 'someone'}’s reply`,
} as const;
