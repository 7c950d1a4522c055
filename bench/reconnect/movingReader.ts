import { io, type Socket } from 'socket.io-client';
import { nowMs, sleep } from '../common/clock';
import { parseBenchBody } from '../common/load/commentBody';
import type { ThreadEventLike } from '../common/load/readerPool';
import { GAP_GRACE_MS, SeqOrder } from '../../lib/client/seqOrder';

export interface MovingReaderOptions {
  /** Every node's URL; on a drop the reader tries the others in turn, as a client behind a load balancer would. */
  urls: string[];
  slug: string;
  runId: string;
  /** Fill seq gaps from GET /api/threads/<slug>/events (ours), or just note the highest seq (the baseline has no log). */
  hasEventLog: boolean;
  connectTimeoutMs: number;
}

const MAX_ATTEMPTS = 40;

/**
 * One reader's view of the thread, ordered as the live page orders it
 * (lib/client/seqOrder.ts): events in seq order, copies dropped, and live
 * events that arrive while a subscribe is in flight held until its answer,
 * which brings what came before them; only a hole left after the answer is
 * filled from the event log over HTTP. When its connection drops it connects
 * to another node and subscribes again from the last seq it applied. Both
 * targets get the very same client; only the server's answer to
 * `thread:subscribe { afterSeq }` differs (the baseline's `missed` is always empty).
 */
export class MovingReader {
  /** Bench comment index → times applied. */
  readonly applied = new Map<number, number>();
  droppedAtMs: number | null = null;
  caughtUpAtMs: number | null = null;
  reconnectAttempts = 0;
  resyncs = 0;
  gapFills = 0;
  private gapTimer: NodeJS.Timeout | null = null;
  errors: string[] = [];
  private readonly order: SeqOrder<SeqEventLike>;
  private url: string;
  private filling = false;
  private closed = false;
  private socket: Socket | null = null;

  constructor(
    private readonly options: MovingReaderOptions,
    start: { socket: Socket; url: string; afterSeq: number },
  ) {
    this.order = new SeqOrder(start.afterSeq);
    this.url = start.url;
    this.adopt(start.socket);
  }

  /** Highest seq applied in order. */
  get last(): number {
    return this.order.last;
  }

  /** Called for every `thread:event` of the current socket. */
  onEvent(event: ThreadEventLike): void {
    if (!isSeqEvent(event) || event.seq <= this.order.last) return;
    if (!this.options.hasEventLog) {
      // No log to fill from: whatever arrives is applied; what was missed stays missed.
      this.order.last = event.seq;
      this.record(event);
      return;
    }
    this.apply(this.order.live(event));
    // As the page does: a hole may fill on its own a moment later (lib/client/seqOrder.ts, GAP_GRACE_MS).
    if (this.order.gap && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.order.gap && !this.closed) void this.fillGap();
      }, GAP_GRACE_MS);
    }
  }

  close(): void {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.socket?.disconnect();
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    socket.once('disconnect', (reason: string) => {
      if (this.closed || reason === 'io client disconnect') return;
      this.droppedAtMs ??= nowMs();
      void this.move().catch((err: unknown) => this.errors.push(String(err)));
    });
  }

  private async move(): Promise<void> {
    const from = this.options.urls.indexOf(this.url);
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !this.closed; attempt += 1) {
      const url = this.options.urls[(from + 1 + attempt) % this.options.urls.length] as string;
      this.reconnectAttempts += 1;
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: this.options.connectTimeoutMs });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (err: Error) => reject(err));
        });
      } catch {
        socket.close();
        await sleep(Math.min(50 * 2 ** attempt, 1000));
        continue;
      }
      this.url = url;
      socket.on('thread:event', (event: ThreadEventLike) => this.onEvent(event));
      this.adopt(socket);
      await this.subscribe(socket);
      this.caughtUpAtMs ??= nowMs();
      return;
    }
    if (!this.closed) this.errors.push(`could not reconnect after ${MAX_ATTEMPTS} attempts`);
  }

  private async subscribe(socket: Socket): Promise<void> {
    this.order.hold();
    let ack: { ok?: boolean; missed?: ThreadEventLike[]; resync?: boolean };
    try {
      ack = (await socket.timeout(this.options.connectTimeoutMs).emitWithAck('thread:subscribe', { slug: this.options.slug, afterSeq: this.order.last })) as typeof ack;
      if (ack.ok !== true) throw new Error(`subscribe refused: ${JSON.stringify(ack).slice(0, 200)}`);
    } catch (err) {
      this.order.release();
      throw err;
    }
    if (ack.resync) this.resyncs += 1;
    if (this.options.hasEventLog) this.apply(this.order.answer((ack.missed ?? []).filter(isSeqEvent)));
    else {
      this.order.release();
      for (const event of ack.missed ?? []) this.onEvent(event);
    }
    // A hole the answer did not fill (it should not happen): fill it now, as the page does.
    if (this.order.gap) await this.fillGap();
  }

  private async fillGap(): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    this.gapFills += 1;
    try {
      const res = await fetch(`${this.url}/api/threads/${this.options.slug}/events?after=${this.order.last}`);
      if (res.status !== 200) throw new Error(`GET /events answered ${res.status}`);
      const body = (await res.json()) as { missed?: ThreadEventLike[] };
      this.apply(this.order.filled((body.missed ?? []).filter(isSeqEvent)));
    } catch (err) {
      // Its node died under the request: the subscribe on the next node catches up instead.
      if (this.socket?.connected) this.errors.push(`gap fill failed: ${String(err)}`);
    } finally {
      this.filling = false;
    }
  }

  private apply(events: readonly SeqEventLike[]): void {
    for (const event of events) this.record(event);
  }

  private record(event: ThreadEventLike): void {
    const body = event.type === 'comment.created' && typeof event.comment?.body === 'string' ? event.comment.body : null;
    const fields = body === null ? null : parseBenchBody(body, this.options.runId);
    if (fields) this.applied.set(fields.index, (this.applied.get(fields.index) ?? 0) + 1);
  }
}

type SeqEventLike = ThreadEventLike & { seq: number };

function isSeqEvent(event: ThreadEventLike): event is SeqEventLike {
  return typeof event.seq === 'number';
}
