import type { ClientToServerEvents } from '../../lib/contract/socket';
import type { Logger } from '../log';
import { respond } from './respond';
import type { IoSocket } from './types';

/** Checks one incoming event (the budget); calls `next` when it may be handled. */
export type EventCheck = (socket: IoSocket, packet: unknown[], next: (err?: Error) => void) => void;

/** A handler for every connection: the arguments as sent (untrusted), the ack function last when there is one. */
export type SocketHandler = (socket: IoSocket, ...args: unknown[]) => void;

/** A handler whose result (or public error) is the event's acknowledgement; `request` is the payload as sent, if any. */
export type AnsweringHandler = (socket: IoSocket, request: unknown) => Promise<object>;

export interface SocketRouter {
  on(event: keyof ClientToServerEvents, handler: SocketHandler): void;
  /** `on` for an event that is acknowledged: runs the handler and answers through respond(), logged under the event's name. */
  answer(event: keyof ClientToServerEvents, handler: AnsweringHandler): void;
  /** Gives a new connection its one middleware: the check, then the handler. */
  attach(socket: IoSocket): void;
}

/**
 * Routes the client's events to handlers shared by every connection. The usual
 * `socket.on(event, listener)` per event leaves each connection with a table of
 * listeners, one per client event (and their closures); at 10,000 idle readers per node that
 * is megabytes for nothing. Here a connection holds one middleware closure:
 * the event budget's check (so every event is counted before it is handled,
 * as before), then the handler for its name. Events no handler claims go on to
 * Socket.IO's own listeners.
 */
export function createSocketRouter(options: { check: EventCheck; log: Logger }): SocketRouter {
  const { check, log } = options;
  const handlers = new Map<string, SocketHandler>();

  function route(socket: IoSocket, packet: unknown[], next: (err?: Error) => void): void {
    const handler = typeof packet[0] === 'string' ? handlers.get(packet[0]) : undefined;
    if (!handler) return next();
    // Socket.IO would not dispatch to a connection closed meanwhile either.
    if (!socket.connected) return;
    try {
      handler(socket, ...packet.slice(1));
    } catch (err) {
      log.error(`${String(packet[0])} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function on(event: string, handler: SocketHandler): void {
    if (handlers.has(event)) throw new Error(`${event} already has a handler`);
    handlers.set(event, handler);
  }

  return {
    on,
    answer(event, handler) {
      on(event, (socket, ...args) => {
        // Socket.IO appends the ack last; a payload is data, never a function.
        const ack = typeof args.at(-1) === 'function' ? args.at(-1) : undefined;
        const request = args[0] === ack ? undefined : args[0];
        respond({ ack, log, what: event, run: () => handler(socket, request) });
      });
    },
    attach(socket) {
      socket.use((packet, next) => check(socket, packet, (err) => (err ? next(err) : route(socket, packet, next))));
    },
  };
}
