/** One mail to one person: plain text and HTML alike. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail (server/mail/smtpMailer.ts over SMTP_URL); a refusal or a failure of the server throws. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
