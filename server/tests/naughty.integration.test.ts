import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { BODY_MAX, CommentResponseSchema, ErrorResponseSchema, type CommentView, type ErrorBody, type ThreadEventWire } from '../../lib/contract';
import { MAX_BLOCK_LEVEL, MAX_LINKS } from '../../lib/domain/markdown';
import { DEFAULT_SPAM_RULES } from '../../lib/services/spam';
import { HttpGuest, type HttpResult } from '../testing/http';
import { NAUGHTY, refusedAsBody, refusedAsName, storedBody, storedName } from '../testing/naughtyStrings';
import { createOpenThread } from '../testing/nodes';
import { createViaSocket, record, subscribe, type ClientSocket } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/**
 * The Big List of Naughty Strings, every one as a body and as a display name,
 * through the HTTP API and the socket, on SQLite and PostgreSQL: each is stored
 * byte for byte (after the documented trimming) or refused with a 400 naming
 * the field; never a 5xx. Then the special cases of docs/security.md.
 */

/** No element or attribute in rendered HTML can run anything. */
function assertInertHtml(html: string, what: string): void {
  assert.doesNotMatch(html, /<(script|img|iframe|object|embed|svg|style|details|form|input|math)\b/i, what);
  assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, `${what}: an event-handler attribute`);
  assert.doesNotMatch(html, /href="(?!https?:|mailto:)/i, `${what}: a link with a scheme that is not allowed`);
}

type Field = 'body' | 'authorName';
/** The request that puts `s` in `field`, with a plain value in the other. */
const requestWith = (field: Field, s: string) => (field === 'body' ? { body: s, authorName: 'Naughty' } : { body: 'naughty name', authorName: s });
const stored = (field: Field, c: CommentView) => (field === 'body' ? c.body : c.author.name);
const expected = (field: Field, s: string) => (field === 'body' ? storedBody(s) : storedName(s));
const refused = (field: Field, s: string) => (field === 'body' ? refusedAsBody(s) : refusedAsName(s));

/** Runs `task` over `items`, a few at a time, keeping the results in order. */
async function inBatches<T, R>(items: readonly T[], task: (item: T, index: number) => Promise<R>, size = 8): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => task(item, i + j)))));
  return results;
}

for (const kind of DATABASE_KINDS) {
  describe(`naughty strings on ${kind}`, () => {
    // Every string is posted by a guest of its own: no limits, and no spam check (some strings are links, which
    // it holds as new guests' first comments, out of the public thread read back here).
    const suite = useNode(kind, { rateLimits: false, spam: { enabled: false, rules: DEFAULT_SPAM_RULES } });
    const { sockets } = suite;

    const guest = () => new HttpGuest(suite.node.baseUrl);

    function refusal(res: HttpResult | { status: number; body: unknown }, field: string, what: string): ErrorBody {
      assert.equal(res.status, 400, `${what}: expected 400, got ${res.status}: ${JSON.stringify(res.body)}`);
      const { error } = ErrorResponseSchema.parse(res.body);
      assert.equal(error.code, 'invalid_request', what);
      assert.ok((error.fields?.[field] ?? []).length > 0, `${what}: fields.${field} in ${JSON.stringify(error.fields)}`);
      return error;
    }

    async function threadComments(slug: string): Promise<Map<string, CommentView>> {
      // Hundreds of top-level comments: every page of them.
      return new Map((await guest().readThread(slug)).comments.map((c) => [c.id, c]));
    }

    /** A reader's socket on the thread, recording what arrives live. */
    async function listener(slug: string): Promise<{ socket: ClientSocket; events: ThreadEventWire[] }> {
      const socket = await sockets.connect(suite.node.baseUrl);
      const events = record(socket, 'thread:event');
      await subscribe(socket, slug);
      return { socket, events: events.items };
    }

    /** Checks every outcome, then that the thread read back and the live events hold exactly what was accepted. */
    async function checkRoundTrip(options: { slug: string; field: Field; outcomes: ({ id: string } | { refused: true })[]; live: ThreadEventWire[] }) {
      const { slug, field, outcomes, live } = options;
      const accepted = new Map<string, string>();
      outcomes.forEach((o, i) => {
        if ('id' in o) accepted.set(o.id, NAUGHTY[i]!);
      });
      const back = await threadComments(slug);
      assert.equal(back.size, accepted.size, 'the thread holds exactly the accepted strings');
      for (const [id, s] of accepted) {
        const c = back.get(id);
        assert.ok(c, `comment ${id} for ${JSON.stringify(s)} is in the thread`);
        assert.equal(stored(field, c), expected(field, s), `${field} read back for ${JSON.stringify(s)}`);
        assertInertHtml(c.html, JSON.stringify(s));
      }
      const created = await waitFor(`${accepted.size} live comment.created events`, () => {
        const events = live.filter((e) => e.type === 'comment.created');
        return events.length >= accepted.size ? events : undefined;
      });
      for (const event of created) {
        if (event.type !== 'comment.created') continue;
        const s = accepted.get(event.comment.id);
        assert.ok(s !== undefined, `a live event for ${event.comment.id}, which was accepted`);
        assert.equal(stored(field, event.comment), expected(field, s), `${field} arriving live for ${JSON.stringify(s)}`);
        assertInertHtml(event.comment.html, JSON.stringify(s));
      }
    }

    for (const field of ['body', 'authorName'] as const) {
      test(`every naughty string as the ${field}, over HTTP: 201 and byte-for-byte, or 400 naming ${field}`, async () => {
        const { slug } = await createOpenThread(suite.node.services, `naughty ${field} http`);
        const { events } = await listener(slug);
        const outcomes = await inBatches(NAUGHTY, async (s) => {
          const what = `${field} ${JSON.stringify(s)} over HTTP`;
          const res = await guest().post(slug, requestWith(field, s));
          assert.ok(res.status < 500, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
          if (refused(field, s)) {
            refusal(res, field, what);
            return { refused: true as const };
          }
          assert.equal(res.status, 201, `${what}: ${JSON.stringify(res.body)}`);
          const { comment } = CommentResponseSchema.parse(res.body);
          assert.equal(stored(field, comment), expected(field, s), what);
          return { id: comment.id };
        });
        assert.ok(outcomes.filter((o) => 'id' in o).length > NAUGHTY.length / 2, 'most of the corpus is accepted');
        await checkRoundTrip({ slug, field, outcomes, live: events });
      });

      test(`every naughty string as the ${field}, over the socket's comment:create`, async () => {
        const { slug } = await createOpenThread(suite.node.services, `naughty ${field} socket`);
        const { events } = await listener(slug);
        const writer = await sockets.connect(suite.node.baseUrl);
        const outcomes = await inBatches(NAUGHTY, async (s) => {
          const what = `${field} ${JSON.stringify(s)} over the socket`;
          const ack = await createViaSocket(writer, { slug, ...requestWith(field, s) });
          if (refused(field, s)) {
            assert.ok(!ack.ok, `${what} is refused`);
            assert.equal(ack.error.code, 'invalid_request', what);
            assert.ok((ack.error.fields?.[field] ?? []).length > 0, `${what}: ${JSON.stringify(ack.error)}`);
            return { refused: true as const };
          }
          assert.ok(ack.ok, `${what}: ${JSON.stringify(ack)}`);
          assert.equal(stored(field, ack.comment), expected(field, s), what);
          return { id: ack.comment.id };
        });
        await checkRoundTrip({ slug, field, outcomes, live: events });
      });
    }

    describe('the special cases', () => {
      let slug: string;
      before(async () => {
        ({ slug } = await createOpenThread(suite.node.services, 'naughty special cases'));
      });

      /** Posts raw JSON text (so escapes like "\ud800" reach the server as written). */
      const postRaw = (raw: string) => guest().request('POST', `/api/threads/${slug}/comments`, { raw, contentType: 'application/json' });

      test('NUL, as \\u0000 in JSON, is a 400 naming the field, never a 500 (PostgreSQL cannot store it)', async () => {
        refusal(await postRaw('{"body":"a\\u0000b","authorName":"Val"}'), 'body', 'NUL in the body');
        refusal(await postRaw('{"body":"ok","authorName":"V\\u0000al"}'), 'authorName', 'NUL in the name');
      });

      test('a lone surrogate, as "\\ud800" in JSON, is a 400: UTF-8 cannot store it byte for byte', async () => {
        refusal(await postRaw('{"body":"a\\ud800b","authorName":"Val"}'), 'body', 'lone high surrogate');
        refusal(await postRaw('{"body":"\\udc00","authorName":"Val"}'), 'body', 'lone low surrogate');
        refusal(await postRaw('{"body":"ok","authorName":"\\ud83e"}'), 'authorName', 'lone surrogate in the name');
        const pair = await postRaw('{"body":"\\ud83e\\udd8a","authorName":"Val"}');
        assert.equal(pair.status, 201);
        assert.equal(CommentResponseSchema.parse(pair.body).comment.body, '🦊');
      });

      test('the same over the socket', async () => {
        const socket = await sockets.connect(suite.node.baseUrl);
        for (const [body, authorName, field] of [
          ['a\u0000b', 'Val', 'body'],
          ['a\ud800b', 'Val', 'body'],
          ['ok', 'V\udfffal', 'authorName'],
          ['ok', 'Ann\u202eeoJ', 'authorName'],
        ] as const) {
          const ack = await createViaSocket(socket, { slug, body, authorName });
          assert.ok(!ack.ok && ack.error.code === 'invalid_request' && (ack.error.fields?.[field]?.length ?? 0) > 0, `${JSON.stringify({ body, authorName })}: ${JSON.stringify(ack)}`);
        }
      });

      test('a request body that is not UTF-8 is a 400, not silently turned into U+FFFD', async () => {
        const bytes = Buffer.concat([Buffer.from('{"body":"caf'), Buffer.from([0xe9]), Buffer.from('","authorName":"Val"}')]);
        const res = await fetch(`${suite.node.baseUrl}/api/threads/${slug}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
        assert.equal(res.status, 400);
        assert.equal(ErrorResponseSchema.parse(await res.json()).error.code, 'invalid_json');
      });

      test('C0 and C1 controls are refused, tabs and line breaks kept', async () => {
        for (const c of ['\u0001', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u009b']) {
          refusal(await guest().post(slug, { body: `a${c}b`, authorName: 'Val' }), 'body', `U+${c.charCodeAt(0).toString(16)}`);
        }
        const res = await guest().post(slug, { body: 'a\tb\r\nc', authorName: 'Val' });
        assert.equal(CommentResponseSchema.parse(res.body).comment.body, 'a\tb\nc');
      });

      test('bidi overrides and isolates: kept in a body, refused in a name', async () => {
        const body = 'Reply \u202eylper\u202c and \u2066isolated\u2069 \u2067rtl\u2069 \u2068first\u2069';
        const res = await guest().post(slug, { body, authorName: 'Val' });
        assert.equal(res.status, 201);
        assert.equal(CommentResponseSchema.parse(res.body).comment.body, body);
        for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
          refusal(await guest().post(slug, { body: 'ok', authorName: `Ann${c}` }), 'authorName', `U+${c.charCodeAt(0).toString(16)} in a name`);
        }
      });

      test('zero-width characters: kept inside text, refused when nothing else is there', async () => {
        const body = 'zero\u200bwidth \u200cnon-joiner \u200djoiner \u2060word-joiner 👩‍💻';
        const res = await guest().post(slug, { body, authorName: 'Ze\u200bro' });
        const { comment } = CommentResponseSchema.parse(res.body);
        assert.equal(comment.body, body);
        assert.equal(comment.author.name, 'Ze\u200bro');
        refusal(await guest().post(slug, { body: '\u200b\u200c\u200d\u2060', authorName: 'Val' }), 'body', 'only zero-width characters');
        refusal(await guest().post(slug, { body: 'ok', authorName: '\u200b\u3164\u2800' }), 'authorName', 'an invisible name');
      });

      test('200 combining marks stacked on one letter are refused', async () => {
        const error = refusal(await guest().post(slug, { body: `Z${'\u0336'.repeat(200)}`, authorName: 'Val' }), 'body', '200 marks');
        assert.match(error.fields?.body?.[0] ?? '', /combining marks/);
      });

      test(`a ${BODY_MAX + 1}-character body is refused; ${BODY_MAX} characters (even as astral emoji) are fine`, async () => {
        refusal(await guest().post(slug, { body: 'x'.repeat(BODY_MAX + 1), authorName: 'Val' }), 'body', `${BODY_MAX + 1} characters`);
        const emoji = '🧵'.repeat(BODY_MAX);
        const res = await guest().post(slug, { body: emoji, authorName: 'Val' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(CommentResponseSchema.parse(res.body).comment.body, emoji);
      });

      test(`deeply nested markdown is stored as written and rendered ${MAX_BLOCK_LEVEL} levels deep, the rest as text`, async () => {
        const body = `${'>'.repeat(BODY_MAX - 6)} deep!`;
        const res = await guest().post(slug, { body, authorName: 'Val' });
        const { comment } = CommentResponseSchema.parse(res.body);
        assert.equal(comment.body, body);
        assert.equal(comment.html.match(/<blockquote>/g)?.length, MAX_BLOCK_LEVEL);
        assert.match(comment.html, /deep!/);
      });

      test(`a 10,000-link body is refused (too long); the most links that fit render, ${MAX_LINKS} as links`, async () => {
        refusal(await guest().post(slug, { body: 'a.co '.repeat(10_000), authorName: 'Val' }), 'body', '10,000 links');
        const res = await guest().post(slug, { body: 'a.co '.repeat(BODY_MAX / 5), authorName: 'Val' });
        const { comment } = CommentResponseSchema.parse(res.body);
        assert.equal(comment.html.match(/<a /g)?.length, MAX_LINKS);
      });

      test('an edit follows the same rules', async () => {
        const author = guest();
        const { comment } = CommentResponseSchema.parse((await author.post(slug, { body: 'before', authorName: 'Val' })).body);
        refusal(await author.patch(comment.id, { body: 'after\u0000' }), 'body', 'NUL in an edit');
        refusal(await author.patch(comment.id, { body: '\u200b' }), 'body', 'an invisible edit');
      });
    });
  });
}
