import nodemailer from 'nodemailer';
import type { Mailer } from '../../lib/services/signIn/mailer';

/** How long one mail may take to hand over, at most: the person is waiting for the answer. */
const SEND_TIMEOUT_MS = 15_000;

/**
 * Mail over SMTP_URL (`smtp://` with STARTTLS when the server offers it, `smtps://` with TLS from the
 * start), from MAIL_FROM. One pooled transport per node; nodemailer reads host, port and credentials
 * from the URL. Its own logging stays off: it would print addresses and the message, link included.
 */
export function createSmtpMailer(options: { smtpUrl: string; from: string }): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(
    { url: options.smtpUrl, logger: false, debug: false, connectionTimeout: SEND_TIMEOUT_MS, greetingTimeout: SEND_TIMEOUT_MS, socketTimeout: SEND_TIMEOUT_MS },
    { from: options.from },
  );
  return {
    async send(message) {
      await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    close: () => transport.close(),
  };
}
