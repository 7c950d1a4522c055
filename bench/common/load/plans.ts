/**
 * What the orchestrators hand their load generators (as JSON in an environment
 * variable), as far as the scenarios share it; each scenario's plan.ts extends these.
 */
import { randomBytes } from 'node:crypto';
import type { RoundThread, RunningTarget, TargetName } from '../targets/target';

/** What a generator's plan says about its readers: every reader-holding scenario's plan extends it. */
export interface ReadersPlan {
  /** Reader i connects to nodeUrls[i % nodeUrls.length]. */
  nodeUrls: string[];
  slug: string;
  /** Readers subscribe after this seq, so the catch-up is empty. */
  afterSeq: number;
  readers: number;
  /** Readers opened at a time; the next batch starts once this one has subscribed. */
  connectBatch: number;
  connectTimeoutMs: number;
}

/** A plan whose generator also writes bench comments. */
export interface CommentingPlan extends ReadersPlan {
  /** Unique per round; it is in every comment body, so stray comments are ignored. */
  runId: string;
  bodyChars: number;
}

/** A plan that writes to one target through its comment POST, open loop. */
export interface TargetWritePlan extends CommentingPlan {
  target: TargetName;
  /** Path of the HTTP POST that creates a comment on this target. */
  postPath: string;
  /** Fields sent with every comment besides `body` (and a per-comment `clientId`). */
  postFields: Record<string, unknown>;
  /** Comments per second, open loop. */
  rate: number;
}

/** How long a reader may take to connect and get its subscribe ack. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** A round's writing plan as every scenario fills it: the target's nodes and POST, the round's thread, a fresh run id. */
export function targetWritePlan(target: RunningTarget, thread: RoundThread, options: { readers: number; rate: number; bodyChars: number; connectBatch: number }): TargetWritePlan {
  const post = target.postRequest(thread);
  return {
    target: target.name,
    runId: randomBytes(4).toString('hex'),
    nodeUrls: target.nodeUrls,
    slug: thread.slug,
    afterSeq: thread.afterSeq,
    postPath: post.path,
    postFields: post.fields,
    readers: options.readers,
    rate: options.rate,
    bodyChars: options.bodyChars,
    connectBatch: options.connectBatch,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  };
}
