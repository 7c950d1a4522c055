import { newId } from '../../domain/ids';
import type { EmailKind } from '../../domain/notifications';
import type { FollowedComment, MailableNotice, MailKind, NewMail, Recipient } from '../../store/mailStore';
import { commentHref } from '../notifications/view';

/**
 * The words of every mail Threadline sends about notices (docs/email.md), in plain text and HTML
 * alike, each with the site's name and postal address and, where it is about a kind a person
 * chose, its one-click unsubscribe (RFC 8058). Pure: the callers give the links and the site.
 */
export interface MailSite {
  /** SITE_NAME. */
  name: string;
  /** SITE_ADDRESS: the postal address every mail carries. */
  address: string;
  /** PUBLIC_URL: every link points there. */
  publicUrl: string;
}

/** How much of a comment a mail quotes. */
const EXCERPT_CHARS = 200;

export const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A comment's first words as plain text: markdown's marks dropped, whitespace folded, cut at a word. */
export function excerpt(body: string, max = EXCERPT_CHARS): string {
  const plain = body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The comment on its own page (its branch loaded, wherever it sits in the thread), as the bell links it. */
export const commentLink = (site: MailSite, slug: string, commentId: string) => `${site.publicUrl}${commentHref(slug, commentId)}`;
export const settingsLink = (site: MailSite) => `${site.publicUrl}/account#email`;

/** A Message-ID of our own, fixed when the mail is queued: every attempt sends it. */
export const newMessageId = (site: MailSite) => `<${newId()}.${Date.now().toString(36)}@${new URL(site.publicUrl).hostname}>`;

interface Paragraph {
  text: string;
  /** A link shown under the text (HTML: the text links to it). */
  href?: string;
  /** Quoted words (a comment's excerpt). */
  quote?: string;
}

/** One mail from its parts: the same paragraphs in both bodies, the footer, the headers of a list mail. */
function build(options: { site: MailSite; recipient: { userId: string | null; email: string }; kind: MailKind; subject: string; intro: string; paragraphs: Paragraph[]; unsubscribe?: { url: string; what: string }; dedupeKey?: string }): NewMail {
  const { site, unsubscribe } = options;
  const text = [
    options.intro,
    '',
    ...options.paragraphs.flatMap((p) => [p.text, ...(p.quote ? [`  “${p.quote}”`] : []), ...(p.href ? [`  ${p.href}`] : []), '']),
    '-- ',
    `${site.name}, ${site.address}`,
    ...(unsubscribe ? [`You get this mail because you chose to be told about ${unsubscribe.what} by email.`, `Unsubscribe: ${unsubscribe.url}`] : []),
    `Your settings: ${settingsLink(site)}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(options.intro)}</p>`,
    ...options.paragraphs.map(
      (p) =>
        `<p>${p.href ? `<a href="${escapeHtml(p.href)}">${escapeHtml(p.text)}</a>` : escapeHtml(p.text)}${p.quote ? `<br><q>${escapeHtml(p.quote)}</q>` : ''}</p>`,
    ),
    '<hr>',
    `<p><small>${escapeHtml(site.name)}, ${escapeHtml(site.address)}<br>`,
    unsubscribe ? `${escapeHtml(`You get this mail because you chose to be told about ${unsubscribe.what} by email.`)} <a href="${escapeHtml(unsubscribe.url)}">Unsubscribe</a> · ` : '',
    `<a href="${escapeHtml(settingsLink(site))}">Your settings</a></small></p>`,
    '</body></html>',
  ].join('');
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
  if (unsubscribe) {
    headers['List-Unsubscribe'] = `<${unsubscribe.url}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    userId: options.recipient.userId,
    to: options.recipient.email,
    kind: options.kind,
    subject: `${options.subject} (${site.name})`,
    text,
    html,
    headers,
    messageId: newMessageId(site),
    dedupeKey: options.dedupeKey ?? null,
  };
}

const KIND_WORDS: Record<EmailKind, string> = {
  reply: 'replies to your comments',
  mention: 'mentions of your name',
  moderation: 'moderators’ decisions on your comments',
  followed: 'new comments in threads you follow',
  queue: 'the moderation queue',
  featured: 'your comments featured as editors’ picks',
};

export const kindsInWords = (kinds: readonly EmailKind[]) => kinds.map((k) => KIND_WORDS[k]).join(', ');

function noticeParagraph(site: MailSite, notice: MailableNotice): Paragraph {
  const where = `“${notice.threadTitle}”`;
  const href = commentLink(site, notice.threadSlug, notice.commentId);
  const quote = notice.body ? excerpt(notice.body) : undefined;
  if (notice.kind === 'reply') return { text: `${notice.actorName ?? 'Someone'} replied to you in ${where}:`, quote, href };
  if (notice.kind === 'mention') return { text: `${notice.actorName ?? 'Someone'} mentioned you in ${where}:`, quote, href };
  if (notice.kind === 'featured') return { text: `Your comment in ${where} was featured as an editors’ pick.${notice.reason ? ` Note: ${notice.reason}` : ''}`, quote, href };
  const decision = notice.decision === 'held' ? 'is waiting for a moderator' : notice.decision === 'approved' ? 'was approved and is now shown' : 'was removed by a moderator';
  const reason = notice.reason ? ` Reason: ${notice.reason}` : '';
  return { text: `Your comment in ${where} ${decision}.${reason}`, href };
}

/** One mail for one person's batch of notices (every kind chosen `immediate`, made within the batch window). */
export function noticesMail(options: { site: MailSite; recipient: Recipient & { email: string }; notices: readonly MailableNotice[]; unsubscribeUrl: (kinds: EmailKind[]) => string }): NewMail {
  const { site, recipient, notices } = options;
  const kinds = [...new Set(notices.map((n) => n.kind))];
  const count = notices.length;
  const first = notices[0]!;
  const subject =
    count === 1
      ? first.kind === 'reply'
        ? `${first.actorName ?? 'Someone'} replied to you`
        : first.kind === 'mention'
          ? `${first.actorName ?? 'Someone'} mentioned you`
          : first.kind === 'featured'
            ? 'Your comment was featured as an editors’ pick'
            : 'A moderator’s decision on your comment'
      : `${count} new notices for you`;
  return build({
    site,
    recipient,
    kind: 'notices',
    subject,
    intro: `Hello ${recipient.displayName}, here is what happened in the comments:`,
    paragraphs: notices.map((n) => noticeParagraph(site, n)),
    unsubscribe: { url: options.unsubscribeUrl(kinds), what: kindsInWords(kinds) },
  });
}

/** The daily digest: the notices chosen `daily`, and the new top-level comments of followed threads. */
export function digestMail(options: {
  site: MailSite;
  recipient: Recipient & { email: string };
  notices: readonly MailableNotice[];
  followed: readonly FollowedComment[];
  /** The kinds this digest carries (what its unsubscribe stops). */
  kinds: EmailKind[];
  unsubscribeUrl: (kinds: EmailKind[]) => string;
  dedupeKey: string;
}): NewMail {
  const { site, recipient } = options;
  const paragraphs: Paragraph[] = options.notices.map((n) => noticeParagraph(site, n));
  let thread = '';
  for (const c of options.followed) {
    if (c.threadTitle !== thread) {
      thread = c.threadTitle;
      paragraphs.push({ text: `New in “${c.threadTitle}”, which you follow:` });
    }
    paragraphs.push({ text: `${c.authorName} wrote:`, quote: excerpt(c.body), href: commentLink(site, c.threadSlug, c.commentId) });
  }
  return build({
    site,
    recipient,
    kind: 'digest',
    subject: 'Your daily digest',
    intro: `Hello ${recipient.displayName}, here is your digest of the comments since the last one:`,
    paragraphs,
    unsubscribe: { url: options.unsubscribeUrl(options.kinds), what: kindsInWords(options.kinds) },
    dedupeKey: options.dedupeKey,
  });
}

/** To a moderator: the queue's oldest item has waited longer than QUEUE_ALERT_MINUTES. */
export function queueAlertMail(options: { site: MailSite; recipient: Recipient & { email: string }; waitedMinutes: number; unsubscribeUrl: (kinds: EmailKind[]) => string; dedupeKey: string }): NewMail {
  const { site, recipient } = options;
  return build({
    site,
    recipient,
    kind: 'queue',
    subject: 'The moderation queue is waiting',
    intro: `Hello ${recipient.displayName}, a comment has waited in the moderation queue for ${options.waitedMinutes} minutes.`,
    paragraphs: [{ text: 'Open the moderators’ desk', href: `${site.publicUrl}/moderate` }],
    unsubscribe: { url: options.unsubscribeUrl(['queue']), what: kindsInWords(['queue']) },
    dedupeKey: options.dedupeKey,
  });
}

/** The proof of a new address: asked for by the signed-in person, so no unsubscribe (it is no list mail). */
export function verifyAddressMail(options: { site: MailSite; userId: string; email: string; displayName: string; link: string; validHours: number }): NewMail {
  return build({
    site: options.site,
    recipient: { userId: options.userId, email: options.email },
    kind: 'verify',
    subject: 'Confirm your email address',
    intro: `Hello ${options.displayName}, you asked for notices from the comments to be mailed to this address. Follow this link to confirm it:`,
    paragraphs: [
      { text: 'Confirm this address', href: options.link },
      { text: `The link works once, for ${options.validHours} hours. If you did not ask for it, ignore this mail: nothing is sent to this address without it.` },
    ],
  });
}
