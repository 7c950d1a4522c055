import type { EmailKind } from '../../lib/domain/notifications';
import type { MessageKey } from './translator';

/** Each kind of mail by the words that name it: the account page's choices and the unsubscribe page say the same. */
export const EMAIL_KIND_KEYS: Record<EmailKind, MessageKey> = {
  reply: 'email.kind.reply',
  mention: 'email.kind.mention',
  moderation: 'email.kind.moderation',
  followed: 'email.kind.followed',
  queue: 'email.kind.queue',
  featured: 'email.kind.featured',
};
