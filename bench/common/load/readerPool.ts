import { io, type Socket } from 'socket.io-client';
import type { ReadersPlan } from './plans';

/** The part of a `thread:event` the benchmark reads; checked at run time, since either target may send it. */
export interface ThreadEventLike {
  type?: unknown;
  seq?: unknown;
  comment?: { body?: unknown };
  /** On `thread.updated`: the thread's settings after the change (bench/lock reads `locked`). */
  thread?: { locked?: unknown };
}

/** A plan's readers (an even split across its nodes, opened connectBatch at a time: a connection storm would measure the handshake path, not fan-out). */
export interface ReaderPoolOptions extends ReadersPlan {
  onThreadEvent(reader: number, event: ThreadEventLike): void;
  onOtherEvent(reader: number, name: string): void;
  onDisconnect(reader: number, reason: string): void;
  onProgress?(opened: number): void;
}

export interface ReaderPool {
  sockets: Socket[];
  close(): void;
}

/** Opens the plan's subscribed readers, batch by batch; resolves once every one has its subscribe ack. */
export async function openReaderPool(options: ReaderPoolOptions): Promise<ReaderPool> {
  const sockets: Socket[] = [];
  const pool: ReaderPool = {
    sockets,
    close: () => {
      for (const socket of sockets) socket.disconnect();
    },
  };
  try {
    for (let start = 0; start < options.readers; start += options.connectBatch) {
      const end = Math.min(options.readers, start + options.connectBatch);
      const batch: Promise<void>[] = [];
      for (let reader = start; reader < end; reader += 1) {
        const url = options.nodeUrls[reader % options.nodeUrls.length] as string;
        const socket = io(url, {
          transports: ['websocket'],
          // One connection per reader: without forceNew, sockets to one URL share a single Manager (one WebSocket).
          forceNew: true,
          // A reader that drops stays dropped: its missing deliveries are reported as lost, not hidden by a reconnect.
          reconnection: false,
          timeout: options.connectTimeoutMs,
        });
        sockets.push(socket);
        batch.push(subscribeReader({ socket, reader, url, options }));
      }
      await Promise.all(batch);
      options.onProgress?.(end);
    }
  } catch (err) {
    pool.close();
    throw err;
  }
  return pool;
}

async function subscribeReader(args: { socket: Socket; reader: number; url: string; options: ReaderPoolOptions }): Promise<void> {
  const { socket, reader, url, options } = args;
  socket.on('thread:event', (event: ThreadEventLike) => options.onThreadEvent(reader, event));
  socket.onAny((name: string) => {
    if (name !== 'thread:event') options.onOtherEvent(reader, name);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err: Error) => reject(new Error(`reader ${reader} could not connect to ${url}: ${err.message}`)));
  });
  socket.on('disconnect', (reason: string) => options.onDisconnect(reader, reason));
  let ack: unknown;
  try {
    ack = await socket.timeout(options.connectTimeoutMs).emitWithAck('thread:subscribe', { slug: options.slug, afterSeq: options.afterSeq });
  } catch (err) {
    throw new Error(`reader ${reader} on ${url}: no subscribe ack within ${options.connectTimeoutMs} ms (${(err as Error).message})`);
  }
  if (!isOkAck(ack)) throw new Error(`reader ${reader} on ${url}: subscribe refused: ${JSON.stringify(ack).slice(0, 300)}`);
}

function isOkAck(ack: unknown): ack is { ok: true; missed?: unknown[]; resync?: boolean } {
  return typeof ack === 'object' && ack !== null && (ack as { ok?: unknown }).ok === true;
}

/** Opens a plan's readers (progress on `log` every `logEvery`); resolves with the pool and how long subscribing took. */
export async function openPlanReaders(
  plan: ReadersPlan,
  on: Partial<Pick<ReaderPoolOptions, 'onThreadEvent' | 'onOtherEvent' | 'onDisconnect'>>,
  progress?: { log(message: string): void; every: number },
): Promise<{ pool: ReaderPool; connectSeconds: number }> {
  const started = performance.now();
  const ignore = () => undefined;
  const pool = await openReaderPool({
    ...plan,
    onThreadEvent: on.onThreadEvent ?? ignore,
    onOtherEvent: on.onOtherEvent ?? ignore,
    onDisconnect: on.onDisconnect ?? ignore,
    onProgress: (opened) => {
      if (progress && (opened % progress.every === 0 || opened === plan.readers)) progress.log(`  readers subscribed: ${opened}/${plan.readers}`);
    },
  });
  return { pool, connectSeconds: (performance.now() - started) / 1000 };
}

/** What readers saw besides the measured events (counted while measuring) and who dropped (until closing). */
export class ReaderTally {
  measuring = false;
  closing = false;
  otherEvents = 0;
  readonly otherEventsByName: Record<string, number> = {};
  disconnects = 0;

  readonly countOther = (name: string): void => {
    if (!this.measuring) return;
    this.otherEvents += 1;
    this.otherEventsByName[name] = (this.otherEventsByName[name] ?? 0) + 1;
  };

  readonly onDisconnect = (): void => {
    if (!this.closing) this.disconnects += 1;
  };

  /** Measuring is over and the readers are about to be closed: later drops are ours. */
  finish(pool: ReaderPool): void {
    this.measuring = false;
    this.closing = true;
    pool.close();
  }

  get counts(): { otherEvents: number; otherEventsByName: Record<string, number>; disconnects: number } {
    return { otherEvents: this.otherEvents, otherEventsByName: this.otherEventsByName, disconnects: this.disconnects };
  }
}
