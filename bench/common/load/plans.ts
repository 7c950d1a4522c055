/**
 * What the orchestrators hand their load generators (as JSON in an environment
 * variable), as far as the scenarios share it; each scenario's plan.ts extends these.
 */
import type { TargetName } from '../targets/target';

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
