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
