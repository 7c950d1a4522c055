import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the test service answers one check. */
export type Answer =
  /** `false`: not spam. */
  | 'ham'
  /** `true`: spam. */
  | 'spam'
  /** `true` with `X-akismet-pro-tip: discard`. */
  | 'blatant'
  /** `invalid` with `X-akismet-debug-help`, as Akismet answers a bad key or a missing parameter. */
  | 'invalid'
  /** HTTP 500 with an error page. */
  | 'fail'
  /** No answer until the test ends: longer than any timeout. */
  | 'hang';

export interface ReceivedCheck {
  path: string;
  method: string;
  contentType: string;
  userAgent: string;
  /** The form as sent. */
  form: URLSearchParams;
}

/** Akismet's documented test author: always spam. */
export const GUARANTEED_SPAM_AUTHOR = 'akismet-guaranteed-spam';

/**
 * A small service of the tests' own that speaks Akismet's comment-check protocol on a free port:
 * POST `/1.1/comment-check`, form-encoded; a wrong key is `invalid` (with `X-akismet-debug-help`);
 * otherwise `answer` decides (by default: spam for Akismet's test author
 * `akismet-guaranteed-spam`, not spam for anyone else). Every request is recorded, so a test
 * counts what reached the service rather than timing anything.
 */
export async function startAkismetTestServer(options: { key: string; answer?: (form: URLSearchParams) => Answer }) {
  const received: ReceivedCheck[] = [];
  const hanging = new Set<http.ServerResponse>();
  let answer = options.answer ?? ((form: URLSearchParams): Answer => (form.get('comment_author') === GUARANTEED_SPAM_AUTHOR ? 'spam' : 'ham'));
  const arrivals: (() => void)[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      received.push({ path: req.url ?? '', method: req.method ?? '', contentType: req.headers['content-type'] ?? '', userAgent: req.headers['user-agent'] ?? '', form });
      for (const arrived of arrivals.splice(0)) arrived();
      if (req.method !== 'POST' || req.url !== '/1.1/comment-check') return void res.writeHead(404).end('not found');
      if (form.get('api_key') !== options.key) return void reply(res, 'invalid');
      for (const name of ['blog', 'user_ip']) if (!form.get(name)) return void reply(res, 'invalid', `Empty "${name}" value`);
      const verdict = answer(form);
      if (verdict === 'hang') return void hanging.add(res);
      reply(res, verdict);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** How the service answers from now on. */
    answer(next: Answer | ((form: URLSearchParams) => Answer)) {
      answer = typeof next === 'function' ? next : () => next;
    },
    /** Resolves once `count` checks have arrived in all. */
    async receivedAtLeast(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((resolve) => arrivals.push(resolve));
    },
    /** Lets the hanging requests go (their clients gave up long ago). */
    releaseHanging() {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: http.ServerResponse, answer: Exclude<Answer, 'hang'>, help = 'Invalid API key. Please visit https://akismet.com/get/ to get a key.'): void {
  const text = { 'content-type': 'text/plain; charset=utf-8' };
  if (answer === 'fail') return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
  if (answer === 'invalid') return void res.writeHead(200, { ...text, 'x-akismet-debug-help': help }).end('invalid');
  if (answer === 'blatant') return void res.writeHead(200, { ...text, 'x-akismet-pro-tip': 'discard' }).end('true');
  res.writeHead(200, text).end(answer === 'spam' ? 'true' : 'false');
}
