import type { ClientInfo } from './types';

/** What the outside service is told about a comment (Akismet's comment-check parameters). */
export interface CheckedComment {
  client: ClientInfo;
  /** The article page the comment is on. */
  permalink: string;
  authorName: string;
  body: string;
  /** When it was posted or edited (ISO 8601, UTC): Akismet's `comment_date_gmt`. */
  at: string;
  /** Set when the text is checked again after an edit (Akismet's `recheck_reason`). */
  recheck: 'edit' | null;
}

/** `blatant`: spam Akismet says may be discarded unseen (`X-akismet-pro-tip: discard`). */
export type OutsideVerdict = 'ham' | 'spam' | 'blatant';

/** The service could not judge: it took longer than the timeout, or answered with something other than a verdict. */
export class SpamServiceError extends Error {
  constructor(
    readonly kind: 'timeout' | 'error',
    message: string,
  ) {
    super(message);
    this.name = 'SpamServiceError';
  }
}

export interface SpamService {
  /** The verdict, or a SpamServiceError. */
  check(comment: CheckedComment): Promise<OutsideVerdict>;
}

export interface AkismetOptions {
  /** SPAM_CHECK_URL: the service's base (`https://rest.akismet.com`); requests go to `<base>/1.1/comment-check`. */
  url: string;
  /** SPAM_CHECK_KEY: Akismet's `api_key`. */
  key: string;
  /** SPAM_CHECK_TIMEOUT_MS: the whole request, answer included. */
  timeoutMs: number;
  /** The site's languages (Akismet's `blog_lang`). */
  languages: readonly string[];
}

/** More than any verdict or error needs: a misbehaving service cannot make a node read megabytes. */
const MAX_ANSWER_BYTES = 4096;
const USER_AGENT = 'Threadline/0.1 | Akismet-compatible comment check';

/**
 * A client of Akismet's documented comment-check call (and of any service that speaks it):
 * POST, form-encoded; the answer's body is `true` (spam) or `false` (not spam), and anything else
 * is an error, explained by the `X-akismet-debug-help` header. `X-akismet-pro-tip: discard` marks
 * blatant spam. Everything a reader's browser told us goes along (address, user agent, referrer),
 * which is most of what the service judges by.
 */
export function createAkismetClient(options: AkismetOptions): SpamService {
  const endpoint = new URL('1.1/comment-check', options.url.endsWith('/') ? options.url : `${options.url}/`);
  return {
    async check(comment) {
      const form = new URLSearchParams({
        api_key: options.key,
        blog: comment.client.site,
        user_ip: comment.client.ip,
        user_agent: comment.client.userAgent,
        referrer: comment.client.referrer,
        permalink: comment.permalink,
        comment_type: 'comment',
        comment_author: comment.authorName,
        comment_content: comment.body,
        comment_date_gmt: comment.at,
        blog_lang: options.languages.join(', '),
        blog_charset: 'UTF-8',
      });
      if (comment.recheck) form.set('recheck_reason', comment.recheck);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), options.timeoutMs);
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'user-agent': USER_AGENT },
          body: form,
          signal: abort.signal,
          redirect: 'error',
        });
        const answer = (await readCapped(res)).trim();
        if (res.status !== 200) throw new SpamServiceError('error', `HTTP ${res.status}${answer ? `: ${answer.slice(0, 200)}` : ''}`);
        if (answer === 'true') return res.headers.get('x-akismet-pro-tip') === 'discard' ? 'blatant' : 'spam';
        if (answer === 'false') return 'ham';
        const help = res.headers.get('x-akismet-debug-help') ?? res.headers.get('x-akismet-error');
        throw new SpamServiceError('error', `answered ${JSON.stringify(answer.slice(0, 100))}${help ? ` (${help})` : ''}`);
      } catch (err) {
        if (err instanceof SpamServiceError) throw err;
        if (abort.signal.aborted) throw new SpamServiceError('timeout', `no answer within ${options.timeoutMs} ms`);
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
        throw new SpamServiceError('error', `${err instanceof Error ? err.message : String(err)}${cause}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The answer's body, at most MAX_ANSWER_BYTES of it (the rest is not read). */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
}
