import type { Server } from 'socket.io';
import type http from 'node:http';

/** The bare baselines' JSON over node:http: no validation layer, just enough to take a POST and answer it. */
const MAX_BODY_BYTES = 64 * 1024;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * A baseline server's way out: `stop` on SIGTERM/SIGINT and, with BENCH_EXIT_WITH_PARENT=1, when its
 * stdin closes (the bench holds it: when the bench ends, even killed outright, so does the server).
 * `stop` runs once; the process exits 200 ms later whatever `stop` left open.
 */
export function exitWithBench(stop: () => void): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    stop();
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', once);
  process.on('SIGINT', once);
  if (process.env.BENCH_EXIT_WITH_PARENT === '1') {
    process.stdin.on('end', once);
    process.stdin.on('error', once);
    process.stdin.resume();
  }
}

/** The room a bare baseline emits a thread's events to. */
export function threadRoom(slug: string): string {
  return `thread:${slug}`;
}

/**
 * A bare baseline's `thread:subscribe`: join the thread's room and answer "nothing missed" (a bare room join has
 * no catch-up), with the thread's last seq as `seqOf` knows it.
 */
export function answerSubscribes(io: Server, seqOf: (slug: string) => number): void {
  io.on('connection', (socket) => {
    socket.on('thread:subscribe', (request: { slug?: unknown }, ack?: (res: unknown) => void) => {
      const slug = typeof request?.slug === 'string' ? request.slug : null;
      if (!slug) {
        ack?.({ ok: false, error: { code: 'invalid_request', message: 'slug is required.' } });
        return;
      }
      void socket.join(threadRoom(slug));
      ack?.({ ok: true, thread: { slug, seq: seqOf(slug), locked: false }, missed: [], resync: false });
    });
  });
}
