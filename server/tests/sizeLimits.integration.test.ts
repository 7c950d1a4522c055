import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { ErrorResponseSchema } from '../../lib/contract';
import { BODY_LIMIT_BYTES } from '../http/body';
import { MAX_SOCKET_MESSAGE_BYTES } from '../realtime/createIo';
import { createOpenThread } from '../testing/nodes';
import { createViaSocket } from '../testing/sockets';
import { useNode } from '../testing/suites';

/**
 * Size limits: an HTTP body over 64 KiB is 413 `payload_too_large` (declared
 * or streamed in chunks), and a socket message over Socket.IO's
 * maxHttpBufferSize ends that connection while the node serves the others.
 */
const suite = useNode('sqlite', { rateLimits: false });
const { sockets } = suite;

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request whose body is written in chunks, with or without a declared
 * length. The answer may come before the whole body is sent (a 413 does): it
 * is what the test reads, and a write the server no longer accepts is fine.
 */
function sendChunks(options: { path: string; contentType: string; chunks: Buffer[]; declareLength: boolean }): Promise<RawAnswer> {
  const url = new URL(options.path, suite.node.baseUrl);
  const total = options.chunks.reduce((n, c) => n + c.length, 0);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': options.contentType, ...(options.declareLength && { 'content-length': total }) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    // EPIPE / ECONNRESET after the server has answered and closed: expected when it stops reading.
    req.on('error', (err) => reject(err));
    let i = 0;
    const writeNext = () => {
      if (req.destroyed) return;
      if (i >= options.chunks.length) return void req.end();
      req.write(options.chunks[i++], () => setImmediate(writeNext));
    };
    writeNext();
  });
}

function tooLarge(answer: RawAnswer, what: string): void {
  assert.equal(answer.status, 413, `${what}: expected 413, got ${answer.status} ${answer.body.slice(0, 200)}`);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  assert.equal(ErrorResponseSchema.parse(JSON.parse(answer.body)).error.code, 'payload_too_large');
  assert.equal(answer.headers.connection, 'close', 'the rest of the body is not read: the connection ends');
}

const KIB = 1024;
const jsonOfSize = (bytes: number) => Buffer.from(JSON.stringify({ body: 'x'.repeat(bytes), authorName: 'Big' }));

describe('HTTP bodies', () => {
  test('a declared body over the limit is 413 payload_too_large, before it is read', async () => {
    const t = await createOpenThread(suite.node.services, 'declared');
    const body = jsonOfSize(BODY_LIMIT_BYTES + KIB);
    tooLarge(await sendChunks({ path: `/api/threads/${t.slug}/comments`, contentType: 'application/json', chunks: [body], declareLength: true }), 'declared');
  });

  test('a chunked body without content-length is 413 once it passes the limit', async () => {
    const t = await createOpenThread(suite.node.services, 'chunked');
    const body = jsonOfSize(32 * BODY_LIMIT_BYTES);
    const chunks = Array.from({ length: Math.ceil(body.length / (8 * KIB)) }, (_, i) => body.subarray(i * 8 * KIB, (i + 1) * 8 * KIB));
    tooLarge(await sendChunks({ path: `/api/threads/${t.slug}/comments`, contentType: 'application/json', chunks, declareLength: false }), 'chunked');
  });

  test('another route that reads a body (sign-in) answers 413 the same way', async () => {
    const body = Buffer.from(JSON.stringify({ username: 'big', password: 'x'.repeat(BODY_LIMIT_BYTES) }));
    tooLarge(await sendChunks({ path: '/api/auth/login', contentType: 'application/json', chunks: [body], declareLength: false }), 'sign-in');
  });

  test('a body just under the limit is read (and refused only for what it says)', async () => {
    const t = await createOpenThread(suite.node.services, 'under');
    const answer = await sendChunks({ path: `/api/threads/${t.slug}/comments`, contentType: 'application/json', chunks: [jsonOfSize(BODY_LIMIT_BYTES - KIB)], declareLength: true });
    assert.equal(answer.status, 400, answer.body.slice(0, 200));
    assert.equal(ErrorResponseSchema.parse(JSON.parse(answer.body)).error.code, 'invalid_request');
  });

  test('after 413s the node serves other requests as usual', async () => {
    const res = await fetch(`${suite.node.baseUrl}/api/health`);
    assert.equal(res.status, 200);
  });
});

describe('socket messages', () => {
  test('a message over maxHttpBufferSize disconnects that socket; the node keeps serving the others', async () => {
    const t = await createOpenThread(suite.node.services, 'socket size');
    const [big, other] = [await sockets.connect(suite.node.baseUrl), await sockets.connect(suite.node.baseUrl)];
    const gone = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big as unknown as { emit(event: string, payload: unknown): void }).emit('comment:create', { slug: t.slug, body: 'x'.repeat(MAX_SOCKET_MESSAGE_BYTES + KIB), authorName: 'Big' });
    assert.match(await gone, /transport close|transport error/);
    assert.equal((await other.timeout(5000).emitWithAck('server:hello')).ok, true);
    const ack = await createViaSocket(other, { slug: t.slug, body: 'still here', authorName: 'Other' });
    assert.ok(ack.ok, JSON.stringify(ack));
  });
});
