/** One mail to one person: plain text and HTML alike. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted). */
  headers?: Record<string, string>;
  /** `<id@host>`: the same on every attempt of one outbox mail, so a receiver can drop a repeat. Unset: the transport makes one. */
  messageId?: string;
}

/** Sends mail (server/mail/smtpMailer.ts over SMTP_URL); a refusal or a failure of the server throws. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
