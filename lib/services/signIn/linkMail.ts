import type { MailMessage } from './mailer';

/** The languages the sign-in mail is written in (app/i18n speaks the same); any other gets English. */
const TEXTS = {
  en: {
    subject: 'Your sign-in link',
    intro: 'Someone (we hope you) asked to sign in to the comments with this address. Follow this link in the same browser to sign in:',
    validity: 'The link works once, for 15 minutes, and only in the browser where it was asked for.',
    ignore: 'If you did not ask for it, ignore this mail: nobody is signed in without the link.',
    button: 'Sign in',
  },
  de: {
    subject: 'Ihr Anmeldelink',
    intro: 'Jemand (hoffentlich Sie) möchte sich mit dieser Adresse bei den Kommentaren anmelden. Öffnen Sie diesen Link im selben Browser, um sich anzumelden:',
    validity: 'Der Link gilt einmal, 15 Minuten lang, und nur in dem Browser, in dem er angefordert wurde.',
    ignore: 'Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Mail: Ohne den Link wird niemand angemeldet.',
    button: 'Anmelden',
  },
} as const;

export type MailLocale = keyof typeof TEXTS;

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The mail that carries a sign-in link, in the reader's language where we speak it. */
export function signInLinkMail(options: { to: string; link: string; locale: string; site: string }): MailMessage {
  const t = TEXTS[(Object.hasOwn(TEXTS, options.locale) ? options.locale : 'en') as MailLocale];
  const subject = `${t.subject} (${options.site})`;
  const text = [t.intro, '', options.link, '', t.validity, t.ignore, ''].join('\n');
  const link = escapeHtml(options.link);
  const html = `<p>${escapeHtml(t.intro)}</p><p><a href="${link}">${escapeHtml(t.button)}</a></p><p>${link}</p><p>${escapeHtml(t.validity)}<br>${escapeHtml(t.ignore)}</p>`;
  return { to: options.to, subject, text, html };
}
