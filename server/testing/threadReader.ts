import { CatchUpSchema, type ThreadEventWire } from '../../lib/contract/api';
import type { SyncNotice } from '../../lib/contract/socket';
import { subscribe, type ClientSocket } from './sockets';
import { waitFor } from './wait';

/** A catch-up refused with 503 is retried this often, this far apart (20 s in all). */
const UNAVAILABLE_RETRIES = 80;
const UNAVAILABLE_RETRY_MS = 250;

export type EventSource = 'subscribe' | 'live' | 'catch-up';

/**
 * What a well-behaved client does to keep one thread current: subscribe with
 * the last seq it applied, apply events strictly in order ("apply if seq is
 * the next one"), drop copies it already has, and when it sees a gap (a live
 * event further ahead, or a `thread:sync` with a higher seq) fetch what it
 * missed from `GET /api/threads/<slug>/events?after=<last>`.
 */
export class ThreadReader {
  readonly applied: { event: ThreadEventWire; source: EventSource }[] = [];
  readonly dropped: number[] = [];
  readonly syncs: SyncNotice[] = [];
  readonly errors: unknown[] = [];
  /** Catch-ups a gap in the live stream forced (a hole between what it had and what arrived). */
  catchUps = 0;
  /** Catch-ups a `thread:sync` asked for: it can announce a seq whose live event is still on its way. */
  syncCatchUps = 0;
  last = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly onEvent = (event: ThreadEventWire) => {
    if (event.slug === this.slug) this.enqueue(() => this.apply(event, 'live'));
  };
  private readonly onSync = (notice: SyncNotice) => {
    if (notice.slug !== this.slug) return;
    this.syncs.push(notice);
    this.enqueue(async () => {
      if (notice.seq > this.last) await this.catchUp('sync');
    });
  };

  /** How many times it moved to another connection (`resume`). */
  moves = 0;

  constructor(
    public socket: ClientSocket,
    public baseUrl: string,
    readonly slug: string,
  ) {}

  /** Subscribes from `afterSeq`; live events that arrive before the answer wait behind it. */
  async start(afterSeq: number): Promise<void> {
    this.last = afterSeq;
    this.socket.on('thread:event', this.onEvent);
    this.socket.on('thread:sync', this.onSync);
    const subscribed = subscribe(this.socket, this.slug, afterSeq);
    this.queue = subscribed.then((catchUp) => {
      if (catchUp.resync) throw new Error('unexpected resync');
      for (const event of catchUp.missed) this.applyInOrder(event, 'subscribe');
    });
    this.queue = this.queue.catch((err: unknown) => void this.errors.push(err));
    await subscribed;
  }

  /**
   * Continues on another connection (another node, when its own went away):
   * subscribes there from the last seq applied, after whatever is queued.
   */
  async resume(socket: ClientSocket, baseUrl: string): Promise<void> {
    this.stop();
    this.moves++;
    this.socket = socket;
    this.baseUrl = baseUrl;
    this.socket.on('thread:event', this.onEvent);
    this.socket.on('thread:sync', this.onSync);
    const resumed = this.queue.then(async () => {
      const catchUp = await subscribe(socket, this.slug, this.last);
      if (catchUp.resync) throw new Error('unexpected resync');
      for (const event of catchUp.missed) this.applyInOrder(event, 'subscribe');
    });
    this.queue = resumed.catch((err: unknown) => void this.errors.push(err));
    await resumed;
  }

  stop(): void {
    this.socket.off('thread:event', this.onEvent);
    this.socket.off('thread:sync', this.onSync);
  }

  /** Waits until the reader has applied everything up to `seq`. */
  async waitUntilAt(seq: number, timeoutMs?: number): Promise<void> {
    await waitFor(
      `the reader of ${this.slug} to reach seq ${seq}`,
      () => {
        if (this.errors.length > 0) throw new Error(`reader failed: ${String(this.errors[0])}`);
        return this.last >= seq;
      },
      { timeoutMs },
    );
  }

  seqs(source?: EventSource): number[] {
    return this.applied.filter((a) => source === undefined || a.source === source).map((a) => a.event.seq);
  }

  private enqueue(step: () => Promise<void> | void): void {
    this.queue = this.queue.then(step).catch((err: unknown) => void this.errors.push(err));
  }

  private async apply(event: ThreadEventWire, source: EventSource): Promise<void> {
    // Not caught up (its node is gone): the subscription on the next connection brings this event too.
    if (event.seq > this.last + 1 && !(await this.catchUp('gap'))) return;
    this.applyInOrder(event, source);
  }

  private applyInOrder(event: ThreadEventWire, source: EventSource): void {
    if (event.seq <= this.last) {
      this.dropped.push(event.seq);
      return;
    }
    if (event.seq !== this.last + 1) throw new Error(`gap: at ${this.last}, got ${event.seq} (${source})`);
    this.applied.push({ event, source });
    this.last = event.seq;
  }

  /** False when it could not (its node is gone and `resume` will catch up instead). */
  private async catchUp(reason: 'gap' | 'sync'): Promise<boolean> {
    if (reason === 'gap') this.catchUps++;
    else this.syncCatchUps++;
    const socket = this.socket;
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(`${this.baseUrl}/api/threads/${this.slug}/events?after=${this.last}`);
      } catch (err) {
        // Its node is gone: `resume` on the next connection catches up instead.
        if (socket !== this.socket || !socket.connected) return false;
        throw err;
      }
      // 503 `unavailable` (its database is down for a moment): try again, as a client told Retry-After does.
      if (res.status !== 503 || attempt >= UNAVAILABLE_RETRIES) break;
      await res.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, UNAVAILABLE_RETRY_MS));
    }
    if (res.status !== 200) throw new Error(`catch-up answered ${res.status}: ${await res.text()}`);
    const catchUp = CatchUpSchema.parse(await res.json());
    if (catchUp.resync) throw new Error('unexpected resync');
    for (const event of catchUp.missed) this.applyInOrder(event, 'catch-up');
    return true;
  }
}
