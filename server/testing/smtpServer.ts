import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the test SMTP server received it, parsed. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The sign-in link in the text, if any. */
  link: string | null;
}

/**
 * A real SMTP server on a free port of 127.0.0.1 (the `smtp-server` package), with no TLS and no
 * authentication, that keeps every mail it is given, parsed by `mailparser`: what Threadline's
 * nodemailer transport sends through SMTP_URL, read back as a mailbox would show it.
 */
export interface TestSmtpServer {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** The mails sent to `to` so far, oldest first. */
  mailsTo(to: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text,
            html: typeof parsed.html === 'string' ? parsed.html : '',
            link: /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(text)?.[0] ?? null,
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    mailsTo: (to) => mails.filter((m) => m.to.includes(to)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
