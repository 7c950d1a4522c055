import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** A response as the page handler wrote it, kept in memory instead of sent. */
export interface RenderedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * Runs the page handler (Next.js) on a request of our own making, with no client behind it: the
 * render everyone's copy is made from, so it can carry nothing of the reader whose request missed
 * the cache (their cookies never reach it), and a reader who goes away mid-render cancels nothing.
 * `prepare` sets what the server tells a page render (the embed gate's headers) before it runs.
 */
export function renderDetached(handler: Handler, request: { url: string; headers: IncomingHttpHeaders; prepare?: (req: IncomingMessage) => Promise<void> }): Promise<RenderedResponse> {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = request.url;
  req.headers = request.headers;
  req.push(null);
  const res = new http.ServerResponse(req);
  const chunks: Buffer[] = [];
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
  const callbackOf = (...args: unknown[]) => args.find((a): a is () => void => typeof a === 'function');

  return new Promise<RenderedResponse>((resolve, reject) => {
    let ended = false;
    // Nothing is written to a socket: headers stay settable, and the bytes are collected.
    Object.assign(res, {
      writeHead(status: number, ...rest: unknown[]) {
        res.statusCode = status;
        const headers = rest.find((a) => typeof a === 'object' && a !== null);
        if (headers) for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) if (value !== undefined) res.setHeader(name, value);
        return res;
      },
      flushHeaders() {},
      write(chunk: unknown, encoding?: unknown, callback?: unknown) {
        if (chunk != null) chunks.push(toBuffer(chunk, encoding));
        callbackOf(encoding, callback)?.();
        return true;
      },
      end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
        if (ended) return res;
        ended = true;
        if (chunk != null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding));
        resolve({ status: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks) });
        callbackOf(chunk, encoding, callback)?.();
        res.emit('finish');
        res.emit('close');
        return res;
      },
    });
    Promise.resolve()
      .then(async () => {
        await request.prepare?.(req);
        await handler(req, res);
      })
      .then(() => {
        if (!ended) reject(new Error(`the page handler returned without answering ${request.url}`));
      }, reject);
  });
}
