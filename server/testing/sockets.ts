import { io as connect, type Socket } from 'socket.io-client';
import type { CatchUp, SocketCreateComment } from '../../lib/contract/api';
import type { ClientToServerEvents, CreateCommentAck, ServerToClientEvents, SubscribeAck } from '../../lib/contract/socket';
import { waitFor, within } from './wait';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Everything one socket received of one event, in arrival order. */
export class Recorder<T> {
  readonly items: T[] = [];

  /** The first item (in arrival order) that matches, once one has arrived. */
  async find(what: string, match: (item: T) => boolean, timeoutMs?: number): Promise<T> {
    return waitFor(what, () => this.items.find(match), { timeoutMs });
  }

  /** Waits until the latest item matches. */
  async latest(what: string, match: (item: T) => boolean, timeoutMs?: number): Promise<T> {
    return waitFor(
      what,
      () => {
        const last = this.items.at(-1);
        return last !== undefined && match(last) ? last : undefined;
      },
      { timeoutMs },
    );
  }
}

export function record<E extends ServerEventName>(socket: ClientSocket, event: E): Recorder<ServerEventPayload<E>> {
  const recorder = new Recorder<ServerEventPayload<E>>();
  const listener = (payload: ServerEventPayload<E>) => void recorder.items.push(payload);
  // socket.io-client's typed `on` cannot see that this listener fits event E.
  (socket as unknown as { on(event: string, listener: (payload: unknown) => void): void }).on(event, listener as (payload: unknown) => void);
  return recorder;
}

/** How a test client connects: its cookie (none: a new guest), the local address it connects from, extra headers (`X-Forwarded-For`). */
export interface ConnectOptions {
  cookie?: string | undefined;
  /** Linux routes all of 127/8 to loopback: `127.0.0.2` is another client address on the same machine. */
  localAddress?: string;
  headers?: Record<string, string>;
}

/**
 * Socket.IO clients of one test. Each is a connection of its own (no
 * multiplexing), without automatic reconnection; `closeAll` ends them.
 */
export class SocketPool {
  private readonly sockets = new Set<ClientSocket>();

  async connect(baseUrl: string, options: ConnectOptions = {}): Promise<ClientSocket> {
    const result = await this.tryConnect(baseUrl, options);
    if ('error' in result) throw new Error(`cannot connect a Socket.IO client to ${baseUrl}: ${result.error.message}`);
    return result.socket;
  }

  /** A connection, or the error the client got when the server refused it. */
  async tryConnect(baseUrl: string, options: ConnectOptions = {}): Promise<{ socket: ClientSocket } | { error: Error }> {
    const headers = { ...options.headers, ...(options.cookie !== undefined && { cookie: options.cookie }) };
    const socket: ClientSocket = connect(baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(Object.keys(headers).length > 0 && { extraHeaders: headers }),
      // Passed on to the WebSocket of Node's `ws` (engine.io-client picks it), though its types do not say so.
      ...(options.localAddress !== undefined && ({ localAddress: options.localAddress } as object)),
    });
    this.sockets.add(socket);
    return within(
      `a Socket.IO connection to ${baseUrl}`,
      new Promise<{ socket: ClientSocket } | { error: Error }>((resolve) => {
        socket.once('connect', () => resolve({ socket }));
        socket.once('connect_error', (error) => {
          this.sockets.delete(socket);
          socket.disconnect();
          resolve({ error });
        });
      }),
    );
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.disconnect();
    this.sockets.clear();
  }
}

export async function subscribeAck(socket: ClientSocket, slug: string, afterSeq?: number): Promise<SubscribeAck> {
  return socket.timeout(10_000).emitWithAck('thread:subscribe', afterSeq === undefined ? { slug } : { slug, afterSeq });
}

/** Subscribes and returns the catch-up; fails the test on an error ack. */
export async function subscribe(socket: ClientSocket, slug: string, afterSeq?: number): Promise<CatchUp> {
  const ack = await subscribeAck(socket, slug, afterSeq);
  if (!ack.ok) throw new Error(`thread:subscribe ${slug} (afterSeq ${String(afterSeq)}) failed: ${JSON.stringify(ack.error)}`);
  const { ok: _ok, ...catchUp } = ack;
  return catchUp;
}

export async function createViaSocket(socket: ClientSocket, request: SocketCreateComment | Record<string, unknown>): Promise<CreateCommentAck> {
  return socket.timeout(10_000).emitWithAck('comment:create', request as SocketCreateComment);
}
