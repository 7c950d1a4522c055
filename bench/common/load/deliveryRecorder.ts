import { summariseLatencies, type LatencySummary } from '../stats';

/**
 * One slot per (reader, comment): the latency of that delivery, or NaN while it
 * has not arrived. Preallocated so recording 20,000 deliveries a second costs
 * an array write, not an allocation.
 */
export class DeliveryRecorder {
  private readonly latencies: Float64Array;
  private receivedCount = 0;
  private duplicateCount = 0;
  private measuredCount = 0;
  /** When the last delivery of a measured comment arrived (ms, see clock.ts). */
  lastMeasuredReceiveMs = Number.NaN;

  constructor(private readonly shape: { readers: number; comments: number; warmupComments: number }) {
    this.latencies = new Float64Array(shape.readers * shape.comments).fill(Number.NaN);
  }

  /** Records one delivery; false when it is out of range (another run's comment) or a duplicate. */
  record(delivery: { reader: number; index: number; latencyMs: number; receivedMs: number }): boolean {
    const { reader, index } = delivery;
    if (index < 0 || index >= this.shape.comments || reader < 0 || reader >= this.shape.readers) return false;
    const slot = reader * this.shape.comments + index;
    if (!Number.isNaN(this.latencies[slot] as number)) {
      this.duplicateCount += 1;
      return false;
    }
    this.latencies[slot] = delivery.latencyMs;
    this.receivedCount += 1;
    if (index >= this.shape.warmupComments) {
      this.measuredCount += 1;
      if (!(delivery.receivedMs <= this.lastMeasuredReceiveMs)) this.lastMeasuredReceiveMs = delivery.receivedMs;
    }
    return true;
  }

  get expected(): number {
    return this.shape.readers * this.shape.comments;
  }

  get received(): number {
    return this.receivedCount;
  }

  get duplicates(): number {
    return this.duplicateCount;
  }

  /** Deliveries of comments past the warm-up. */
  get measuredReceived(): number {
    return this.measuredCount;
  }

  isComplete(): boolean {
    return this.receivedCount >= this.expected;
  }

  /**
   * Latency over the measured (post-warm-up) deliveries that arrived; `include`
   * narrows it to some (reader, comment) pairs, e.g. those whose reader is on
   * the node the comment was posted to.
   */
  measuredLatency(include: (reader: number, index: number) => boolean = () => true): LatencySummary {
    const samples = new Float64Array(this.measuredCount);
    let n = 0;
    for (let reader = 0; reader < this.shape.readers; reader += 1) {
      const base = reader * this.shape.comments;
      for (let index = this.shape.warmupComments; index < this.shape.comments; index += 1) {
        const v = this.latencies[base + index] as number;
        if (!Number.isNaN(v) && include(reader, index)) samples[n++] = v;
      }
    }
    return summariseLatencies(samples.subarray(0, n));
  }

  /**
   * Per measured comment, the latency of its first and its last delivery. The
   * first is nearly free of the generator's own queueing (one thread works
   * through each burst of N deliveries in turn), so it shows the server's
   * publish path; the last is when every reader has the comment.
   */
  perCommentExtremes(): { first: LatencySummary; last: LatencySummary; firstSeries: Float64Array; lastSeries: Float64Array } {
    const measured = this.shape.comments - this.shape.warmupComments;
    const first = new Float64Array(measured).fill(Number.POSITIVE_INFINITY);
    const last = new Float64Array(measured).fill(Number.NEGATIVE_INFINITY);
    for (let reader = 0; reader < this.shape.readers; reader += 1) {
      const base = reader * this.shape.comments;
      for (let i = 0; i < measured; i += 1) {
        const v = this.latencies[base + this.shape.warmupComments + i] as number;
        if (Number.isNaN(v)) continue;
        if (v < (first[i] as number)) first[i] = v;
        if (v > (last[i] as number)) last[i] = v;
      }
    }
    // A comment no reader got has no first or last delivery; it shows up as lost instead.
    // Series in comment order (NaN: nobody got it), then summaries (which sort their copies).
    const firstSeries = first.map((v) => (Number.isFinite(v) ? v : Number.NaN));
    const lastSeries = last.map((v) => (Number.isFinite(v) ? v : Number.NaN));
    return { first: summariseLatencies(first.filter(Number.isFinite)), last: summariseLatencies(last.filter(Number.isFinite)), firstSeries, lastSeries };
  }
}
