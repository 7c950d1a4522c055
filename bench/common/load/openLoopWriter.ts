import http from 'node:http';
import { nowMs, sleep } from '../clock';
import { makeBenchBody } from './commentBody';
import type { TargetWritePlan } from './plans';
import { postJson } from '../httpPost';
import { percentileOfSorted } from '../stats';

export interface OpenLoopWriterOptions {
  /** Comment i is posted to urls[i % urls.length], so both nodes publish. */
  urls: string[];
  postPath: string;
  postFields: Record<string, unknown>;
  runId: string;
  bodyChars: number;
  comments: number;
  rate: number;
  /** Intended send time of comment 0 (ms, see clock.ts); comment i is due at startAtMs + i / rate. */
  startAtMs: number;
}

/** What a writing plan gives its writer; the generator adds where, how many and when. */
export function writerFields(plan: TargetWritePlan): Pick<OpenLoopWriterOptions, 'postPath' | 'postFields' | 'runId' | 'bodyChars' | 'rate'> {
  return { postPath: plan.postPath, postFields: plan.postFields, runId: plan.runId, bodyChars: plan.bodyChars, rate: plan.rate };
}

export interface WriterStats {
  sent: number;
  failed: number;
  firstError: string | null;
  /** Intended send time → HTTP response, ms, one per comment that got a response. */
  responseMs: Float64Array;
  /** The same in comment order, NaN where the post failed. */
  responseSeriesMs: Float64Array;
  /** Actual send time − intended send time, ms. */
  sendLagP99Ms: number;
  sendLagMaxMs: number;
}

/**
 * Posts comments on a fixed schedule without waiting for earlier responses
 * (open loop): a slow server or a stalled generator cannot lower the offered
 * rate, and each comment carries its intended time, so any delay shows up in
 * the readers' latency instead of disappearing into a later send.
 */
export async function runOpenLoopWriter(options: OpenLoopWriterOptions): Promise<WriterStats> {
  const intervalMs = 1000 / options.rate;
  // Keep-alive, and enough sockets that a slow response never queues the next post behind it.
  const agents = options.urls.map(() => new http.Agent({ keepAlive: true, maxSockets: 256 }));
  const responseMs = new Float64Array(options.comments).fill(Number.NaN);
  const sendLag = new Float64Array(options.comments);
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  let firstError: string | null = null;

  const send = (index: number) => {
    const intendedMs = options.startAtMs + index * intervalMs;
    sendLag[index] = nowMs() - intendedMs;
    const which = index % options.urls.length;
    const body = JSON.stringify({
      ...options.postFields,
      body: makeBenchBody({ runId: options.runId, index, intendedMs, chars: options.bodyChars }),
      clientId: `bench-${options.runId}-${index}`,
    });
    const posted = postJson({ url: new URL(options.postPath, options.urls[which]), agent: agents[which] as http.Agent, body }).then(
      (res) => {
        responseMs[index] = nowMs() - intendedMs;
        if (res.status < 200 || res.status >= 300) {
          failed += 1;
          firstError ??= `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
        }
      },
      (err: unknown) => {
        failed += 1;
        firstError ??= (err as Error).message;
      },
    );
    inFlight.push(posted);
  };

  let next = 0;
  while (next < options.comments) {
    const dueMs = options.startAtMs + next * intervalMs;
    const waitMs = dueMs - nowMs();
    if (waitMs > 0) {
      await sleep(waitMs);
      continue;
    }
    // Everything already due goes now: after a stall the writer catches up rather than shifting the schedule.
    while (next < options.comments && options.startAtMs + next * intervalMs <= nowMs()) send(next++);
  }
  await Promise.all(inFlight);
  for (const agent of agents) agent.destroy();

  const lags = Float64Array.from(sendLag).sort();
  return {
    sent: options.comments,
    failed,
    firstError,
    responseMs: responseMs.filter((v) => !Number.isNaN(v)),
    responseSeriesMs: responseMs,
    sendLagP99Ms: percentileOfSorted(lags, 99),
    sendLagMaxMs: lags.length > 0 ? (lags[lags.length - 1] as number) : Number.NaN,
  };
}
