/** Posts in one minute (`YYYY-MM-DDTHH:MM`, UTC), counted from the seq log's `comment.created` events. */
export interface MinuteCount {
  minute: string;
  comments: number;
}

/**
 * One decision on something in the queue: a held comment approved or rejected (its audit entry), or a
 * reported one kept or removed (the reports that decision closed). `waitingSince`: when it entered the queue.
 */
export interface QueueDecision {
  kind: 'approve' | 'reject' | 'keep' | 'remove';
  commentId: string;
  waitingSince: string;
  decidedAt: string;
}

const MINUTE_MS = 60_000;

/** The minute a time falls in, as the store names it (`YYYY-MM-DDTHH:MM`, UTC). */
export function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * The last `minutes` minutes up to and including `now`'s, oldest first, each with its posts: the store
 * leaves quiet minutes out, a chart must show them as zero.
 */
export function everyMinute(counts: readonly MinuteCount[], now: Date, minutes: number): MinuteCount[] {
  const byMinute = new Map(counts.map((c) => [c.minute, c.comments]));
  const last = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const series: MinuteCount[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const minute = minuteOf(new Date(last - i * MINUTE_MS));
    series.push({ minute, comments: byMinute.get(minute) ?? 0 });
  }
  return series;
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface DecisionSummary {
  decisions: number;
  /** Median seconds from entering the queue to the decision; null with no decision. */
  medianSeconds: number | null;
  /** Rejected (held) or removed (reported), of all decisions: 0–1; null with no decision. */
  rejectedShare: number | null;
}

/** What the decisions in a window say: how many, how long they waited (median), how many said no. */
export function summarizeDecisions(decisions: readonly QueueDecision[]): DecisionSummary {
  if (decisions.length === 0) return { decisions: 0, medianSeconds: null, rejectedShare: null };
  const waits = decisions.map((d) => Math.max(0, Date.parse(d.decidedAt) - Date.parse(d.waitingSince)) / 1000);
  const rejected = decisions.filter((d) => d.kind === 'reject' || d.kind === 'remove').length;
  return { decisions: decisions.length, medianSeconds: median(waits), rejectedShare: rejected / decisions.length };
}
