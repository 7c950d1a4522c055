import type { AddressInfo, Socket } from 'node:net';
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
  /** Every header, names in lower case, values as sent (unfolded). */
  headers: Record<string, string>;
  messageId: string;
}

/**
 * How the server answers a mail's DATA: `accept` keeps it; `refuse` answers 550 (a permanent refusal);
 * `tempfail` answers 451 (try later); `stall` never answers (the sender's timeout must fire);
 * `drop` cuts the connection in the middle of the mail. Only `accept` keeps anything.
 */
export type SmtpMode = 'accept' | 'refuse' | 'tempfail' | 'stall' | 'drop';

/**
 * A real SMTP server on a free port of 127.0.0.1 (the `smtp-server` package), with no TLS and no
 * authentication, that keeps every mail it is given, parsed by `mailparser`: what Threadline's
 * nodemailer transport sends through SMTP_URL, read back as a mailbox would show it. Its `mode`
 * plays the failures a real server has.
 */
export interface TestSmtpServer {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** The mails sent to `to` so far, oldest first. */
  mailsTo(to: string): ReceivedMail[];
  /** How DATA is answered from now on. */
  mode: SmtpMode;
  /** Every DATA begun, whatever became of it. */
  readonly dataStarted: number;
  /**
   * Called as each DATA begins, before it is answered: a test that must act inside the sender's
   * timeout (kill the sending node mid-mail) acts here rather than on a poll that a loaded machine
   * may run too late.
   */
  onDataStarted: (() => void) | null;
  close(): Promise<void>;
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return String(value);
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  let dataStarted = 0;
  const state: { mode: SmtpMode; onDataStarted: (() => void) | null } = { mode: 'accept', onDataStarted: null };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      dataStarted++;
      state.onDataStarted?.();
      const mode = state.mode;
      if (mode === 'drop') {
        // Some of the mail arrives, then the connection is gone: no answer, nothing kept.
        stream.once('data', () => {
          const connection = [...(server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections].find((c) => c.id === session.id);
          connection?._socket.destroy();
        });
        stream.resume();
        return;
      }
      if (mode === 'stall') return void stream.resume();
      if (mode === 'refuse' || mode === 'tempfail') {
        stream.on('end', () => callback(Object.assign(new Error(mode === 'refuse' ? 'mailbox unavailable' : 'try again later'), { responseCode: mode === 'refuse' ? 550 : 451 })));
        return void stream.resume();
      }
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
            headers: Object.fromEntries(parsed.headerLines.map((h) => [h.key.toLowerCase(), h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()])),
            messageId: headerText(parsed.messageId ?? ''),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Once it listens, an error is a connection's (a client gone mid-session: a node killed while it
  // sends), not the server's: a real mail server logs it and carries on; unheard, it would end the
  // test process with an uncaught exception.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    mailsTo: (to) => mails.filter((m) => m.to.includes(to)),
    get mode() {
      return state.mode;
    },
    set mode(mode: SmtpMode) {
      state.mode = mode;
    },
    get dataStarted() {
      return dataStarted;
    },
    get onDataStarted() {
      return state.onDataStarted;
    },
    set onDataStarted(hook: (() => void) | null) {
      state.onDataStarted = hook;
    },
    close: () => {
      // A stalled session would hold close() for half a minute.
      for (const c of (server as unknown as { connections: Set<{ _socket: Socket }> }).connections) c._socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
