import http from 'node:http';
import { nowMs } from '../common/clock';
import { round, summariseLatencies } from '../common/stats';

export interface HttpLoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Size of the last successful response body. */
  responseBytes: number;
  /** Every answered request, warm-up included, and the whole run's wall time: to divide a CPU sample taken around the call. */
  allRequests: number;
  elapsedSeconds: number;
}

/**
 * Closed-loop GET load: `concurrency` workers on keep-alive sockets, each
 * sending its next request as soon as the previous one is answered, for
 * `warmupSeconds` (not counted) then `seconds` (counted). Throughput is what a
 * server gives under this fixed pressure; latency is per request.
 */
export async function runHttpLoad(options: { url: string; concurrency: number; seconds: number; warmupSeconds: number }): Promise<HttpLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(options.url);
  const startMs = nowMs();
  const measureFromMs = startMs + options.warmupSeconds * 1000;
  const endMs = measureFromMs + options.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let responseBytes = 0;
  let allRequests = 0;

  const once = () =>
    new Promise<void>((resolve) => {
      const sentMs = nowMs();
      const fail = (message: string) => {
        if (sentMs >= measureFromMs) errors += 1;
        firstError ??= message;
        resolve();
      };
      http
        .get(url, { agent }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}`);
            responseBytes = bytes;
            allRequests += 1;
            if (sentMs >= measureFromMs && nowMs() <= endMs) latencies.push(nowMs() - sentMs);
            resolve();
          });
          res.on('error', (err) => fail(err.message));
        })
        .on('error', (err) => fail(err.message));
    });

  const worker = async () => {
    while (nowMs() < endMs) await once();
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  const summary = summariseLatencies(Float64Array.from(latencies));
  return {
    requests: latencies.length,
    errors,
    firstError,
    requestsPerSecond: round(latencies.length / options.seconds, 1),
    latencyMs: { p50: round(summary.p50), p99: round(summary.p99), max: round(summary.max) },
    responseBytes,
    allRequests,
    elapsedSeconds: round((nowMs() - startMs) / 1000, 3),
  };
}
