import { DeliveryRecorder } from '../common/load/deliveryRecorder';
import type { ActionOutcome } from './actionSender';
import type { Schedule } from './schedule';

/**
 * `thread.updated` deliveries, kept by seq as they arrive: a lock's seq is
 * only known from its response, which may come after the readers already have
 * the event. Once every response is in, `toRecorder` turns them into
 * latencies from each lock's intended send time.
 */
export class LockReceipts {
  private readonly bySeq = new Map<number, { receivedMs: Float64Array; locked: boolean | null; count: number }>();
  private totalCount = 0;
  duplicates = 0;

  constructor(private readonly readers: number) {}

  record(reader: number, seq: number, locked: unknown, receivedMs: number): void {
    let entry = this.bySeq.get(seq);
    if (!entry) {
      entry = { receivedMs: new Float64Array(this.readers).fill(Number.NaN), locked: typeof locked === 'boolean' ? locked : null, count: 0 };
      this.bySeq.set(seq, entry);
    }
    if (!Number.isNaN(entry.receivedMs[reader] as number)) {
      this.duplicates += 1;
      return;
    }
    entry.receivedMs[reader] = receivedMs;
    entry.count += 1;
    this.totalCount += 1;
  }

  /** Every `thread.updated` delivery of the round so far (the bench thread has no other moderator). */
  get total(): number {
    return this.totalCount;
  }

  /**
   * One DeliveryRecorder slot per (reader, lock event ordinal). Returns the
   * recorder and how many deliveries said `locked` other than the request asked.
   */
  toRecorder(args: { schedule: Schedule; outcomes: ActionOutcome[]; intendedMs: Float64Array }): { recorder: DeliveryRecorder; wrongLockState: number } {
    const { schedule } = args;
    const recorder = new DeliveryRecorder({ readers: this.readers, comments: schedule.lockEvents, warmupComments: schedule.warmupLockEvents });
    let wrongLockState = 0;
    for (const action of schedule.actions) {
      if (action.kind === 'comment') continue;
      const seq = args.outcomes[action.slot]?.seq;
      const entry = seq === null || seq === undefined ? undefined : this.bySeq.get(seq);
      if (!entry) continue;
      if (entry.locked !== (action.kind === 'lock')) wrongLockState += entry.count;
      const intended = args.intendedMs[action.slot] as number;
      for (let reader = 0; reader < this.readers; reader += 1) {
        const receivedMs = entry.receivedMs[reader] as number;
        if (!Number.isNaN(receivedMs)) recorder.record({ reader, index: action.ordinal, latencyMs: receivedMs - intended, receivedMs });
      }
    }
    return { recorder, wrongLockState };
  }
}
