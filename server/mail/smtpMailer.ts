import nodemailer from 'nodemailer';
import type { Mailer } from '../../lib/services/signIn/mailer';

/** How long one mail may take to hand over, at most: the person is waiting for the answer. */
const SEND_TIMEOUT_MS = 15_000;

/**
 * Mail over SMTP_URL (`smtp://` with STARTTLS when the server offers it, `smtps://` with TLS from the
 * start), from MAIL_FROM. One pooled transport per node; nodemailer reads host, port and credentials
 * from the URL. Its own logging stays off: it would print addresses and the message, link included.
 * The outbox (server/mail/outboxDeliverer.ts) passes its headers and its fixed Message-ID.
 */
export function createSmtpMailer(options: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer & { close(): void } {
  const timeout = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const transport = nodemailer.createTransport(
    { url: options.smtpUrl, logger: false, debug: false, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
    { from: options.from },
  );
  return {
    async send(message) {
      await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers && { headers: message.headers }),
        ...(message.messageId && { messageId: message.messageId }),
      });
    },
    close: () => transport.close(),
  };
}
