import { io, type Socket } from 'socket.io-client';
import { nowMs, sleep } from '../fanout/clock';
import { parseBenchBody } from '../fanout/commentBody';
import type { ThreadEventLike } from '../fanout/readerPool';

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
 * One reader's view of the thread: it applies events in seq order (dropping
 * what it already has, filling gaps from the event log), and when its
 * connection drops it connects to another node and subscribes again from
 * the last seq it applied. Both targets get the very same client; only the
 * server's answer to `thread:subscribe { afterSeq }` differs (the baseline's
 * `missed` is always empty).
 */
export class MovingReader {
  /** Highest seq applied in order. */
  last: number;
  /** Bench comment index → times applied. */
  readonly applied = new Map<number, number>();
  droppedAtMs: number | null = null;
  caughtUpAtMs: number | null = null;
  reconnectAttempts = 0;
  resyncs = 0;
  gapFills = 0;
  errors: string[] = [];
  private readonly pending = new Map<number, ThreadEventLike>();
  private url: string;
  private subscribing = false;
  private filling = false;
  private closed = false;
  private socket: Socket | null = null;

  constructor(
    private readonly options: MovingReaderOptions,
    start: { socket: Socket; url: string; afterSeq: number },
  ) {
    this.last = start.afterSeq;
    this.url = start.url;
    this.adopt(start.socket);
  }

  /** Called for every `thread:event` of the current socket. */
  onEvent(event: ThreadEventLike): void {
    const seq = typeof event.seq === 'number' ? event.seq : null;
    if (seq === null || seq <= this.last) return;
    if (!this.options.hasEventLog) {
      // No log to fill from: whatever arrives is applied; what was missed stays missed.
      this.last = seq;
      this.record(event);
      return;
    }
    this.pending.set(seq, event);
    this.drain();
    if (this.pending.size > 0 && !this.subscribing) void this.fillGap();
  }

  close(): void {
    this.closed = true;
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
    this.subscribing = true;
    try {
      const ack = (await socket.timeout(this.options.connectTimeoutMs).emitWithAck('thread:subscribe', { slug: this.options.slug, afterSeq: this.last })) as {
        ok?: boolean;
        missed?: ThreadEventLike[];
        resync?: boolean;
      };
      if (ack.ok !== true) throw new Error(`subscribe refused: ${JSON.stringify(ack).slice(0, 200)}`);
      if (ack.resync) this.resyncs += 1;
      for (const event of ack.missed ?? []) this.onEvent(event);
    } finally {
      this.subscribing = false;
    }
    // Live events that overtook the ack and are still ahead of a gap: fill it now, as the page does.
    if (this.pending.size > 0) await this.fillGap();
  }

  private drain(): void {
    for (let next = this.pending.get(this.last + 1); next; next = this.pending.get(this.last + 1)) {
      this.pending.delete(this.last + 1);
      this.last += 1;
      this.record(next);
    }
  }

  private async fillGap(): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    this.gapFills += 1;
    try {
      const res = await fetch(`${this.url}/api/threads/${this.options.slug}/events?after=${this.last}`);
      if (res.status !== 200) throw new Error(`GET /events answered ${res.status}`);
      const body = (await res.json()) as { missed?: ThreadEventLike[] };
      for (const event of body.missed ?? []) {
        if (typeof event.seq === 'number' && event.seq > this.last) this.pending.set(event.seq, event);
      }
      this.drain();
    } catch (err) {
      // Its node died under the request: the subscribe on the next node catches up instead.
      if (this.socket?.connected) this.errors.push(`gap fill failed: ${String(err)}`);
    } finally {
      this.filling = false;
    }
  }

  private record(event: ThreadEventLike): void {
    const body = event.type === 'comment.created' && typeof event.comment?.body === 'string' ? event.comment.body : null;
    const fields = body === null ? null : parseBenchBody(body, this.options.runId);
    if (fields) this.applied.set(fields.index, (this.applied.get(fields.index) ?? 0) + 1);
  }
}
