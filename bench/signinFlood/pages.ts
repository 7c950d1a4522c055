import http from 'node:http';
import { nowMs, sleep } from '../common/clock';
import { round, summariseLatencies } from '../common/stats';

export interface PageFetches {
  /** Pages asked for in the window. */
  sent: number;
  errors: number;
  firstError: string | null;
  /** From sending to the last byte, over every page sent in the window, however late it came. */
  latencyMs: { p50: number; p99: number; max: number };
  /** The first answer's `Content-Encoding` (null: none). */
  contentEncoding: string | null;
}

/**
 * Open-loop page fetches: one GET every 1000/rate ms for `seconds`, whatever the server does, each
 * timed until its last byte, late answers included. A stall then shows as every page sent during
 * it being slow (a closed loop would send fewer pages while stalled, and a window cut off at its
 * end would drop the slowest).
 */
export async function fetchPages(options: { url: string; rate: number; seconds: number; headers: Record<string, string> }): Promise<PageFetches> {
  const agent = new http.Agent({ keepAlive: true });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let contentEncoding: string | null | undefined;
  const fetches: Promise<void>[] = [];
  const startMs = nowMs();
  const count = Math.round(options.rate * options.seconds);
  for (let i = 0; i < count; i += 1) {
    const due = startMs + (i * 1000) / options.rate;
    if (due > nowMs()) await sleep(due - nowMs());
    fetches.push(
      new Promise<void>((resolve) => {
        const sentMs = nowMs();
        const fail = (message: string) => {
          errors += 1;
          firstError ??= message;
          resolve();
        };
        http
          .get(options.url, { agent, headers: options.headers }, (res) => {
            res.resume();
            res.on('error', (err) => fail(err.message));
            res.on('end', () => {
              if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}`);
              contentEncoding ??= res.headers['content-encoding'] ?? null;
              latencies.push(nowMs() - sentMs);
              resolve();
            });
          })
          .on('error', (err) => fail(err.message));
      }),
    );
  }
  await Promise.all(fetches);
  agent.destroy();
  const summary = summariseLatencies(Float64Array.from(latencies));
  return { sent: count, errors, firstError, latencyMs: { p50: round(summary.p50), p99: round(summary.p99), max: round(summary.max) }, contentEncoding: contentEncoding ?? null };
}
