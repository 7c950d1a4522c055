import http from 'node:http';

export interface PostRequest {
  url: URL;
  agent: http.Agent;
  /** JSON text; omitted for a POST with no body (a lock needs none). */
  body?: string;
  /** Extra request headers, e.g. a session cookie. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface PostResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * One POST. A keep-alive socket the server closes just as we reuse it fails with
 * ECONNRESET / "socket hang up" before the server saw the request; Node's
 * documented remedy is to retry once on `req.reusedSocket`. Callers keep their
 * intended send time, so the retry's delay still counts in a latency.
 */
export async function postJson(request: PostRequest): Promise<PostResponse> {
  try {
    return await postJsonOnce(request);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket) return postJsonOnce(request);
    throw err;
  }
}

function postJsonOnce(request: PostRequest): Promise<PostResponse> {
  const body = request.body ?? '';
  // A JSON client even without a body: the API takes a bodiless POST without an Origin only as JSON (docs/security.md).
  const headers: Record<string, string | number> = { ...request.headers, 'content-length': Buffer.byteLength(body), 'content-type': 'application/json' };
  return new Promise((resolve, reject) => {
    const req = http.request(request.url, { method: 'POST', agent: request.agent, headers, timeout: request.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${request.url.pathname} timed out`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const raced = req.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up');
      reject(raced ? Object.assign(err, { reusedSocket: true }) : err);
    });
    req.end(body);
  });
}
